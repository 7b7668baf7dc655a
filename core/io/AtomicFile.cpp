#include "core/io/AtomicFile.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace cvae {

std::string temporarySibling(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

void replaceFile(const std::string& from, const std::string& to) {
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) throw std::runtime_error("cannot rename " + from + " to " + to + ": " + ec.message());
}

void writeFileAtomically(const std::string& path, const std::string& contents) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  const std::string tmp = temporarySibling(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path + ": cannot write: " + std::strerror(errno));
    out << contents;
    out.flush();
    if (!out) throw std::runtime_error(path + ": write failed: " + std::strerror(errno));
  }
  replaceFile(tmp, path);
}

}  // namespace cvae
