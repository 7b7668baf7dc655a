#pragma once
// The posterior-collapse watch as a preview table, shared by the experiments that have one
// (the GUI's previews, `evaluate` and previews.tsv show it).

#include <string>

#include "core/experiments/Evaluation.h"

namespace cvae {

// One row per latent dimension: "z<j>", its KL (the column named `kl_column`, 3 decimals),
// its posterior-mean variance and whether it is active; inactive rows are tinted (row_ok).
PreviewTable latentUnitsTable(const LatentActivity& latent, const std::string& kl_column);

}  // namespace cvae
