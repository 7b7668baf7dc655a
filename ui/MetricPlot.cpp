#include "ui/MetricPlot.h"

#include <QFileDialog>
#include <QMenu>

namespace cvae::ui {

MetricPlot::MetricPlot(const QString& title, const QString& y_label, QList<PlotSeries> series,
                       const MetricStore& store, QWidget* parent)
    : QCustomPlot(parent), store_(store), series_(std::move(series)) {
  setMinimumHeight(160);
  setNoAntialiasingOnDrag(true);
  setNotAntialiasedElements(QCP::aeAll);
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectLegend);
  plotLayout()->insertRow(0);
  plotLayout()->addElement(
      0, 0, new QCPTextElement(this, title, QFont(font().family(), 10, QFont::Bold)));
  xAxis->setLabel(tr("epoch"));
  yAxis->setLabel(y_label);
  legend->setVisible(true);
  legend->setFont(QFont(font().family(), 8));
  axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  for (const auto& s : series_) {
    auto* graph = addGraph();
    graph->setName(s.label);
    graph->setPen(QPen(s.color, 1));
    graph->setAdaptiveSampling(true);
    if (s.scatter) graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
    graphs_[s.name] = graph;
    shown_[s.name] = 0;
  }
  connect(this, &QCustomPlot::legendClick, this,
          [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
            auto* plottable_item = qobject_cast<QCPPlottableLegendItem*>(item);
            if (!plottable_item) return;
            auto* p = plottable_item->plottable();
            p->setVisible(!p->visible());
            plottable_item->setTextColor(p->visible() ? Qt::black : Qt::gray);
            replot(QCustomPlot::rpQueuedReplot);
          });
  connect(this, &QCustomPlot::mousePress, this, [this] { following_ = false; });
  connect(this, &QCustomPlot::mouseWheel, this, [this] { following_ = false; });
  connect(&store_, &MetricStore::appended, this, &MetricPlot::appendNewPoints);
  connect(&store_, &MetricStore::cleared, this, &MetricPlot::resetFromStore);
  connect(&store_, &MetricStore::markerAdded, this, &MetricPlot::addMarker);
}

int MetricPlot::pointCount(const QString& series) const {
  auto it = graphs_.constFind(series);
  return it == graphs_.constEnd() ? 0 : (*it)->dataCount();
}

void MetricPlot::showOnly(const QStringList& names) {
  for (auto it = graphs_.begin(); it != graphs_.end(); ++it) {
    const bool shown = names.contains(it.key());
    it.value()->setVisible(shown);
    if (shown)
      it.value()->addToLegend();
    else
      it.value()->removeFromLegend();
  }
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::appendNewPoints() {
  bool added = false;
  for (const auto& s : series_) {
    const auto& data = store_.series(s.name);
    int& shown = shown_[s.name];
    if (data.x.size() <= shown) continue;
    graphs_[s.name]->addData(data.x.mid(shown), data.y.mid(shown), /*alreadySorted=*/true);
    shown = data.x.size();
    added = true;
  }
  if (!added) return;
  if (following_) followData();
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::resetFromStore() {
  for (const auto& s : series_) {
    graphs_[s.name]->data()->clear();
    shown_[s.name] = 0;
  }
  clearItems();
  following_ = true;
  appendNewPoints();
  for (double x : store_.markers()) addMarker(x);
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::addMarker(double x) {
  auto* line = new QCPItemStraightLine(this);
  line->point1->setCoords(x, 0);
  line->point2->setCoords(x, 1);
  line->setPen(QPen(QColor(200, 120, 0), 1, Qt::DashLine));
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::followData() {
  bool found = false;
  QCPRange keys, values;
  for (auto* graph : graphs_) {
    if (!graph->visible() || graph->dataCount() == 0) continue;
    bool ok = false;
    const auto k = graph->getKeyRange(ok);
    if (!ok) continue;
    const auto v = graph->getValueRange(ok);
    if (!ok) continue;
    keys = found ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
    values = found ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
    found = true;
  }
  if (!found) return;
  if (keys.size() <= 0) keys = QCPRange(keys.lower, keys.lower + 1);
  const double pad = values.size() > 0 ? values.size() * 0.05 : 0.5;
  xAxis->setRange(keys);
  yAxis->setRange(values.lower - pad, values.upper + pad);
}

void MetricPlot::mouseDoubleClickEvent(QMouseEvent* event) {
  following_ = true;
  followData();
  replot(QCustomPlot::rpQueuedReplot);
  QCustomPlot::mouseDoubleClickEvent(event);
}

bool MetricPlot::exportImage(const QString& path) {
  if (path.endsWith(".pdf", Qt::CaseInsensitive)) return savePdf(path);
  return savePng(path, 0, 0, 2.0);
}

void MetricPlot::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Follow the data"), this, [this] {
    following_ = true;
    followData();
    replot(QCustomPlot::rpQueuedReplot);
  });
  menu.addAction(tr("Export as PNG or PDF…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), "plot.png",
                                                      tr("Images (*.png *.pdf)"));
    if (!path.isEmpty()) exportImage(path);
  });
  menu.exec(event->globalPos());
}

}  // namespace cvae::ui
