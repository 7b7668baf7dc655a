#include "core/runs/ForkTree.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace cvae {
namespace {

std::string canonical(const std::string& path) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(path, ec);
  return (ec ? fs::path(path).lexically_normal() : resolved).string();
}

}  // namespace

ForkTree buildForkTree(const std::vector<std::string>& dirs,
                       const std::vector<std::string>& parents,
                       const std::vector<std::int64_t>& fork_steps) {
  const int n = static_cast<int>(dirs.size());
  ForkTree tree;
  tree.parent.assign(n, -1);
  tree.children.assign(n, {});
  tree.depth.assign(n, 0);
  std::map<std::string, int> by_dir;
  for (int i = 0; i < n; ++i) by_dir.emplace(canonical(dirs[i]), i);
  for (int i = 0; i < n; ++i) {
    if (i >= static_cast<int>(parents.size()) || parents[i].empty()) continue;
    const std::string parent = canonical(parents[i]);
    auto it = by_dir.find(parent);
    if (it == by_dir.end()) it = by_dir.find(fs::path(parent).parent_path().string());
    if (it == by_dir.end() || it->second == i) continue;
    // Would this edge close a cycle? Walk up from the parent.
    bool cycle = false;
    for (int up = it->second; up >= 0; up = tree.parent[up])
      if (up == i) {
        cycle = true;
        break;
      }
    if (!cycle) tree.parent[i] = it->second;
  }
  auto step = [&](int i) {
    return i < static_cast<int>(fork_steps.size()) ? fork_steps[i] : std::int64_t(-1);
  };
  for (int i = 0; i < n; ++i)
    if (tree.parent[i] >= 0) tree.children[tree.parent[i]].push_back(i);
  for (auto& kids : tree.children)
    std::sort(kids.begin(), kids.end(), [&](int a, int b) {
      if (step(a) != step(b)) return step(a) < step(b);
      return dirs[a] < dirs[b];
    });
  // Depth-first, iteratively: lineages can be long (a fork of a fork of ...).
  std::vector<std::pair<int, int>> stack;  // run, depth
  for (int root = 0; root < n; ++root) {
    if (tree.parent[root] >= 0) continue;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      const auto [run, depth] = stack.back();
      stack.pop_back();
      tree.order.push_back(run);
      tree.depth[run] = depth;
      const auto& kids = tree.children[run];
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, depth + 1});
    }
  }
  return tree;
}

}  // namespace cvae
