#include "ui/runs/HParamsView.h"

#include <QFileInfo>
#include <QFontMetrics>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/QCustomPlotInclude.h"
#include "ui/runs/RunsTableModel.h"

#include "core/analysis/SeriesAgainst.h"

namespace cvae::ui {
namespace {

bool isNumber(const QVariant& v) {
  return v.isValid() && v.typeId() != QMetaType::QString && v.canConvert<double>();
}

// A run's score axis: a best value, or any value at a score's best evaluation.
bool isScoreAxis(const QString& name) {
  return name.startsWith("best ") || name.contains(" @ best ");
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
    if (isScoreAxis(header)) columns.push_back(header);
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
  auto* tabs = tabs_ = new QTabWidget(this);

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

  auto* curves_page = new QWidget;
  curve_x_ = new QComboBox;
  curve_y_ = new QComboBox;
  curves_ = new QCustomPlot;
  curves_note_ = new QLabel;
  curves_note_->setWordWrap(true);
  auto* curves_controls = new QHBoxLayout;
  curves_controls->addWidget(new QLabel(tr("x:")));
  curves_controls->addWidget(curve_x_, 1);
  curves_controls->addWidget(new QLabel(tr("y:")));
  curves_controls->addWidget(curve_y_, 1);
  auto* curves_layout = new QVBoxLayout(curves_page);
  curves_layout->addLayout(curves_controls);
  curves_layout->addWidget(curves_note_);
  curves_layout->addWidget(curves_, 1);
  curves_->legend->setVisible(true);
  curves_->legend->setFont(QFont(font().family(), 8));
  // The legend beside the axes, never over the curves.
  curves_->axisRect()->insetLayout()->take(curves_->legend);
  curves_->axisRect()->insetLayout()->simplify();
  curves_->plotLayout()->addElement(0, 1, curves_->legend);
  curves_->plotLayout()->setColumnStretchFactor(1, 0.001);
  curves_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

  auto* importance_page = new QWidget;
  importance_score_ = new QComboBox;
  importance_ = new QCustomPlot;
  importance_note_ = new QLabel;
  importance_note_->setWordWrap(true);
  auto* importance_controls = new QHBoxLayout;
  importance_controls->addWidget(new QLabel(tr("score:")));
  importance_controls->addWidget(importance_score_, 1);
  auto* importance_layout = new QVBoxLayout(importance_page);
  importance_layout->addLayout(importance_controls);
  importance_layout->addWidget(importance_note_);
  importance_layout->addWidget(importance_, 1);
  tabs->addTab(importance_page, tr("Importance"));
  tabs->addTab(curves_page, tr("Curves"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(tabs);
  connect(scatter_x_, &QComboBox::currentIndexChanged, this, &HParamsView::drawScatter);
  connect(scatter_y_, &QComboBox::currentIndexChanged, this, &HParamsView::drawScatter);
  connect(colour_by_, &QComboBox::currentIndexChanged, this, &HParamsView::drawParallel);
  // Brushing: drag along an axis to select the runs whose values lie in the dragged range; a
  // click without a drag clears it.
  connect(parallel_, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
    drag_start_ = parallel_->yAxis->pixelToCoord(event->position().y());
    drag_axis_ =
        static_cast<int>(std::lround(parallel_->xAxis->pixelToCoord(event->position().x())));
  });
  connect(parallel_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* event) {
    if (drag_start_ < -0.5) return;
    const double end = parallel_->yAxis->pixelToCoord(event->position().y());
    const double start = drag_start_;
    drag_start_ = -1;
    if (std::abs(end - start) < 0.02)
      clearBrush();
    else
      brushAxis(drag_axis_, start, end);
  });
  connect(importance_score_, &QComboBox::currentIndexChanged, this,
          &HParamsView::computeImportance);
  connect(curve_x_, &QComboBox::currentIndexChanged, this, &HParamsView::drawCurves);
  connect(curve_y_, &QComboBox::currentIndexChanged, this, &HParamsView::drawCurves);
  tabs->setCurrentIndex(1);
}

HParamsView::~HParamsView() {
  // Its finished() would have come to this object, now gone: deleted here (LeakSanitizer found
  // the thread of an importance fit still running when a test closed the view).
  if (importance_thread_) {
    importance_thread_->wait();
    delete importance_thread_;
  }
}

void HParamsView::setRuns(const RunsTableModel& model, const QList<int>& rows) {
  axes_ = hparamsAxes(model, rows);
  names_.clear();
  run_dirs_.clear();
  brush_axis_ = -1;
  for (int row : rows) {
    names_.push_back(model.data(model.index(row, 0)).toString());
    run_dirs_.push_back(model.index(row, 0).data(RunsTableModel::RunDirsRole).toStringList());
  }
  for (auto* combo : {scatter_x_, scatter_y_, colour_by_, importance_score_}) {
    const QSignalBlocker block(combo);
    combo->clear();
  }
  for (const auto& axis : axes_) {
    scatter_x_->addItem(axis.name);
    if (isScoreAxis(axis.name)) {
      scatter_y_->addItem(axis.name);
      importance_score_->addItem(axis.name);
    }
  }
  // Colour by a score first (the usual question), then by any config key.
  for (const auto& axis : axes_)
    if (isScoreAxis(axis.name)) colour_by_->addItem(axis.name);
  for (const auto& axis : axes_)
    if (!isScoreAxis(axis.name)) colour_by_->addItem(axis.name);
  {
    const QSignalBlocker block(scatter_x_);
    scatter_x_->setCurrentIndex(0);
  }
  setWindowTitle(tr("HParams — %n run(s)", "", static_cast<int>(rows.size())));
  drawScatter();
  drawParallel();
  computeImportance();

  // Curves: each run's metrics.csv (at most kMaxCurves runs: a plot of hundreds says nothing).
  constexpr int kMaxCurves = 12;
  curve_runs_.clear();
  QStringList problems;
  int listed = 0;
  for (int row : rows)
    for (const auto& dir : model.index(row, 0).data(RunsTableModel::RunDirsRole).toStringList()) {
      if (++listed > kMaxCurves) continue;
      RunMetrics run;
      run.name = QFileInfo(dir).fileName();
      try {
        run.rows = readMetricsFile((dir + "/metrics.csv").toStdString(), &run.columns);
      } catch (const std::exception& e) {
        problems << QString::fromStdString(e.what());
        continue;
      }
      curve_runs_.push_back(std::move(run));
    }
  QStringList names;
  for (const auto& run : curve_runs_)
    for (const auto& name : seriesNames(run.columns))
      if (!names.contains(QString::fromStdString(name))) names << QString::fromStdString(name);
  const QString x_before = curve_x_->currentText(), y_before = curve_y_->currentText();
  {
    const QSignalBlocker block_x(curve_x_), block_y(curve_y_);
    curve_x_->clear();
    curve_y_->clear();
    curve_x_->addItems(names);
    curve_y_->addItems(names);
    curve_x_->setCurrentText(names.contains(x_before) ? x_before : "beta");
    curve_y_->setCurrentText(names.contains(y_before) ? y_before : "kl");
  }
  QString note =
      tr("One curve per run; a row without the x value (an evaluation) takes the "
         "latest one before it.");
  if (listed > kMaxCurves) note += tr(" The first %1 of %2 runs.").arg(kMaxCurves).arg(listed);
  if (!problems.isEmpty()) note += tr(" Not read: %1").arg(problems.join("; "));
  curves_note_->setText(note);
  drawCurves();
}

bool HParamsView::showCurves(const QString& x, const QString& y) {
  if (curve_x_->findText(x) < 0 || curve_y_->findText(y) < 0) return false;
  curve_x_->setCurrentText(x);
  curve_y_->setCurrentText(y);
  tabs_->setCurrentIndex(3);
  return true;
}

void HParamsView::drawCurves() {
  curves_->clearPlottables();
  const std::string x = curve_x_->currentText().toStdString();
  const std::string y = curve_y_->currentText().toStdString();
  static const QColor kColours[] = {
      QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
      QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
      QColor(188, 189, 34),  QColor(23, 190, 207), QColor(0, 0, 0),       QColor(90, 90, 200)};
  int index = 0;
  for (const auto& run : curve_runs_) {
    const SeriesPoints points = seriesAgainst(run.rows, run.columns, x, y);
    const QColor colour = kColours[index++ % 12];
    if (points.x.empty()) continue;
    auto* curve = new QCPCurve(curves_->xAxis, curves_->yAxis);
    QVector<double> t(static_cast<int>(points.x.size()));
    for (int i = 0; i < t.size(); ++i) t[i] = i;
    curve->setData(t, QVector<double>(points.x.begin(), points.x.end()),
                   QVector<double>(points.y.begin(), points.y.end()));
    QColor pen = colour;
    pen.setAlpha(170);
    curve->setPen(QPen(pen, 1.2));
    // Few points (evaluations): mark them, or a line between two is all one sees.
    if (points.x.size() < 200)
      curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, 4));
    curve->setName(run.name);
  }
  curves_->xAxis->setLabel(curve_x_->currentText());
  curves_->yAxis->setLabel(curve_y_->currentText());
  curves_->rescaleAxes();
  curves_->replot();
}

