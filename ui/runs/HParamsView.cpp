#include "ui/runs/HParamsView.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/QCustomPlotInclude.h"
#include "ui/runs/RunsTableModel.h"

namespace cvae::ui {
namespace {

bool isNumber(const QVariant& v) {
  return v.isValid() && v.typeId() != QMetaType::QString && v.canConvert<double>();
}

QString shortNumber(double v) {
  return QString::number(v, 'g', 4);
}

}  // namespace

double HParamsAxis::position(size_t run) const {
  const QVariant& v = values[run];
  if (!v.isValid()) return std::nan("");
  if (numeric) return max > min ? (v.toDouble() - min) / (max - min) : 0.5;
  const auto i = categories.indexOf(v.toString());
  return categories.size() > 1 ? static_cast<double>(i) / static_cast<double>(categories.size() - 1)
                               : 0.5;
}

QString HParamsAxis::label(double position) const {
  if (numeric) return shortNumber(min + position * (max - min));
  if (categories.isEmpty()) return {};
  return categories[std::clamp<int>(
      static_cast<int>(std::lround(position * (categories.size() - 1))), 0,
      static_cast<int>(categories.size()) - 1)];
}

std::vector<HParamsAxis> hparamsAxes(const RunsTableModel& model, const QList<int>& rows) {
  QStringList columns = model.differingKeys();
  for (int c = 0; c < model.columnCount(); ++c) {
    const QString header = model.headerData(c, Qt::Horizontal).toString();
    if (header.startsWith("best ")) columns.push_back(header);
  }
  std::vector<HParamsAxis> axes;
  for (const auto& name : columns) {
    HParamsAxis axis;
    axis.name = name;
    const int c = model.column(name);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    bool any = false;
    for (int row : rows) {
      QVariant v = model.data(model.index(row, c), RunsTableModel::SortRole);
      if (v.isValid() && !isNumber(v)) axis.numeric = false;
      axis.values.push_back(v);
    }
    for (const auto& v : axis.values) {
      if (!v.isValid()) continue;
      any = true;
      if (axis.numeric) {
        lo = std::min(lo, v.toDouble());
        hi = std::max(hi, v.toDouble());
      } else if (!axis.categories.contains(v.toString())) {
        axis.categories.push_back(v.toString());
      }
    }
    if (!any) continue;  // no run has it: no axis
    axis.categories.sort();
    if (axis.numeric) {
      axis.min = lo;
      axis.max = hi;
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

HParamsView::HParamsView(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("HParams"));
  resize(900, 560);
  auto* tabs = new QTabWidget(this);

  auto* scatter_page = new QWidget;
  scatter_x_ = new QComboBox;
  scatter_y_ = new QComboBox;
  scatter_ = new QCustomPlot;
  auto* scatter_controls = new QHBoxLayout;
  scatter_controls->addWidget(new QLabel(tr("x:")));
  scatter_controls->addWidget(scatter_x_, 1);
  scatter_controls->addWidget(new QLabel(tr("y:")));
  scatter_controls->addWidget(scatter_y_, 1);
  auto* scatter_layout = new QVBoxLayout(scatter_page);
  scatter_layout->addLayout(scatter_controls);
  scatter_layout->addWidget(scatter_, 1);
  tabs->addTab(scatter_page, tr("Scatter"));

  auto* parallel_page = new QWidget;
  colour_by_ = new QComboBox;
  parallel_ = new QCustomPlot;
  auto* parallel_controls = new QHBoxLayout;
  parallel_controls->addWidget(new QLabel(tr("colour by:")));
  parallel_controls->addWidget(colour_by_, 1);
  parallel_controls->addWidget(new QLabel(tr("dark: low, yellow: high")));
  auto* parallel_layout = new QVBoxLayout(parallel_page);
  parallel_layout->addLayout(parallel_controls);
  parallel_layout->addWidget(parallel_, 1);
  tabs->addTab(parallel_page, tr("Parallel coordinates"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(tabs);
  connect(scatter_x_, &QComboBox::currentIndexChanged, this, &HParamsView::drawScatter);
  connect(scatter_y_, &QComboBox::currentIndexChanged, this, &HParamsView::drawScatter);
  connect(colour_by_, &QComboBox::currentIndexChanged, this, &HParamsView::drawParallel);
  tabs->setCurrentIndex(1);
}

void HParamsView::setRuns(const RunsTableModel& model, const QList<int>& rows) {
  axes_ = hparamsAxes(model, rows);
  names_.clear();
  for (int row : rows) names_.push_back(model.data(model.index(row, 0)).toString());
  for (auto* combo : {scatter_x_, scatter_y_, colour_by_}) {
    const QSignalBlocker block(combo);
    combo->clear();
  }
  for (const auto& axis : axes_) {
    scatter_x_->addItem(axis.name);
    if (axis.name.startsWith("best ")) {
      scatter_y_->addItem(axis.name);
      colour_by_->addItem(axis.name);
    }
  }
  {
    const QSignalBlocker block(scatter_x_);
    scatter_x_->setCurrentIndex(0);
  }
  setWindowTitle(tr("HParams — %n run(s)", "", static_cast<int>(rows.size())));
  drawScatter();
  drawParallel();
}

void HParamsView::drawScatter() {
  scatter_->clearGraphs();
  scatter_->clearItems();
  const auto find = [&](const QString& name) -> const HParamsAxis* {
    for (const auto& a : axes_)
      if (a.name == name) return &a;
    return nullptr;
  };
  const HParamsAxis* x = find(scatter_x_->currentText());
  const HParamsAxis* y = find(scatter_y_->currentText());
  if (!x || !y) {
    scatter_->replot();
    return;
  }
  QVector<double> xs, ys;
  for (size_t r = 0; r < static_cast<size_t>(names_.size()); ++r) {
    const QVariant& vx = x->values[r];
    const QVariant& vy = y->values[r];
    if (!vx.isValid() || !vy.isValid()) continue;
    xs.push_back(x->numeric ? vx.toDouble()
                            : static_cast<double>(x->categories.indexOf(vx.toString())));
    ys.push_back(vy.toDouble());
  }
  auto* graph = scatter_->addGraph();
  graph->setLineStyle(QCPGraph::lsNone);
  graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(31, 119, 180),
                                         QColor(31, 119, 180, 90), 8));
  graph->setData(xs, ys);
  if (x->numeric) {
    scatter_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  } else {
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < x->categories.size(); ++i) ticker->addTick(i, x->categories[i]);
    scatter_->xAxis->setTicker(ticker);
  }
  scatter_->xAxis->setLabel(x->name);
  scatter_->yAxis->setLabel(y->name);
  graph->rescaleAxes();
  const QCPRange xr = scatter_->xAxis->range();
  const QCPRange yr = scatter_->yAxis->range();
  const double xm = std::max(0.5, xr.size() * 0.08), ym = std::max(1e-6, yr.size() * 0.08);
  scatter_->xAxis->setRange(xr.lower - xm, xr.upper + xm);
  scatter_->yAxis->setRange(yr.lower - ym, yr.upper + ym);
  scatter_->replot();
}

void HParamsView::drawParallel() {
  parallel_->clearPlottables();
  parallel_->clearItems();
  const int n = static_cast<int>(axes_.size());
  if (n == 0) {
    parallel_->replot();
    return;
  }
  const HParamsAxis* colour = nullptr;
  for (const auto& a : axes_)
    if (a.name == colour_by_->currentText()) colour = &a;
  // Viridis (matplotlib's default map): ordered in lightness, readable by colour-blind users.
  QCPColorGradient gradient;
  gradient.clearColorStops();
  gradient.setColorStopAt(0.0, QColor(68, 1, 84));
  gradient.setColorStopAt(0.25, QColor(59, 82, 139));
  gradient.setColorStopAt(0.5, QColor(33, 145, 140));
  gradient.setColorStopAt(0.75, QColor(94, 201, 98));
  gradient.setColorStopAt(1.0, QColor(253, 231, 37));
  for (size_t r = 0; r < static_cast<size_t>(names_.size()); ++r) {
    auto* curve = new QCPCurve(parallel_->xAxis, parallel_->yAxis);
    QVector<double> t, xs, ys;
    for (int a = 0; a < n; ++a) {
      const double p = axes_[a].position(r);
      if (std::isnan(p)) continue;  // a run without the key: its line skips the axis
      t.push_back(a);
      xs.push_back(a);
      ys.push_back(p);
    }
    curve->setData(t, xs, ys);
    QColor c(120, 120, 120);
    if (colour) {
      const double p = colour->position(r);
      if (!std::isnan(p)) c = QColor::fromRgb(gradient.color(p, QCPRange(0, 1)));
    }
    curve->setPen(QPen(c, 1.6));
    curve->setName(names_[r]);
  }
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (int a = 0; a < n; ++a) {
    ticker->addTick(a, axes_[a].name);
    // Each axis: a vertical line with its range at the ends.
    auto* line = new QCPItemStraightLine(parallel_);
    line->point1->setCoords(a, 0);
    line->point2->setCoords(a, 1);
    line->setPen(QPen(QColor(90, 90, 90), 1));
    for (double end : {0.0, 1.0}) {
      auto* label = new QCPItemText(parallel_);
      label->position->setCoords(a, end);
      label->setPositionAlignment(Qt::AlignHCenter | (end > 0.5 ? Qt::AlignBottom : Qt::AlignTop));
      label->setText(axes_[a].label(end));
      label->setPadding(QMargins(2, 2, 2, 2));
      label->setBrush(QBrush(QColor(255, 255, 255, 200)));
    }
  }
  parallel_->xAxis->setTicker(ticker);
  parallel_->xAxis->setTickLabelRotation(n > 6 ? 20 : 0);
  parallel_->xAxis->setRange(-0.3, n - 0.7);
  parallel_->yAxis->setRange(-0.08, 1.08);
  parallel_->yAxis->setVisible(false);
  parallel_->xAxis->grid()->setVisible(false);
  parallel_->yAxis->grid()->setVisible(false);
  parallel_->replot();
}

}  // namespace cvae::ui
