#pragma once
// Every run under the folders the user adds, one row each, for the Runs dock: name, sweep,
// experiment, status, start, training time, the best and last value of every score, and, found
// automatically, the config keys whose values differ among the listed runs. refresh() rescans
// the folders and reads only what each run appended since (core/runs/RunSummary.h), so runs
// that other processes write (a sweep's members, a CLI run) update live.

#include <QAbstractTableModel>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/runs/RunSummary.h"

namespace cvae::ui {

class RunsTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  // The sort key of a cell: numbers as numbers, times as seconds, empty cells last.
  static constexpr int SortRole = Qt::UserRole + 1;
  // The run folder of a row (any column); of a seed group's first run.
  static constexpr int RunDirRole = Qt::UserRole + 2;
  // Every run folder of a row: one, or a seed group's.
  static constexpr int RunDirsRole = Qt::UserRole + 3;

  explicit RunsTableModel(QObject* parent = nullptr);
  ~RunsTableModel() override;

  void setRoots(const QStringList& roots);
  const QStringList& roots() const { return roots_; }
  // Rescans the roots: adds new runs, drops deleted ones, updates the rest from what they
  // appended. Rows are only added or removed here; columns change when the differing keys do.
  void refresh();

  // Seed groups: runs that differ only in train.seed (and name) become one row, their scores
  // mean ± standard deviation (n), their seeds listed (core/analysis/SeedGroups.h).
  void setGroupSeeds(bool group);
  bool groupSeeds() const { return group_seeds_; }
  // The run this window has paused (its status.yaml still says running: the process is): its
  // status reads "paused". Empty: none.
  void setPausedRun(const QString& run_dir);
  // The value columns: each score's best and last value (`score` empty, the default), or every
  // metrics column at the evaluation where `score` was best ("kl @ best bleu", "gaussian @ best
  // bleu"): what a run had when it was at its best.
  void setValuesAtBestOf(const QString& score);
  const QString& valuesAtBestOf() const { return at_best_of_; }
  // Every score of the listed runs' experiments.
  const QStringList& scores() const { return scores_; }
  // The fork tree: runs in depth-first order, each fork under its parent (core/runs/ForkTree),
  // its name indented; the "fork of" column names the parent and step. Not with seed groups:
  // turning either on turns the other off.
  void setForkTree(bool tree);
  bool forkTree() const { return fork_tree_; }
  // Adds the planned β and teacher-forcing ratio at optimizer step `step` (0-based) as schedule
  // columns, shown where they differ among the runs; -1 removes them.
  void setScheduleStep(std::int64_t step);
  std::int64_t scheduleStep() const { return schedule_step_; }
  // The run the window shows (opened or training): its row is tinted. Empty: none.
  void setShownRun(const QString& dir);

  // Table rows: runs, or seed groups when grouped.
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  // The listed runs, whatever the grouping (run indices, not table rows).
  int runCount() const { return static_cast<int>(rows_.size()); }
  QString runDir(int run) const;
  const RunSummary& summary(int run) const;
  // The config keys shown as columns: those whose values differ among the listed runs, then
  // the schedule summaries that differ (β warm-up end, mean β, β rises, final teacher forcing,
  // the epoch teacher forcing reaches its floor).
  const QStringList& differingKeys() const { return differing_keys_; }
  // `table_rows` (in the order given: the view's sort) as CSV for a spreadsheet or pandas, every
  // column of the table plus the run folders. Numbers are written in full, locale-independent
  // ("0.123456789", training time in seconds); grouped, each score column becomes three: MEAN,
  // STD (sample) and N, e.g. "best bleu mean", "best bleu std", "best bleu n".
  QString toCsv(const QList<int>& table_rows) const;
  // Column of a header name ("status", "best bleu", "kl_annealing.cycles"); -1 if none.
  int column(const QString& name) const;

 private:
  struct Row;
  void rebuildColumns();
  QVariant cell(const Row& row, int column, bool for_sorting) const;
  QVariant groupCell(const std::vector<int>& members, int column, bool for_sorting) const;
  static QString seedGroupName(const Row& first);  // a seed group's name, from its first run
  void rebuildGroups();
  std::vector<int> membersOf(int table_row) const;

  QStringList roots_;
  std::vector<std::unique_ptr<Row>> rows_;
  QStringList scores_;  // every score of the listed runs' experiments
  QStringList differing_keys_;
  QStringList headers_;
  QString paused_run_;  // canonical
  bool group_seeds_ = false;
  bool fork_tree_ = false;
  QString shown_run_;  // canonical
  std::int64_t schedule_step_ = -1;
  QString at_best_of_;
  QStringList at_best_columns_;
  int valueColumnCount() const;
  std::vector<int> tree_order_;           // run index per table row, as a tree
  std::vector<std::vector<int>> groups_;  // run indices per table row, when grouped
};

}  // namespace cvae::ui
