#include "ui/MetricPlot.h"

#include "ui/PlotTheme.h"

#include <QFileDialog>
#include <QMenu>
#include <QSet>
#include <QSvgGenerator>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "core/analysis/SeriesBand.h"
#include "ui/SaveDialog.h"

namespace cvae::ui {
namespace {

// Four plots still fit above the runs table on a 700-pixel-high screen.
constexpr int kMinimumHeight = 100;
constexpr int kXLabelHeight = 15;  // the x-axis label's line, 8 pt text and its padding

}  // namespace

MetricPlot::MetricPlot(const QString& title, const QString& y_label, QList<PlotSeries> series,
                       const MetricStore& store, QWidget* parent)
    : QCustomPlot(parent), store_(store), series_(std::move(series)) {
  setMinimumHeight(kMinimumHeight);
  setNoAntialiasingOnDrag(true);
  setNotAntialiasedElements(QCP::aeAll);
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectLegend);
  plotLayout()->insertRow(0);
  full_title_ = title;
  title_ = new QCPTextElement(this, title, QFont(font().family(), 10, QFont::Bold));
  // A long title (the latent plot's active-unit count) is clipped on a narrow plot instead of
  // setting the window's minimum width and squeezing the side panels.
  title_->setMinimumSize(QSize(1, QFontMetrics(title_->font()).height() + 4));
  plotLayout()->addElement(0, 0, title_);
  connect(this, &QCustomPlot::afterLayout, this, &MetricPlot::fitTitle);
  connect(this, &QCustomPlot::beforeReplot, this, &MetricPlot::fitLegendToHeight);
  xAxis->setLabel(tr("epoch"));
  yAxis->setLabel(y_label);
  placeLegendBesideAxes(this, 1, 140, 8);  // row 1: the title is row 0
  for (const auto& s : series_) {
    if (!s.scatter) {
      // Drawn first, so behind the smoothed curve; shown only while smoothing.
      auto* raw = addGraph();
      QColor faint = s.color;
      faint.setAlpha(60);
      raw->setPen(QPen(faint, 1));
      raw->setAdaptiveSampling(true);
      raw->removeFromLegend();
      raw->setVisible(false);
      raw_graphs_[s.name] = raw;
    }
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
            for (auto it = graphs_.cbegin(); it != graphs_.cend(); ++it)
              if (it.value() == p && raw_graphs_.contains(it.key()))
                raw_graphs_[it.key()]->setVisible(p->visible() && smoothing_ > 0);
            plottable_item->setTextColor(p->visible() ? Qt::black : Qt::gray);
            if (following_) followData();
            replot(QCustomPlot::rpQueuedReplot);
          });
  connect(this, &QCustomPlot::mousePress, this, [this] { following_ = false; });
  connect(xAxis, QOverload<const QCPRange&>::of(&QCPAxis::rangeChanged), this,
          [this](const QCPRange& range) {
            if (!following_ && !linking_) Q_EMIT xRangeChangedByUser(range);
          });
  connect(this, &QCustomPlot::mouseWheel, this, [this] { following_ = false; });
  connect(&store_, &MetricStore::appended, this, &MetricPlot::appendNewPoints);
  connect(&store_, &MetricStore::cleared, this, &MetricPlot::resetFromStore);
  connect(&store_, &MetricStore::markerAdded, this, &MetricPlot::addMarker);
}

void MetricPlot::setTitle(const QString& title) {
  full_title_ = title;
  title_->setText(title);  // fitted to its cell after the next layout
  replot(QCustomPlot::rpQueuedReplot);
}

QString MetricPlot::title() const {
  return full_title_;
}

QString MetricPlot::shownTitle() const {
  return title_->text();
}

