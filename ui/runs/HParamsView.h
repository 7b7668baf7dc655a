#pragma once
// TensorBoard's HParams views over runs of the runs table: a scatter of any column (a config
// key) against any score, parallel coordinates with one axis per differing config key and
// per best score, one line per run coloured by a chosen score, and W&B's parameter importance
// for a chosen score (core/analysis/ParamImportance: a random forest's permutation importance
// as bars, with the rank correlation or the best value beside each). Numeric columns are axes
// scaled to their range; text columns (a policy, an optimizer) are evenly spaced categories.

#include <QComboBox>
#include <QDialog>
#include <QList>
#include <QStringList>
#include <QVariant>

#include <memory>
#include <vector>

#include "core/analysis/ParamImportance.h"
#include "core/runs/MetricsFile.h"

class QCustomPlot;
class QLabel;
class QTabWidget;
class QThread;

namespace cvae::ui {

class RunsTableModel;

// One column of the selected runs, ready to be an axis.
struct HParamsAxis {
  QString name;
  bool numeric = true;
  double min = 0, max = 0;       // numeric
  QStringList categories;        // text, sorted
  std::vector<QVariant> values;  // per run; invalid where the run has none
  // The run's position on the axis in [0, 1]; NaN where it has no value.
  double position(size_t run) const;
  QString label(double position) const;  // the value text at an axis end
};

// The axes of `rows` (source rows of `model`): the differing config keys, then the best scores.
std::vector<HParamsAxis> hparamsAxes(const RunsTableModel& model, const QList<int>& rows);

class HParamsView : public QDialog {
  Q_OBJECT
 public:
  explicit HParamsView(QWidget* parent = nullptr);
  ~HParamsView() override;
  void setRuns(const RunsTableModel& model, const QList<int>& rows);
  QCustomPlot* scatterPlot() const { return scatter_; }
  QCustomPlot* parallelPlot() const { return parallel_; }
  QCustomPlot* importancePlot() const { return importance_; }
  // Curves: any logged series against any other (KL against β), one curve per run.
  QCustomPlot* curvesPlot() const { return curves_; }
  // False (showing nothing new) when a name is not a series of these runs.
  bool showCurves(const QString& x, const QString& y);
  int runCount() const { return static_cast<int>(names_.size()); }
  // The importance last computed (for the score chosen), and whether one is being computed.
  const ImportanceResult& importance() const { return importance_result_; }
  bool computingImportance() const { return importance_thread_ != nullptr; }
  // Shows the Importance tab for `score` (an axis name: "best bleu"); false when no such score.
  bool showImportanceFor(const QString& score);

 Q_SIGNALS:
  void importanceReady();
  // A brush on a parallel-coordinates axis: the runs (folders) whose values lie in it, for the
  // Runs table to select (and so the plots to overlay).
  void runsBrushed(const QStringList& run_dirs);

 public:
  // Brushes axis `axis` (an index into the axes) over positions [low, high] of [0, 1] (0: its
  // lowest value or first category): the runs inside are drawn bold, the others faint, and
  // runsBrushed names them. A brush over nothing clears it.
  void brushAxis(int axis, double low, double high);
  void clearBrush();
  int brushedRunCount() const;

 private:
  void drawScatter();
  void drawParallel();
  void computeImportance();
  void drawImportance();
  void drawCurves();

  std::vector<HParamsAxis> axes_;
  QStringList names_;
  std::vector<QStringList> run_dirs_;  // per table row: its folders
  int brush_axis_ = -1;
  double brush_low_ = 0, brush_high_ = 1;
  double drag_start_ = -1;  // while dragging a brush: its first position
  int drag_axis_ = -1;
  bool inBrush(size_t run) const;
  QCustomPlot* scatter_;
  QCustomPlot* parallel_;
  QComboBox* scatter_x_;
  QComboBox* scatter_y_;
  QComboBox* colour_by_;
  QTabWidget* tabs_;
  QCustomPlot* curves_;
  QComboBox* curve_x_;
  QComboBox* curve_y_;
  QLabel* curves_note_;
  struct RunMetrics {
    QString name;
    MetricsColumns columns;
    std::vector<MetricsRow> rows;
  };
  std::vector<RunMetrics> curve_runs_;
  QCustomPlot* importance_;
  QComboBox* importance_score_;
  QLabel* importance_note_;
  ImportanceResult importance_result_;
  // The forest is fitted off the GUI thread (hundreds of runs take a second or more). A choice
  // made while it runs is computed when it ends; the older result is dropped.
  QThread* importance_thread_ = nullptr;
  bool importance_again_ = false;
};

}  // namespace cvae::ui
