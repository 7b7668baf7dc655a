#include "core/experiments/LatentUnitsTable.h"

#include "core/io/NumberText.h"

namespace cvae {

PreviewTable latentUnitsTable(const LatentActivity& latent, const std::string& kl_column) {
  PreviewTable units;
  units.title = "Latent units";
  units.columns = {"dimension", kl_column, "posterior-mean variance", "active"};
  for (size_t j = 0; j < latent.kl.size() && j < latent.mean_variance.size(); ++j) {
    const bool active = latent.mean_variance[j] > latent.threshold;
    units.rows.push_back({"z" + std::to_string(j), formatFixed(latent.kl[j], 3),
                          formatFixed(latent.mean_variance[j], 4), active ? "yes" : "no"});
    units.row_ok.push_back(active);
  }
  return units;
}

}  // namespace cvae
