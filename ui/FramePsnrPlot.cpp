#include "ui/FramePsnrPlot.h"

#include <algorithm>
#include <cmath>

#include "ui/FrameError.h"
#include "ui/PlotTheme.h"

namespace cvae::ui {

FramePsnrPlot::FramePsnrPlot(QWidget* parent) : QCustomPlot(parent) {
  setMinimumHeight(160);
  setMaximumHeight(240);
  setMinimumWidth(160);  // not the legend's: fitLegendColumns() wraps it to the width
  xAxis->setLabel(tr("frame"));
  // Frames are whole numbers: ticks on them only, every frame or every few.
  QSharedPointer<QCPAxisTickerFixed> frames(new QCPAxisTickerFixed);
  frames->setTickStep(1.0);
  frames->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  xAxis->setTicker(frames);
  yAxis->setLabel(tr("PSNR (dB)"));
  // The legend under the axes, three entries a row: beside them it left a narrow panel's
  // curves no room.
  legend->setVisible(true);
  legend->setFont(QFont(font().family(), 7));
  legend->setIconSize(16, 8);
  legend->setRowSpacing(0);
  legend->setBorderPen(Qt::NoPen);
  axisRect()->insetLayout()->take(legend);
  axisRect()->insetLayout()->simplify();
  plotLayout()->addElement(1, 0, legend);
  plotLayout()->setRowStretchFactor(1, 0.001);
  legend->setWrap(3);
  legend->setFillOrder(QCPLegend::foColumnsFirst, true);
  now_ = new QCPItemStraightLine(this);
  now_->setPen(QPen(palette().color(QPalette::Highlight), 1));
  applyPlotTheme(this, palette());
}

void FramePsnrPlot::setStrips(const std::vector<FrameStrip>& strips) {
  clearGraphs();
  double low = INFINITY, high = -INFINITY;
  auto addCurve = [&](const QString& name, const std::vector<double>& psnr, const QPen& pen) {
    auto* graph = addGraph();
    graph->setName(name);
    graph->setPen(pen);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
    for (size_t t = 0; t < psnr.size(); ++t)
      if (std::isfinite(psnr[t])) {
        graph->addData(static_cast<double>(t + 1), psnr[t]);
        low = std::min(low, psnr[t]);
        high = std::max(high, psnr[t]);
      }
  };
  for (size_t s = 1; s < strips.size(); ++s)
    addCurve(QString::fromStdString(strips[s].title), strips[s].psnr,
             QPen(categoricalColor(static_cast<int>(s) - 1), 1.5));
  if (strips.size() > 1)
    addCurve(tr("copy last frame"), copyLastPsnr(strips[0], givenFrames(strips[1])),
             QPen(palette().color(QPalette::Text), 1, Qt::DashLine));
  const double frames = strips.empty() ? 1.0 : static_cast<double>(strips[0].frames.size());
  xAxis->setRange(0.5, frames + 0.5);
  if (std::isfinite(low)) yAxis->setRange(std::floor(low - 1.0), std::ceil(high + 1.0));
  fitLegendColumns();
  replot(QCustomPlot::rpQueuedReplot);
}

void FramePsnrPlot::setCurrentFrame(int t) {
  now_->point1->setCoords(t + 1, 0);
  now_->point2->setCoords(t + 1, 1);
  replot(QCustomPlot::rpQueuedReplot);
}

QString FramePsnrPlot::curveName(int i) const {
  return i >= 0 && i < graphCount() ? graph(i)->name() : QString();
}

int FramePsnrPlot::pointCount(int i) const {
  return i >= 0 && i < graphCount() ? graph(i)->dataCount() : 0;
}

void FramePsnrPlot::resizeEvent(QResizeEvent* event) {
  fitLegendColumns();
  QCustomPlot::resizeEvent(event);
}

QSize FramePsnrPlot::minimumSizeHint() const {
  return {minimumWidth(), QCustomPlot::minimumSizeHint().height()};
}

void FramePsnrPlot::fitLegendColumns() {
  int widest = 0;
  for (int i = 0; i < legend->itemCount(); ++i)
    if (const auto* item = legend->item(i))  // a wrapped grid has empty cells
      widest = std::max(widest, item->minimumOuterSizeHint().width());
  const int columns = widest > 0 ? std::clamp((width() - 16) / widest, 1, 3) : 3;
  if (columns == legend->wrap()) return;
  legend->setWrap(columns);
  legend->setFillOrder(QCPLegend::foColumnsFirst, true);
}

}  // namespace cvae::ui
