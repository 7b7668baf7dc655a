#pragma once
// Small numeric CSV files (the pushing data's actions and positions): comma-separated numbers,
// one row per line, no header.

#include <string>
#include <vector>

namespace cvae {

// Reads exactly `rows` x `cols` numbers, row-major. Throws InputError naming the file and line
// for a missing file, a wrong row or column count, or a cell that is not a finite number.
std::vector<float> readCsvMatrix(const std::string& path, int rows, int cols);
void writeCsvMatrix(const std::string& path, const std::vector<float>& values, int cols);

}  // namespace cvae