void MetricPlot::fitLegendToHeight() {
  if (!legend_fits_height_ || height() <= 0) return;
  int count = 0;
  for (int i = 0; i < legend->itemCount(); ++i) count += legend->item(i) ? 1 : 0;
  // Runs before every replot (live plots replot often): only a new height or a new number of
  // entries can change the fit.
  if (count == 0 || (height() == fitted_height_ && count == fitted_entries_)) return;
  fitted_height_ = height();
  fitted_entries_ = count;
  const int room = height() - QFontMetrics(title_->font()).height() - 8;  // less the title
  auto needed = [&] {
    int sum = 2;  // the legend's margins
    for (int i = 0; i < legend->itemCount(); ++i)
      if (const auto* item = legend->item(i)) sum += item->minimumOuterSizeHint().height();
    return sum;
  };
  auto setPoints = [&](int points) {
    if (legend->font().pointSize() != points) legend->setFont(QFont(font().family(), points));
  };
  setPoints(8);
  int columns = 1;
  if (needed() > room) {
    setPoints(7);
    columns = std::max(1, (needed() + room - 1) / std::max(1, room));
  }
  const int wrap = columns == 1 ? 0 : (count + columns - 1) / columns;
  if (legend->wrap() != wrap || legend->fillOrder() != QCPLayoutGrid::foRowsFirst) {
    legend->setWrap(wrap);
    legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
  }
  legend->setMaximumSize(140 * columns, QWIDGETSIZE_MAX);
}

void MetricPlot::fitTitle() {
  // Elided at the end when wider than its cell (the column above the axes, beside the legend),
  // as laid out by this replot; title() keeps the whole text.
  const int room = title_->outerRect().width() - 8;
  if (room <= 0) return;  // not laid out yet
  const QString shown =
      QFontMetrics(title_->font()).elidedText(full_title_, Qt::ElideRight, std::max(40, room));
  if (shown != title_->text()) title_->setText(shown);
}

int MetricPlot::pointCount(const QString& series) const {
  auto it = graphs_.constFind(series);
  return it == graphs_.constEnd() ? 0 : (*it)->dataCount();
}

namespace {

// Grows `range` to cover `other` (QCPRange::expand), or starts it there.
void include(std::optional<QCPRange>& range, const QCPRange& other) {
  if (range)
    range->expand(other);
  else
    range = other;
}

void setShown(QCPGraph* graph, bool shown) {
  graph->setVisible(shown);
  if (shown)
    graph->addToLegend();
  else
    graph->removeFromLegend();
}

}  // namespace

void MetricPlot::showOnly(const QStringList& names) {
  shown_names_ = names;
  for (const auto& s : series_) {
    setShown(graphs_[s.name], names.contains(s.name));  // in order
    if (raw_graphs_.contains(s.name)) {
      raw_graphs_[s.name]->setVisible(names.contains(s.name) && smoothing_ > 0);
      raw_graphs_[s.name]->removeFromLegend();
    }
  }
  for (const auto& overlay : overlays_) setShown(overlay.graph, names.contains(overlay.series));
  showPlans();
  // (band edges leave the legend again in nameOverlaysInLegend)
  nameOverlaysInLegend();
  // Graphs that were hidden when their points arrived (a run opened before its experiment
  // was selected) took no part in the range: take it again.
  if (following_) followData();
  replot(QCustomPlot::rpQueuedReplot);
}

QColor MetricPlot::overlayColor(int index) {
  // One colour per overlaid run (Tableau's palette, as the plots' own series use).
  static const QColor kRunColors[] = {
      QColor(255, 127, 14), QColor(148, 103, 189), QColor(140, 86, 75),   QColor(227, 119, 194),
      QColor(188, 189, 34), QColor(23, 190, 207),  QColor(127, 127, 127), QColor(44, 160, 44)};
  return kRunColors[index % 8];
}

