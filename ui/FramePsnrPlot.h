#pragma once
// PSNR per frame of the frame browser's model rows (posterior reconstruction, each prior
// sample; SVG-LP's figure 4 for one sequence), the copy-last baseline dashed, and a line at the
// frame shown. Given frames have no PSNR and are left out.

#include "ui/QCustomPlotInclude.h"

#include <vector>

#include "core/experiments/Evaluation.h"

namespace cvae::ui {

class FramePsnrPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit FramePsnrPlot(QWidget* parent = nullptr);

  // strips[0] is the truth (FrameBrowser's order); one curve per other strip, then copy-last.
  void setStrips(const std::vector<FrameStrip>& strips);
  void setCurrentFrame(int t);  // 0-based; drawn 1-based as the browser counts

  int curveCount() const { return graphCount(); }
  QString curveName(int i) const;
  int pointCount(int i) const;  // the finite points of curve i

  // As narrow as the minimum width: the legend wraps to whatever width the plot gets (the
  // plot's own hint is its legend's width at the columns it had, 248 px for a run of four
  // samples laid out wider first, which pushed the side panel into scrolling sideways).
  QSize minimumSizeHint() const override;

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  // As many legend entries to a row as the width holds (three at most), so the legend never sets
  // the panel's minimum width (three long names made it 345 px, wider than a side panel).
  void fitLegendColumns();
  QCPItemStraightLine* now_;
};

}  // namespace cvae::ui