bool HParamsView::inBrush(size_t run) const {
  if (brush_axis_ < 0 || brush_axis_ >= static_cast<int>(axes_.size())) return true;
  const double p = axes_[brush_axis_].position(run);
  return !std::isnan(p) && p >= brush_low_ - 1e-9 && p <= brush_high_ + 1e-9;
}

int HParamsView::brushedRunCount() const {
  if (brush_axis_ < 0) return 0;
  int n = 0;
  for (size_t r = 0; r < run_dirs_.size(); ++r) n += inBrush(r);
  return n;
}

void HParamsView::brushAxis(int axis, double low, double high) {
  if (axis < 0 || axis >= static_cast<int>(axes_.size())) return clearBrush();
  brush_axis_ = axis;
  brush_low_ = std::clamp(std::min(low, high), 0.0, 1.0);
  brush_high_ = std::clamp(std::max(low, high), 0.0, 1.0);
  QStringList dirs;
  for (size_t r = 0; r < run_dirs_.size(); ++r)
    if (inBrush(r)) dirs += run_dirs_[r];
  if (dirs.isEmpty()) return clearBrush();
  drawParallel();
  Q_EMIT runsBrushed(dirs);
}

void HParamsView::clearBrush() {
  brush_axis_ = -1;
  drawParallel();
}