void MetricPlot::addBandOverlay(const QString& group_label,
                                const QList<const MetricStore*>& members, int index) {
  const QColor color = overlayColor(index);
  QColor fill = color;
  fill.setAlpha(45);
  for (const auto& s : series_) {
    std::vector<std::vector<double>> xs, ys;
    for (const MetricStore* member : members) {
      const auto& data = member->series(s.name);
      const QVector<double> x = member->toAxis(data.x, x_axis_);
      xs.emplace_back(x.begin(), x.end());
      ys.emplace_back(data.y.begin(), data.y.end());
    }
    const SeriesBand band = seriesBand(xs, ys);
    if (band.x.empty()) continue;
    QVector<double> x(band.x.begin(), band.x.end()), mean, lower, upper;
    for (size_t i = 0; i < band.x.size(); ++i) {
      mean.push_back(band.mean[i]);
      lower.push_back(band.mean[i] - band.std[i]);
      upper.push_back(band.mean[i] + band.std[i]);
    }
    auto* low = addGraph();
    auto* high = addGraph();
    for (auto* edge : {low, high}) {
      edge->setPen(Qt::NoPen);
      edge->removeFromLegend();
      edge->setAdaptiveSampling(true);
    }
    low->setData(x, lower, /*alreadySorted=*/true);
    high->setData(x, upper, /*alreadySorted=*/true);
    high->setBrush(fill);
    high->setChannelFillGraph(low);
    auto* centre = addGraph();
    centre->setName(QString("%1 (%2)").arg(s.label, group_label));
    centre->setPen(QPen(color, 1.6));
    centre->setAdaptiveSampling(true);
    if (s.scatter) centre->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, 5));
    centre->setData(x, gapsForNonFinite(x, mean), /*alreadySorted=*/true);
    overlays_.push_back({s.name, group_label, centre, false});
    overlays_.push_back({s.name, group_label, low, true});
    overlays_.push_back({s.name, group_label, high, true});
    if (!shown_names_.isEmpty())
      for (auto* graph : {centre, low, high}) setShown(graph, shown_names_.contains(s.name));
  }
  nameOverlaysInLegend();
  following_ = true;
  followData();
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::addOverlay(const QString& run_label, const MetricStore& other, int index) {
  // One colour per overlaid run, one dash style per series, so that several runs stay apart in
  // every plot and in the legend.
  static const Qt::PenStyle kStyles[] = {Qt::DashLine, Qt::DotLine, Qt::DashDotLine,
                                         Qt::DashDotDotLine};
  int series_index = 0;
  for (const auto& s : series_) {
    const auto& data = other.series(s.name);
    if (data.x.isEmpty()) continue;
    auto* graph = addGraph();
    graph->setName(QString("%1 (%2)").arg(s.label, run_label));
    QColor color = overlayColor(index);
    color.setAlpha(200);
    graph->setPen(QPen(color, 1.3, kStyles[series_index++ % 4]));
    graph->setAdaptiveSampling(true);
    if (s.scatter) graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, 5));
    ExponentialSmoother smoother(smoothing_);
    const QVector<double> x = other.toAxis(data.x, x_axis_);
    graph->setData(x, smoothed(s, gapsForNonFinite(x, data.y), smoother),
                   /*alreadySorted=*/true);  // a finished run: set once
    overlays_.push_back({s.name, run_label, graph});
    if (!shown_names_.isEmpty()) setShown(graph, shown_names_.contains(s.name));
  }
  nameOverlaysInLegend();
  following_ = true;
  followData();
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::setPlan(const QString& series, const QVector<double>& x,
                         const QVector<double>& y) {
  const auto spec = std::find_if(series_.begin(), series_.end(),
                                 [&series](const PlotSeries& s) { return s.name == series; });
  if (spec == series_.end()) return;
  if (x.isEmpty()) {
    if (auto* graph = plan_graphs_.take(series)) removeGraph(graph);
    plans_.remove(series);
  } else {
    if (!plan_graphs_.contains(series)) {
      auto* graph = addGraph();
      QColor color = spec->color;
      color.setAlpha(170);
      graph->setPen(QPen(color, 1.4, Qt::DashLine));
      // Under the applied values: the plan is what they are read against.
      graph->setLayer("grid");
      plan_graphs_[series] = graph;
    }
    plans_[series] = Series{x, y};
  }
  showPlans();
  if (following_) followData();
  replot(QCustomPlot::rpQueuedReplot);
}

int MetricPlot::planPointCount(const QString& series) const {
  const auto* graph = plan_graphs_.value(series, nullptr);
  return graph ? graph->dataCount() : 0;
}

void MetricPlot::showPlans() {
  bool named = false;
  for (const auto& s : series_) {
    auto* graph = plan_graphs_.value(s.name, nullptr);
    if (!graph) continue;
    const Series& plan = plans_[s.name];
    graph->setData(store_.toAxis(plan.x, x_axis_), plan.y, /*alreadySorted=*/true);
    const bool shown =
        x_axis_ != XAxis::Time && (shown_names_.isEmpty() || shown_names_.contains(s.name));
    graph->setVisible(shown);
    graph->removeFromLegend();
    if (shown && !named) {
      named = true;
      graph->setName(tr("planned"));
      graph->addToLegend();
    }
  }
}

