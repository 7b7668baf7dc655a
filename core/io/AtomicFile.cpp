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
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec)
      throw std::runtime_error(path + ": cannot make its folder " + parent.string() + ": " +
                               ec.message());
  }
  const std::string tmp = temporarySibling(path);
  // On any failure (a full disk, a read-only folder) the temporary goes and `path` stays as it
  // was.
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path + ": " + what + ": " + reason);
  };
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write");
    out << contents;
    out.flush();
    if (!out) fail("write failed");
    out.close();
    if (out.fail()) fail("write failed");
  }
  try {
    replaceFile(tmp, path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

}  // namespace cvae
