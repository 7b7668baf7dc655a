#include "core/io/FilePaths.h"

#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace cvae {

std::string resolveRelativePath(const std::string& relative, const std::string& base_dir) {
  if (relative.empty() || fs::path(relative).is_absolute()) return relative;
  const fs::path joined = fs::path(base_dir) / relative;
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(joined, ec);
  return ec ? joined.lexically_normal().string() : resolved.string();
}

std::string blockerAlongPath(const std::string& path) {
  std::error_code ec;
  for (auto parent = fs::absolute(path, ec).parent_path();
       !parent.empty() && parent != parent.parent_path(); parent = parent.parent_path()) {
    const auto link = fs::symlink_status(parent, ec);
    if (fs::is_symlink(link) && !fs::exists(fs::status(parent, ec)))
      return parent.string() + " is a symbolic link to " + fs::read_symlink(parent, ec).string() +
             ", which does not exist";
    if (fs::exists(parent, ec) && !fs::is_directory(parent, ec))
      return parent.string() + " is a file, not a folder";
  }
  return {};
}

}  // namespace cvae
