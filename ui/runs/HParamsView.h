#pragma once
// TensorBoard's HParams views over runs of the runs table: a scatter of any column (a config
// key) against any score, and parallel coordinates with one axis per differing config key and
// per best score, one line per run coloured by a chosen score. Numeric columns are axes scaled
// to their range; text columns (a policy, an optimizer) are evenly spaced categories.

#include <QComboBox>
#include <QDialog>
#include <QList>
#include <QStringList>
#include <QVariant>

#include <vector>

class QCustomPlot;

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
  void setRuns(const RunsTableModel& model, const QList<int>& rows);
  QCustomPlot* scatterPlot() const { return scatter_; }
  QCustomPlot* parallelPlot() const { return parallel_; }
  int runCount() const { return static_cast<int>(names_.size()); }

 private:
  void drawScatter();
  void drawParallel();

  std::vector<HParamsAxis> axes_;
  QStringList names_;
  QCustomPlot* scatter_;
  QCustomPlot* parallel_;
  QComboBox* scatter_x_;
  QComboBox* scatter_y_;
  QComboBox* colour_by_;
};

}  // namespace cvae::ui
