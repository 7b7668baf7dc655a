#pragma once
// Forks among a set of runs as a forest: a fork's status.yaml names its parent (the run folder,
// or the checkpoint it was forked from) and the parent's step at the fork. For the Runs table's
// fork tree and anything else that shows lineage.

#include <cstdint>
#include <string>
#include <vector>

namespace cvae {

struct ForkTree {
  std::vector<int> parent;                 // per run: its parent's index, -1 for a root
  std::vector<std::vector<int>> children;  // per run, in order of fork step, then folder
  // Every run once, depth-first: each parent followed by its children's subtrees; roots in the
  // order given.
  std::vector<int> order;
  std::vector<int> depth;  // per run: 0 for a root
};

// `dirs[i]` is run i's folder, `parents[i]` what its record names as parent ("" when it is not
// a fork): a run folder, or a checkpoint file inside one (`RUN/best.pt` counts as RUN). Paths
// are compared after resolving `.`, `..` and symbolic links. A parent that is not among the
// runs leaves the fork a root. A cycle (only possible from hand-edited records) is broken at
// the run whose parent would close it.
ForkTree buildForkTree(const std::vector<std::string>& dirs,
                       const std::vector<std::string>& parents,
                       const std::vector<std::int64_t>& fork_steps);

}  // namespace cvae