bool HParamsView::showImportanceFor(const QString& score) {
  if (importance_score_->findText(score) < 0) return false;
  importance_score_->setCurrentText(score);
  tabs_->setCurrentIndex(2);
  return true;
}

void HParamsView::computeImportance() {
  if (importance_thread_) {
    importance_again_ = true;
    return;
  }
  const QString score_name = importance_score_->currentText();
  std::vector<ImportanceColumn> columns;
  std::vector<double> scores;
  for (const auto& axis : axes_) {
    if (axis.name == score_name) {
      for (const auto& v : axis.values) scores.push_back(v.isValid() ? v.toDouble() : std::nan(""));
    } else if (!isScoreAxis(axis.name)) {
      ImportanceColumn column{axis.name.toStdString(), {}};
      for (const auto& v : axis.values)
        column.values.push_back(!v.isValid() ? std::string()
                                : axis.numeric
                                    ? QString::number(v.toDouble(), 'g', 17).toStdString()
                                    : v.toString().toStdString());
      columns.push_back(std::move(column));
    }
  }
  if (scores.empty()) {
    importance_result_ = ImportanceResult();
    importance_result_.problem = "no score to explain: none of these runs has been evaluated";
    drawImportance();
    return;
  }
  auto result = std::make_shared<ImportanceResult>();
  importance_thread_ = QThread::create([result, columns = std::move(columns), scores] {
    try {
      *result = paramImportance(columns, scores);
    } catch (const std::exception& e) {
      result->problem = e.what();
    }
  });
  connect(importance_thread_, &QThread::finished, this, [this, result] {
    importance_thread_->deleteLater();
    importance_thread_ = nullptr;
    if (importance_again_) {
      importance_again_ = false;
      computeImportance();
      return;
    }
    importance_result_ = *result;
    drawImportance();
    Q_EMIT importanceReady();
  });
  importance_note_->setText(tr("Fitting random forests to the runs' %1…").arg(score_name));
  importance_thread_->start();
}

