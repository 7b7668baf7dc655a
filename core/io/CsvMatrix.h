#pragma once
// Small numeric CSV files (the pushing data's actions and positions): comma-separated numbers,
// one row per line, no header.

#include <string>
#include <vector>

namespace cvae {

// Reads `rows` x `cols` numbers, row-major, or fewer rows down to `min_rows` (default: exactly
// `rows`); returns the rows read. Blank lines are skipped, but one between rows of a file with
// fewer than `rows` rows is an error (a row emptied). Throws InputError naming the file and
// line for a missing file, a wrong row or column count, or a cell that is not UTF-8 or not a
// finite number a 32-bit float holds.
std::vector<float> readCsvMatrix(const std::string& path, int rows, int cols, int min_rows = -1);
void writeCsvMatrix(const std::string& path, const std::vector<float>& values, int cols);

}  // namespace cvae