void MetricPlot::nameOverlaysInLegend() {
  // One legend entry per overlaid run, its name on its first shown series: with a few runs, an
  // entry per run and series would outgrow the plot. The dash styles follow the plot's own
  // series order.
  QSet<QString> named;
  for (const auto& overlay : overlays_) {
    if (overlay.band_edge) {
      overlay.graph->removeFromLegend();
      continue;
    }
    if (!overlay.graph->visible()) continue;
    if (named.contains(overlay.run)) {
      overlay.graph->removeFromLegend();
      continue;
    }
    named.insert(overlay.run);
    overlay.graph->setName(overlay.run);
    overlay.graph->addToLegend();
  }
}

void MetricPlot::clearOverlays() {
  for (const auto& overlay : overlays_) removeGraph(overlay.graph);
  overlays_.clear();
  if (following_) followData();
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::appendNewPoints() {
  bool added = false;
  std::optional<QCPRange> keys, values;  // of the new finite points of shown graphs
  for (const auto& s : series_) {
    const auto& data = store_.series(s.name);
    int& shown = shown_[s.name];
    if (data.x.size() <= shown) continue;
    auto* graph = graphs_[s.name];
    const QVector<double> x = store_.toAxis(data.x.mid(shown), x_axis_);
    const QVector<double> y = gapsForNonFinite(x, data.y.mid(shown));
    if (smoothing_ > 0 && raw_graphs_.contains(s.name)) {
      raw_graphs_[s.name]->addData(x, y, /*alreadySorted=*/true);
      graph->addData(x, smoothed(s, y, smoothers_[s.name]), /*alreadySorted=*/true);
    } else {
      graph->addData(x, y, /*alreadySorted=*/true);
    }
    if (graph->visible()) {
      for (int i = shown; i < data.x.size(); ++i) {
        if (!std::isfinite(data.y[i])) continue;
        include(keys, QCPRange(x[i - shown], x[i - shown]));
        include(values, QCPRange(data.y[i], data.y[i]));
      }
    }
    shown = data.x.size();
    added = true;
  }
  if (!added) return;
  if (following_ && keys) followNewPoints(*keys, *values);
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::followNewPoints(const QCPRange& keys, const QCPRange& values) {
  if (!data_keys_) {
    followData();
    return;
  }
  data_keys_->expand(keys);
  data_values_->expand(values);
  applyRange();
}

void MetricPlot::resetFromStore() {
  // A new run: its own markers only. (Schedule edits come from the store; others, such as a
  // fork step, are added again by whoever shows that run.)
  markers_.clear();
  redraw();
  for (double x : store_.markers()) addMarker(x);
}

void MetricPlot::setXAxis(XAxis axis) {
  if (axis == x_axis_) return;
  x_axis_ = axis;
  xAxis->setLabel(xLabelText());
  redraw();
}

QString MetricPlot::xLabelText() const {
  if (!x_label_shown_) return {};
  return x_axis_ == XAxis::Epoch  ? tr("epoch")
         : x_axis_ == XAxis::Step ? tr("step")
                                  : tr("training time (s)");
}

void MetricPlot::setXLabelShown(bool shown) {
  if (shown == x_label_shown_) return;
  x_label_shown_ = shown;
  xAxis->setLabel(xLabelText());
  setMinimumHeight(shown ? kMinimumHeight : kMinimumHeight - kXLabelHeight);
  updateTickCount();
  replot(rpQueuedReplot);
}

void MetricPlot::updateTickCount() {
  // One tick step per 24 pixels of axis (the plot less its title and x-axis, about 65 px with
  // the x label), so the labels (about 14 px high, one more than the steps) never touch.
  const int axis = height() - 65 + (x_label_shown_ ? 0 : kXLabelHeight);
  // At least two, so the scale can be read (one labelled tick says where 0 is, not how far).
  yAxis->ticker()->setTickCount(std::clamp(axis / 24, 2, 5));
}

void MetricPlot::redraw() {
  const QVector<double> markers = markers_;
  markers_.clear();
  for (const auto& s : series_) {
    graphs_[s.name]->data()->clear();
    if (raw_graphs_.contains(s.name)) {
      raw_graphs_[s.name]->data()->clear();
      raw_graphs_[s.name]->setVisible(smoothing_ > 0 && graphs_[s.name]->visible());
    }
    smoothers_[s.name] = ExponentialSmoother(smoothing_);
    shown_[s.name] = 0;
  }
  clearItems();
  showPlans();  // in the new axis' units
  non_finite_marks_ = 0;
  following_ = true;
  data_keys_.reset();
  data_values_.reset();
  appendNewPoints();
  for (double x : markers) addMarker(x);
  replot(QCustomPlot::rpQueuedReplot);
}

QVector<double> MetricPlot::gapsForNonFinite(const QVector<double>& x, const QVector<double>& y) {
  QVector<double> out = y;
  for (int i = 0; i < out.size(); ++i) {
    if (std::isfinite(out[i])) continue;
    out[i] = std::numeric_limits<double>::quiet_NaN();
    if (i < x.size() && std::isfinite(x[i])) markNonFinite(x[i]);
  }
  return out;
}

void MetricPlot::markNonFinite(double x) {
  // A short red tick standing on the x axis: its key in plot coordinates, its height a share
  // of the axis rect, so it stays put while the values rescale.
  auto* tick = new QCPItemLine(this);
  tick->start->setTypeX(QCPItemPosition::ptPlotCoords);
  tick->start->setTypeY(QCPItemPosition::ptAxisRectRatio);
  tick->end->setTypeX(QCPItemPosition::ptPlotCoords);
  tick->end->setTypeY(QCPItemPosition::ptAxisRectRatio);
  tick->start->setCoords(x, 1.0);
  tick->end->setCoords(x, 0.9);
  tick->setPen(QPen(QColor(214, 39, 40), 2));
  ++non_finite_marks_;
}

void MetricPlot::addMarker(double x) {
  markers_.push_back(x);
  const double at = store_.toAxis(x, x_axis_);
  auto* line = new QCPItemStraightLine(this);
  line->point1->setCoords(at, 0);
  line->point2->setCoords(at, 1);
  line->setPen(QPen(QColor(200, 120, 0), 1, Qt::DashLine));
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::followData() {
  std::optional<QCPRange> keys, values;
  QList<QCPGraph*> all = graphs_.values();
  all += raw_graphs_.values();  // visible only while smoothing
  for (const auto& overlay : overlays_) all.push_back(overlay.graph);
  all += plan_graphs_.values();  // the whole planned run is in view from its start
  for (auto* graph : all) {
    if (!graph->visible() || graph->dataCount() == 0) continue;
    bool ok = false;
    const auto k = graph->getKeyRange(ok);
    if (!ok) continue;
    const auto v = graph->getValueRange(ok);
    if (!ok) continue;
    include(keys, k);
    include(values, v);
  }
  data_keys_ = keys;
  data_values_ = values;
  if (data_keys_) applyRange();
}

void MetricPlot::applyRange() {
  QCPRange keys = *data_keys_;
  // A single evaluation is one key: centre it, or its points sit on the axis, half hidden.
  if (keys.size() <= 0) keys = QCPRange(keys.lower - 0.5, keys.lower + 0.5);
  const QCPRange& values = *data_values_;
  xAxis->setRange(keys);
  if (yAxis->scaleType() == QCPAxis::stLogarithmic) {
    // Log scale: a positive range, padded by a factor; zeros (a KL held at 0) fall below it.
    const double upper = values.upper > 0 ? values.upper : 1;
    const double lower = values.lower > 0 ? values.lower : upper * 1e-4;
    yAxis->setRange(lower / 1.3, upper * 1.3);
    return;
  }
  const double pad = values.size() > 0 ? values.size() * 0.05 : 0.5;
  yAxis->setRange(values.lower - pad, values.upper + pad);
}

void MetricPlot::setLogScale(bool log) {
  yAxis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (log)
    yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  else
    yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  resetZoom();
}

void MetricPlot::resizeEvent(QResizeEvent* event) {
  updateTickCount();
  QCustomPlot::resizeEvent(event);
}

void MetricPlot::mouseDoubleClickEvent(QMouseEvent* event) {
  resetZoom();
  QCustomPlot::mouseDoubleClickEvent(event);
}

QVector<double> MetricPlot::smoothed(const PlotSeries& series, const QVector<double>& y,
                                     ExponentialSmoother& smoother) const {
  if (smoothing_ <= 0 || series.scatter) return y;
  QVector<double> out(y.size());
  for (int i = 0; i < y.size(); ++i) out[i] = smoother.next(y[i]);
  return out;
}

void MetricPlot::setSmoothing(double weight) {
  weight = std::clamp(weight, 0.0, 0.999);
  if (weight == smoothing_) return;
  smoothing_ = weight;
  redraw();
}

QString MetricPlot::valuesAt(double x) const {
  QStringList parts;
  double shown_x = std::nan("");
  auto nearest = [&](const QCPGraph* graph, const QString& name) {
    if (!graph->visible() || graph->dataCount() == 0) return;
    const auto data = graph->data();
    auto it = data->findBegin(x, /*expandedRange=*/false);
    if (it == data->constEnd()) it = data->constEnd() - 1;
    if (it != data->constBegin()) {
      const auto before = it - 1;
      if (std::abs(before->key - x) < std::abs(it->key - x)) it = before;
    }
    if (!std::isfinite(it->value)) return;
    if (std::isnan(shown_x)) shown_x = it->key;
    parts << QString("%1 %2").arg(name, QString::number(it->value, 'g', 4));
  };
  for (const auto& s : series_) nearest(graphs_.value(s.name), s.label);
  for (const auto& overlay : overlays_)
    if (!overlay.band_edge) nearest(overlay.graph, overlay.graph->name());
  if (parts.isEmpty()) return {};
  const QString where = x_axis_ == XAxis::Epoch  ? tr("epoch %1").arg(shown_x, 0, 'f', 2)
                        : x_axis_ == XAxis::Step ? tr("step %1").arg(shown_x, 0, 'f', 0)
                                                 : tr("%1 s").arg(shown_x, 0, 'f', 1);
  return where + " · " + parts.join(" · ");
}

void MetricPlot::mouseMoveEvent(QMouseEvent* event) {
  QCustomPlot::mouseMoveEvent(event);
  if (event->buttons() != Qt::NoButton) return;  // dragging pans; no tooltip meanwhile
  if (!axisRect()->rect().contains(event->position().toPoint())) {
    QToolTip::hideText();
    return;
  }
  const QString text = valuesAt(xAxis->pixelToCoord(event->position().x()));
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void MetricPlot::zoomX(const QCPRange& range) {
  following_ = false;
  xAxis->setRange(range);
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::showXRange(const QCPRange& range) {
  if (xAxis->range() == range) return;
  linking_ = true;
  following_ = false;
  xAxis->setRange(range);
  linking_ = false;
  replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::resetZoom() {
  following_ = true;
  followData();
  replot(QCustomPlot::rpQueuedReplot);
}

bool MetricPlot::exportImage(const QString& path) {
  if (path.endsWith(".pdf", Qt::CaseInsensitive)) return savePdf(path);
  if (path.endsWith(".svg", Qt::CaseInsensitive)) {
    // QCustomPlot draws on any QPainter; Qt SVG's generator makes it a vector file that
    // papers and slides scale without blur.
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size());
    svg.setViewBox(rect());
    svg.setTitle(plotLayout()->elementCount() > 0 ? windowTitle() : QString());
    QCPPainter painter;
    if (!painter.begin(&svg)) return false;
    toPainter(&painter, width(), height());
    return painter.end();
  }
  return savePng(path, 0, 0, 2.0);
}

void MetricPlot::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Follow the data"), this, &MetricPlot::resetZoom);
  menu.addAction(tr("Export as PNG, SVG or PDF…"), this, [this] {
    const QString path = askSavePath(this, tr("Export plot"), export_folder_, export_name_ + ".png",
                                     tr("Images"), {"png", "svg", "pdf"});
    if (!path.isEmpty()) exportImage(path);
  });
  menu.exec(event->globalPos());
}

}  // namespace cvae::ui
