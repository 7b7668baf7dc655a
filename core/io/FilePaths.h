#pragma once
// Paths written in user files (data paths in configs, a sweep's base config), resolved against
// the folder of the file that names them.
#include <string>

namespace cvae {

// `relative` under `base_dir`, with "." and ".." and symbolic links of the existing part
// resolved (std::filesystem::weakly_canonical). An absolute or empty `relative` comes back as
// given. Never throws for the path's sake: a name the file system refuses (too long, a
// component that is a file, no permission to look) comes back joined and lexically normalised,
// and the reader that opens it names the file and the cause (found by libFuzzer: a 300-character
// data path made weakly_canonical throw std::filesystem::filesystem_error out of the config
// reader).
std::string resolveRelativePath(const std::string& relative, const std::string& base_dir);

// Why `path` cannot be written for a reason of the input's: the first folder on the way to it
// (made absolute) that exists and is no folder ("P is a file, not a folder"), or that is a
// symbolic link to nothing ("P is a symbolic link to T, which does not exist"); empty when there
// is none. Writing `path` would fail there ("Not a directory", or create_directories' bare "File
// exists"), after whatever was written before it: outputs are checked with it first. To check
// a folder itself, pass a path inside it.
std::string blockerAlongPath(const std::string& path);

// Whether `path` is `folder` or lies inside it, both made absolute and resolved as far as they
// exist (links followed, "." and ".." gone): an output that would land among inputs, say.
bool isSameOrInside(const std::string& path, const std::string& folder);

// What stands at `path` when it is there but is no regular file to read or replace: "a folder,
// not a file", "a symbolic link to T, which does not exist", "a symbolic link loop", "not a
// regular file (a pipe, socket or device)". Empty for a regular file (or a link to one) and for
// nothing at all (the caller says "no such file"). A reader checks it before opening: a pipe
// blocked the open for good, a folder read as an empty or malformed file.
std::string describeNonFile(const std::string& path);

}  // namespace cvae
