#pragma once
// A fork read against its parent: child − parent of every series both runs logged, from the
// fork on (core/analysis/SeriesDifference), as a losses plot and a scores plot about 0. What
// the fork's schedule changed shows as the curves leave 0; the parent's noise stays.

#include <QDialog>
#include <QList>

#include "ui/MetricPlot.h"
#include "ui/MetricStore.h"

namespace cvae::ui {

// Fills `out` with child − parent of each series named in both stores, from `from_x`
// (fractional epochs) on; series without an overlapping point are left out.
void fillForkDifferences(MetricStore& out, const MetricStore& child, const MetricStore& parent,
                         double from_x);

class ForkDifferenceDialog : public QDialog {
  Q_OBJECT
 public:
  // `losses` and `scores` name and colour the series as the main window's plots do; only
  // those with differences are shown.
  ForkDifferenceDialog(const MetricStore& child, const MetricStore& parent, double fork_x,
                       const QString& title, const QList<PlotSeries>& losses,
                       const QList<PlotSeries>& scores, QWidget* parent_widget = nullptr);
  const MetricStore& differences() const { return differences_; }
  MetricPlot* lossPlot() const { return loss_plot_; }
  MetricPlot* scorePlot() const { return score_plot_; }

 private:
  MetricStore differences_;
  MetricPlot* loss_plot_ = nullptr;
  MetricPlot* score_plot_ = nullptr;
};

}  // namespace cvae::ui