void HParamsView::drawImportance() {
  importance_->clearPlottables();
  importance_->clearItems();
  const ImportanceResult& r = importance_result_;
  const QString score = importance_score_->currentText();
  // Without bars the axes' default 0..5 would read as a scale of nothing: the note says why.
  importance_->xAxis->setVisible(r.problem.empty());
  importance_->yAxis->setVisible(r.problem.empty());
  if (!r.problem.empty()) {
    importance_note_->setText(
        tr("No importance for %1: %2.").arg(score, QString::fromStdString(r.problem)));
    importance_->replot();
    return;
  }
  std::vector<const KeyImportance*> shown;
  QStringList constant;
  for (const auto& k : r.keys) {
    if (k.constant)
      constant.push_back(QString::fromStdString(k.key));
    else
      shown.push_back(&k);
  }
  const int n = static_cast<int>(shown.size());
  QVector<double> ticks, values, errors;
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  // Negative importances (shuffling the key happened to help: noise) are drawn as they are, to
  // the left of 0, so that a bar's length and its spread stay honest.
  double top = 0, bottom = 0;
  for (int i = 0; i < n; ++i) {
    const double y = n - 1 - i;  // the most important at the top
    ticks.push_back(y);
    values.push_back(shown[i]->importance);
    errors.push_back(shown[i]->importance_std);
    ticker->addTick(y, QString::fromStdString(shown[i]->key));
    top = std::max(top, values.back() + errors.back());
    bottom = std::min(bottom, values.back() - errors.back());
  }
  auto* bars = new QCPBars(importance_->yAxis, importance_->xAxis);
  bars->setData(ticks, values);
  bars->setWidth(0.6);
  bars->setPen(QPen(QColor(31, 119, 180)));
  bars->setBrush(QColor(31, 119, 180, 170));
  auto* spread = new QCPErrorBars(importance_->yAxis, importance_->xAxis);
  spread->setDataPlottable(bars);
  spread->setData(errors);
  spread->setPen(QPen(QColor(60, 60, 60)));
  const double span = std::max(top, 0.05) - bottom;
  for (int i = 0; i < n; ++i) {
    const KeyImportance& k = *shown[i];
    QString beside;
    if (k.correlation)
      beside = tr("ρ %1%2").arg(*k.correlation >= 0 ? "+" : "").arg(*k.correlation, 0, 'f', 2);
    else if (!k.best_value.empty())
      beside = tr("best: %1").arg(QString::fromStdString(k.best_value));
    auto* label = new QCPItemText(importance_);
    label->position->setCoords(std::max(0.0, values[i] + errors[i]) + span * 0.08, ticks[i]);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    label->setText(beside);
  }
  importance_->yAxis->setTicker(ticker);
  importance_->yAxis->setRange(-0.7, n - 0.3);
  importance_->yAxis->grid()->setVisible(false);
  importance_->xAxis->setRange(bottom < 0 ? bottom - span * 0.05 : 0,
                               std::max(top, 0.05) + span * 0.35);
  importance_->xAxis->setLabel(
      // Units, not a part of a whole: a poor forest's error can grow by more than the whole
      // variance (1.02 beside "the keys explain 8%" read as a contradiction).
      tr("importance: out-of-bag error added by shuffling the key, in units of the %1 variance")
          .arg(score));
  QString note = tr("%1 runs with %2. The keys explain %3% of its variance out of bag "
                    "(forest R²)%4. ρ: rank correlation, + when higher values give better "
                    "scores. Bars: mean ± std over 5 shuffles.")
                     .arg(r.runs)
                     .arg(score)
                     .arg(100 * r.forest_r2, 0, 'f', 0)
                     .arg(r.forest_r2 < 0.2 ? tr(", too little for the bars to mean much") : "");
  if (!constant.isEmpty()) note += tr(" Constant here: %1.").arg(constant.join(", "));
  importance_note_->setText(note);
  importance_->replot();
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
    if (brush_axis_ >= 0 && !inBrush(r)) c = QColor(200, 200, 200, 90);
    curve->setPen(QPen(c, brush_axis_ >= 0 && inBrush(r) ? 2.4 : 1.6));
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
      label->setClipToAxisRect(false);  // the last axis sits on the plot's right edge
    }
  }
  if (brush_axis_ >= 0 && brush_axis_ < n) {
    auto* brush = new QCPItemRect(parallel_);
    brush->topLeft->setCoords(brush_axis_ - 0.08, brush_high_);
    brush->bottomRight->setCoords(brush_axis_ + 0.08, brush_low_);
    brush->setPen(QPen(QColor(31, 119, 180), 1));
    brush->setBrush(QColor(31, 119, 180, 50));
  }
  parallel_->xAxis->setTicker(ticker);
  const double tilt = n > 6 ? 20 : 0;  // degrees: many names side by side would overlap
  parallel_->xAxis->setTickLabelRotation(tilt);
  // QCustomPlot leaves out a tick label that the widget's edge would cut, and the last axis's
  // name, tilted, runs right of its axis: it was not drawn. The right margin makes room for it.
  const QFontMetrics metrics(parallel_->xAxis->tickLabelFont());
  const double radians = tilt * M_PI / 180;
  const int last = metrics.horizontalAdvance(axes_.back().name);
  const int overhang = tilt > 0 ? static_cast<int>(std::ceil(last * std::cos(radians) +
                                                             metrics.height() * std::sin(radians)))
                                : last / 2;
  parallel_->axisRect()->setAutoMargins(QCP::msLeft | QCP::msTop | QCP::msBottom);
  parallel_->axisRect()->setMargins(QMargins(0, 0, overhang + 8, 0));
  parallel_->xAxis->setRange(-0.3, n - 0.97);
  parallel_->yAxis->setRange(-0.08, 1.08);
  parallel_->yAxis->setVisible(false);
  parallel_->xAxis->grid()->setVisible(false);
  parallel_->yAxis->grid()->setVisible(false);
  parallel_->replot();
}

}  // namespace cvae::ui
