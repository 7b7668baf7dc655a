#include "core/io/CsvMatrix.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <regex>
#include <string_view>

#include "core/io/AtomicFile.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"
#include "core/io/Utf8.h"

namespace cvae {

std::vector<float> readCsvMatrix(const std::string& path, int rows, int cols, int min_rows) {
  if (min_rows < 0) min_rows = rows;
  const auto lines = readTextLines(path);
  std::vector<float> values;
  values.reserve(static_cast<size_t>(rows) * cols);
  int line_number = 0;
  int row = 0;
  int blank_after_row = 0;  // the first blank line after a row
  int blank_between = 0;    // ... when a row followed it
  for (const auto& line : lines) {
    ++line_number;
    if (line.find_first_not_of(" \t") == std::string::npos) {  // blank lines
      if (row > 0 && !blank_after_row) blank_after_row = line_number;
      continue;
    }
    const std::string where = path + ":" + std::to_string(line_number);
    if (blank_after_row && !blank_between) blank_between = blank_after_row;
    if (++row > rows)
      throw InputError(where + ": more than the expected " + std::to_string(rows) + " rows");
    const auto cells = splitCsvCells(line);
    if (static_cast<int>(cells.size()) != cols)
      throw InputError(where + ": " + std::to_string(cells.size()) + " columns, expected " +
                       std::to_string(cols));
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string text = trimSpaces(cells[c]);
      const std::string column = where + ": column " + std::to_string(c + 1) + ": ";
      bool utf8 = true;
      decodeUtf8(cells[c], &utf8);
      if (!utf8)
        throw InputError(column + "'" + printable(cells[c]) +
                         "' holds bytes that are not UTF-8 text; the file must be UTF-8");
      const auto v = parseDouble(text);
      // A number written right but beyond a double (1e400) is said as too large, not as "not a
      // decimal number".
      static const std::regex kNumber(R"([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)");
      if (!v && !std::regex_match(text, kNumber))
        throw InputError(column + "'" + printable(cells[c]) + "' is not a decimal number");
      // The values are 32-bit floats: 1e39 would become infinity and the model's output NaN.
      if (!v || !std::isfinite(*v) || std::isinf(static_cast<float>(*v)))
        throw InputError(column + "'" + printable(cells[c]) +
                         "' is not a finite number a 32-bit float holds (up to 3.4e38)");
      values.push_back(static_cast<float>(*v));
    }
  }
  // One row per frame: with rows short of `rows`, a blank line between rows is a row emptied,
  // and every later row would be paired with the wrong frame.
  if (row < rows && blank_between)
    throw InputError(path + ":" + std::to_string(blank_between) + ": a blank line between rows, " +
                     std::to_string(row) + " rows of " + std::to_string(rows) +
                     " (one row per frame: a lost row would pair the later ones with the wrong "
                     "frames)");
  if (row < min_rows)
    throw InputError(
        path + ": " + std::to_string(row) + " rows, expected " +
        (min_rows == rows ? std::to_string(rows) : "at least " + std::to_string(min_rows)));
  return values;
}

void writeCsvMatrix(const std::string& path, const std::vector<float>& values, int cols) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    text += formatGeneral(static_cast<double>(values[i]), 6);
    text += (i + 1) % static_cast<size_t>(cols) == 0 ? "\n" : ",";
  }
  writeFileAtomically(path, text);
}

}  // namespace cvae
