#include "core/io/CsvMatrix.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "core/config/ConfigError.h"
#include "core/io/AtomicFile.h"

namespace cvae {
namespace {

std::vector<std::string> splitCells(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.push_back(
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace

std::vector<float> readCsvMatrix(const std::string& path, int rows, int cols) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open");
  std::vector<float> values;
  values.reserve(static_cast<size_t>(rows) * cols);
  int line_number = 0;
  int row = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines
    const std::string where = path + ":" + std::to_string(line_number);
    if (++row > rows)
      throw InputError(where + ": more than the expected " + std::to_string(rows) + " rows");
    const auto cells = splitCells(line);
    if (static_cast<int>(cells.size()) != cols)
      throw InputError(where + ": " + std::to_string(cells.size()) + " columns, expected " +
                       std::to_string(cols));
    for (size_t c = 0; c < cells.size(); ++c) {
      const char* text = cells[c].c_str();
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(text, &end);
      while (end && (*end == ' ' || *end == '\t')) ++end;
      if (end == text || *end != '\0' || errno == ERANGE || !std::isfinite(v))
        throw InputError(where + ": column " + std::to_string(c + 1) + ": '" + cells[c] +
                         "' is not a finite number");
      values.push_back(static_cast<float>(v));
    }
  }
  if (row != rows)
    throw InputError(path + ": " + std::to_string(row) + " rows, expected " + std::to_string(rows));
  return values;
}

void writeCsvMatrix(const std::string& path, const std::vector<float>& values, int cols) {
  std::string text;
  char cell[32];
  for (size_t i = 0; i < values.size(); ++i) {
    std::snprintf(cell, sizeof cell, "%.6g", static_cast<double>(values[i]));
    text += cell;
    text += (i + 1) % static_cast<size_t>(cols) == 0 ? "\n" : ",";
  }
  writeFileAtomically(path, text);
}

}  // namespace cvae
