#pragma once
// Whole files as strings, for tests that write inputs and read results.
#include <QTemporaryDir>

#include <fstream>
#include <sstream>
#include <string>

// The bytes of `path`; "" when it cannot be read.
inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Replaces `path` with `text`, byte for byte.
inline void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Writes `text` to the file `name` in `dir` and returns its path.
inline std::string writeText(const QTemporaryDir& dir, const std::string& name,
                             const std::string& text) {
  const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
  writeText(path, text);
  return path;
}
