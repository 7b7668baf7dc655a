#include "core/io/FilePaths.h"

#include <algorithm>
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

namespace {

// A link that leads nowhere: to nothing, or around a loop; empty when `path` is no such link.
std::string brokenLink(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(path, ec))) return {};
  const auto target = fs::status(path, ec);
  if (fs::exists(target)) return {};
  if (ec == std::errc::too_many_symbolic_link_levels)
    return "a symbolic link loop (it leads back to itself)";
  return "a symbolic link to " + fs::read_symlink(path, ec).string() + ", which does not exist";
}

}  // namespace

std::string blockerAlongPath(const std::string& path) {
  std::error_code ec;
  for (auto parent = fs::absolute(path, ec).parent_path();
       !parent.empty() && parent != parent.parent_path(); parent = parent.parent_path()) {
    if (const std::string broken = brokenLink(parent); !broken.empty())
      return parent.string() + " is " + broken;
    const auto status = fs::status(parent, ec);
    if (fs::exists(status) && !fs::is_directory(status))
      return parent.string() +
             (fs::is_regular_file(status) ? " is a file, not a folder" : " is not a folder");
  }
  return {};
}

std::string describeNonFile(const std::string& path) {
  std::error_code ec;
  if (path.empty() || !fs::exists(fs::symlink_status(path, ec))) return {};
  if (const std::string broken = brokenLink(path); !broken.empty()) return broken;
  const auto status = fs::status(path, ec);
  if (fs::is_directory(status)) return "a folder, not a file";
  if (!fs::is_regular_file(status)) return "not a regular file (a pipe, socket or device)";
  return {};
}

bool isSameOrInside(const std::string& path, const std::string& folder) {
  std::error_code ec;
  const auto inner = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return false;
  const auto outer = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  if (ec) return false;
  return std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end()).first == outer.end();
}

}  // namespace cvae
