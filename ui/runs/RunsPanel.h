#pragma once
// The Runs dock: the runs table over the folders the user adds (default runs/), sorted and
// filtered, refreshed every two seconds while visible. Selecting runs asks for them to be
// overlaid in the plots; double-clicking one asks to open it.

#include <QStringList>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QSpinBox;
class QDialog;
class QLabel;
class QLineEdit;
class QTableView;
class QPushButton;
class QToolButton;

namespace cvae::ui {

class PairedProbeDialog;
class RunsFilterModel;
class RunsTableModel;

class RunsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunsPanel(QWidget* parent = nullptr);

  RunsTableModel* model() const { return model_; }
  RunsFilterModel* proxy() const { return proxy_; }
  QTableView* view() const { return view_; }
  void setRoots(const QStringList& roots);
  void addRoot(const QString& folder);
  // The run folders selected, in the table's order.
  QStringList selectedRuns() const;
  // Writes the table's rows, in the view's order, as CSV (RunsTableModel::toCsv), atomically;
  // false with the reason (a read-only folder, a full disk).
  bool exportCsv(const QString& path, QString* error) const;
  void selectRuns(const QStringList& run_dirs);
  void setFilterText(const QString& text);
  // As the Group seeds check box does.
  void setGroupSeeds(bool group);
  // A dialog listing the config keys that differ among the selected runs (two or more); null
  // with a message in the count line when fewer are selected.
  QDialog* showConfigDiff();
  // A paired probe of the two selected runs (ui/runs/PairedProbeDialog); null with a message in
  // the count line unless exactly two are selected.
  PairedProbeDialog* showPairedProbe();
  // Writes a run's notes.yaml (tags comma-separated) and refreshes its row; false with the
  // reason in `error` when the tags are invalid or the file cannot be written.
  bool saveNotes(const QString& run_dir, const QString& tags, const QString& text, QString* error);
  // A dialog editing the notes and tags of the first selected run.
  QDialog* editNotes();

 public Q_SLOTS:
  void refresh();

 Q_SIGNALS:
  void selectionChanged(const QStringList& run_dirs);
  void openRequested(const QString& run_dir);
  void rootsChanged(const QStringList& roots);
  void hparamsRequested();

 protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

 private:
  void rebuildFolderMenu();
  void updateCount();
  void updateValueChoices();

  RunsTableModel* model_;
  RunsFilterModel* proxy_;
  QTableView* view_;
  QLineEdit* filter_;
  QPushButton* folders_;  // with a menu: QPushButton leaves room for its arrow
  QCheckBox* group_seeds_;
  QCheckBox* fork_tree_;
  QComboBox* values_;
  QSpinBox* schedule_step_;
  QLabel* count_;
  QTimer refresh_timer_;
  QTimer selection_timer_;  // coalesces a drag over many rows into one overlay
};

}  // namespace cvae::ui
