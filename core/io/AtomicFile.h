#pragma once
#include <string>

namespace cvae {

// Writes `contents` to `path` through a temporary file in the same folder and a rename, so
// readers see either the old file or the whole new one, never half of it.
void writeFileAtomically(const std::string& path, const std::string& contents);

// The temporary name used by writeFileAtomically and by checkpoint writers that stream.
std::string temporarySibling(const std::string& path);

// Renames `from` onto `to`, replacing it; throws std::runtime_error naming both on failure.
void replaceFile(const std::string& from, const std::string& to);

}  // namespace cvae
