#include "ui/runs/RunsTableModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/analysis/ScheduleColumns.h"
#include "core/analysis/SeedGroups.h"
#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentFacts.h"
#include "core/io/NumberText.h"
#include "core/runs/ForkTree.h"
#include "core/schedules/ScheduleSummary.h"

namespace cvae::ui {
namespace {

// The leading columns; then best and last of every score, then the differing keys.
const QStringList kFixed = {"run",           "sweep", "experiment", "status", "started",
                            "training time", "tags",  "notes",      "fork of"};

QString text(const std::string& s) {
  return QString::fromStdString(s);
}

QString duration(double seconds) {
  const qint64 s = static_cast<qint64>(seconds + 0.5);
  if (s < 3600) return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
  return QString("%1:%2:%3")
      .arg(s / 3600)
      .arg((s / 60) % 60, 2, 10, QChar('0'))
      .arg(s % 60, 2, 10, QChar('0'));
}

// A sweep member's sweep: the folder above it, when that folder holds a sweep.yaml.
QString sweepOf(const std::string& run_dir) {
  const std::filesystem::path parent = std::filesystem::path(run_dir).parent_path();
  std::error_code ec;
  if (std::filesystem::exists(parent / "sweep.yaml", ec)) return text(parent.filename().string());
  return {};
}

}  // namespace

struct RunsTableModel::Row {
  RunSummary summary;
  std::filesystem::file_time_type record_time;  // status.yaml's, when last read
  std::filesystem::file_time_type notes_time;   // notes.yaml's
  std::unique_ptr<MetricsDigest> digest;
  QString sweep;
  std::map<std::string, std::string> values;  // config key -> config text, for applying keys
  int depth = 0;                              // in the fork tree, when shown as one
};

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {}
RunsTableModel::~RunsTableModel() = default;

void RunsTableModel::setRoots(const QStringList& roots) {
  roots_ = roots;
  refresh();
}

namespace {
// One spelling per folder: through symbolic links where it exists.
QString samePath(const QString& dir) {
  const QFileInfo info(dir);
  const QString canonical = info.canonicalFilePath();
  return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}
}  // namespace

void RunsTableModel::setPausedRun(const QString& run_dir) {
  const QString paused = run_dir.isEmpty() ? QString() : samePath(run_dir);
  if (paused == paused_run_) return;
  paused_run_ = paused;
  if (rowCount() > 0) Q_EMIT dataChanged(index(0, 3), index(rowCount() - 1, 3));
}

void RunsTableModel::setGroupSeeds(bool group) {
  if (group == group_seeds_) return;
  beginResetModel();
  group_seeds_ = group;
  if (group) fork_tree_ = false;
  rebuildGroups();
  endResetModel();
}

void RunsTableModel::setValuesAtBestOf(const QString& score) {
  if (score == at_best_of_) return;
  beginResetModel();
  at_best_of_ = score;
  rebuildColumns();
  endResetModel();
}

int RunsTableModel::valueColumnCount() const {
  return static_cast<int>(at_best_of_.isEmpty() ? 2 * scores_.size() : at_best_columns_.size());
}

void RunsTableModel::setScheduleStep(std::int64_t step) {
  step = std::max<std::int64_t>(-1, step);
  if (step == schedule_step_) return;
  beginResetModel();
  for (auto& row : rows_) {
    for (const auto& key : scheduleColumnNames(schedule_step_)) row->values.erase(key);
    for (auto& [key, value] : scheduleColumns(row->summary, step)) row->values[key] = value;
  }
  schedule_step_ = step;
  rebuildColumns();
  endResetModel();
}

void RunsTableModel::setForkTree(bool tree) {
  if (tree == fork_tree_) return;
  beginResetModel();
  fork_tree_ = tree;
  if (tree) group_seeds_ = false;
  rebuildGroups();
  endResetModel();
}

void RunsTableModel::rebuildGroups() {
  groups_.clear();
  tree_order_.clear();
  for (auto& row : rows_) row->depth = 0;
  if (fork_tree_) {
    std::vector<std::string> dirs, parents;
    std::vector<std::int64_t> steps;
    for (const auto& row : rows_) {
      dirs.push_back(row->summary.dir);
      parents.push_back(row->summary.record ? row->summary.record->parent : std::string());
      steps.push_back(row->summary.record ? row->summary.record->fork_step : -1);
    }
    const ForkTree tree = buildForkTree(dirs, parents, steps);
    tree_order_ = tree.order;
    for (size_t i = 0; i < rows_.size(); ++i) rows_[i]->depth = tree.depth[i];
    return;
  }
  if (!group_seeds_) return;
  std::vector<std::optional<ExperimentConfig>> configs;
  for (const auto& row : rows_) configs.push_back(row->summary.config);
  for (const auto& group : groupRuns(configs)) {
    std::vector<int> members;
    for (size_t i : group) members.push_back(static_cast<int>(i));
    groups_.push_back(std::move(members));
  }
}

std::vector<int> RunsTableModel::membersOf(int table_row) const {
  if (group_seeds_) return groups_.at(table_row);
  if (fork_tree_) return {tree_order_.at(table_row)};
  return {table_row};
}

void RunsTableModel::refresh() {
  // Grouped, rows move between groups: the views are told by one reset. Ungrouped, rows are
  // inserted and removed one by one, keeping the selection.
  // Grouped or as a tree, rows move: the views are told by one reset.
  const bool reordered = group_seeds_ || fork_tree_;
  if (reordered) beginResetModel();
  const bool signal_rows = !reordered;
  std::set<std::string> found;
  for (const auto& root : roots_)
    for (const auto& dir : findRunFolders(QDir::cleanPath(root).toStdString(), 3))
      found.insert(dir);

  // Drop the runs that are gone, from the end so the row numbers stay valid.
  for (int r = static_cast<int>(rows_.size()) - 1; r >= 0; --r) {
    if (found.count(rows_[r]->summary.dir)) continue;
    if (signal_rows) beginRemoveRows({}, r, r);
    rows_.erase(rows_.begin() + r);
    if (signal_rows) endRemoveRows();
  }
  // Only runs that may have changed are read again: running ones, and those whose status.yaml
  // was rewritten (resumed, stopped, pruned). Finished runs cost a stat per refresh.
  std::set<std::string> listed;
  for (auto& row : rows_) {
    listed.insert(row->summary.dir);
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(row->summary.dir + "/status.yaml", ec);
    std::error_code notes_ec;
    const auto notes_time =
        std::filesystem::last_write_time(row->summary.dir + "/notes.yaml", notes_ec);
    if (row->summary.state != RunState::Running && !ec && time == row->record_time &&
        notes_time == row->notes_time)
      continue;
    row->record_time = time;
    row->notes_time = notes_time;
    refreshRunSummary(row->summary, *row->digest);
  }
  std::vector<std::unique_ptr<Row>> added;
  for (const auto& dir : found) {
    if (listed.count(dir)) continue;
    auto row = std::make_unique<Row>();
    row->digest = std::make_unique<MetricsDigest>(dir + "/metrics.csv");
    row->summary = summarizeRun(dir, row->digest.get());
    row->sweep = sweepOf(dir);
    std::error_code ec;
    row->record_time = std::filesystem::last_write_time(dir + "/status.yaml", ec);
    row->notes_time = std::filesystem::last_write_time(dir + "/notes.yaml", ec);
    if (row->summary.config)
      for (const auto& spec : configSchema())
        if (spec.appliesTo(row->summary.config->kind))
          row->values[spec.key] = formatFieldValue(spec.get(*row->summary.config));
    for (auto& [key, value] : scheduleColumns(row->summary, schedule_step_))
      row->values[key] = value;
    added.push_back(std::move(row));
  }
  if (!added.empty()) {
    const int first = static_cast<int>(rows_.size());
    if (signal_rows) beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    for (auto& row : added) rows_.push_back(std::move(row));
    if (signal_rows) endInsertRows();
  }
  const QStringList before = headers_;
  rebuildColumns();
  if (reordered) {
    rebuildGroups();
    endResetModel();
  } else if (headers_ != before) {
    // Columns come and go with the runs: a reset keeps the views simple and is rare.
    beginResetModel();
    endResetModel();
  } else if (!rows_.empty()) {
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
  }
}

void RunsTableModel::rebuildColumns() {
  QStringList scores;
  for (const auto& facts : experimentFactsTable())
    for (const auto& row : rows_)
      if (row->summary.config && row->summary.config->kind == facts.kind) {
        for (const auto& s : facts.score_names)
          if (!scores.contains(text(s))) scores.push_back(text(s));
        break;
      }
  scores_ = scores;
  // A key differs when two runs that it applies to hold different values; "name" is the
  // config's label, shown as the run column already.
  QStringList differing;
  for (const auto& spec : configSchema()) {
    if (spec.key == "experiment" || spec.key == "name") continue;
    std::set<std::string> values;
    for (const auto& row : rows_) {
      const auto it = row->values.find(spec.key);
      if (it != row->values.end()) values.insert(it->second);
    }
    if (values.size() > 1) differing.push_back(text(spec.key));
  }
  for (const auto& key : scheduleColumnNames(schedule_step_)) {
    std::set<std::string> values;
    for (const auto& row : rows_) {
      const auto it = row->values.find(key);
      if (it != row->values.end()) values.insert(it->second);
    }
    if (values.size() > 1) differing.push_back(QString::fromStdString(key));
  }
  differing_keys_ = differing;
  // Every value column of the runs' metrics, for "COLUMN @ best SCORE".
  at_best_columns_.clear();
  for (const auto& row : rows_)
    for (const auto& c : row->summary.columns)
      if (!at_best_columns_.contains(text(c)) && c != "items_per_s")
        at_best_columns_.push_back(text(c));
  headers_ = kFixed;
  if (at_best_of_.isEmpty()) {
    for (const auto& s : scores_) headers_.push_back("best " + s);
    for (const auto& s : scores_) headers_.push_back("last " + s);
  } else {
    for (const auto& c : at_best_columns_) headers_.push_back(c + " @ best " + at_best_of_);
  }
  headers_ += differing_keys_;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return static_cast<int>(group_seeds_ ? groups_.size() : rows_.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(headers_.size());
}

int RunsTableModel::column(const QString& name) const {
  return static_cast<int>(headers_.indexOf(name));
}

QString RunsTableModel::runDir(int row) const {
  return text(rows_.at(row)->summary.dir);
}

const RunSummary& RunsTableModel::summary(int row) const {
  return rows_.at(row)->summary;
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= headers_.size()) return {};
  if (role == Qt::DisplayRole) return headers_[section];
  if (role == Qt::ToolTipRole && section >= kFixed.size() + valueColumnCount()) {
    const FieldSpec* spec = findField(headers_[section].toStdString());
    return spec ? text(spec->help) : QVariant();
  }
  return {};
}

void RunsTableModel::setShownRun(const QString& dir) {
  const QString clean = dir.isEmpty() ? QString() : samePath(dir);
  if (clean == shown_run_) return;
  shown_run_ = clean;
  if (rowCount() > 0)
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::BackgroundRole});
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const std::vector<int> members = membersOf(index.row());
  if (role == RunDirsRole) {
    QStringList dirs;
    for (int m : members) dirs << text(rows_[m]->summary.dir);
    return dirs;
  }
  if (members.size() > 1 && (role == Qt::DisplayRole || role == SortRole))
    return groupCell(members, index.column(), role == SortRole);
  const Row& row = *rows_[members.front()];
  switch (role) {
    case Qt::DisplayRole:
      return cell(row, index.column(), false);
    case SortRole:
      return cell(row, index.column(), true);
    case RunDirRole:
      return text(row.summary.dir);
    case Qt::ToolTipRole:
      if (!row.summary.problem.empty()) return text(row.summary.problem);
      if (index.column() == 7 && !row.summary.notes.text.empty())
        return text(row.summary.notes.text);
      if (index.column() == 3 && row.summary.record) return text(row.summary.record->message);
      if (index.column() == 8 && row.summary.record && !row.summary.record->parent.empty())
        return text(row.summary.record->parent);
      return text(row.summary.dir);
    case Qt::ForegroundRole:
      if (index.column() == 3) {
        switch (row.summary.state) {
          case RunState::Running:
            return QBrush(QColor(31, 119, 180));
          case RunState::Failed:
            return QBrush(QColor(200, 30, 30));
          case RunState::Interrupted:
            return QBrush(QColor(200, 120, 0));
          default:
            return {};
        }
      }
      return {};
    case Qt::BackgroundRole:
      // A translucent blue over either palette; not bold, which would cut the columns' text.
      if (shown_run_.isEmpty()) return {};
      for (int m : members)
        if (samePath(text(rows_[m]->summary.dir)) == shown_run_)
          return QBrush(QColor(31, 119, 180, 60));
      return {};
    case Qt::TextAlignmentRole:
      return index.column() >= kFixed.size() || index.column() == 5
                 ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                 : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    default:
      return {};
  }
}

QVariant RunsTableModel::cell(const Row& row, int column, bool for_sorting) const {
  const RunSummary& s = row.summary;
  const int scores = static_cast<int>(scores_.size());
  switch (column) {
    case 0:
      // As a tree, a fork sits under its parent, indented by its depth.
      if (!fork_tree_ || for_sorting || row.depth == 0) return text(s.name);
      return QString(4 * (row.depth - 1), ' ') + QString::fromUtf8("└ ") + text(s.name);
    case 1:
      return row.sweep;
    case 2:
      // A run whose config cannot be read says so where its experiment would be (its tool tip
      // has why: a config.yaml cut short, say).
      return s.config ? text(toString(s.config->kind))
                      : (s.problem.empty() ? QString() : tr("unreadable config"));
    case 3: {
      QString state = text(toString(s.state));
      if (s.state == RunState::Stopped && s.record && s.record->message.rfind("pruned", 0) == 0)
        state = "pruned";
      if (s.state == RunState::Running && !paused_run_.isEmpty() &&
          samePath(text(s.dir)) == paused_run_)
        state = "paused";
      return state;
    }
    case 4: {
      if (!s.record || s.record->started.empty()) return QVariant();
      const QDateTime t = QDateTime::fromString(text(s.record->started), Qt::ISODate);
      if (for_sorting) return t.toSecsSinceEpoch();
      return t.toLocalTime().toString("yyyy-MM-dd HH:mm");
    }
    case 5:
      if (s.steps == 0) return QVariant();
      return for_sorting ? QVariant(s.elapsed_s) : QVariant(duration(s.elapsed_s));
    case 6: {
      QStringList tags;
      for (const auto& tag : s.notes.tags) tags << text(tag);
      return tags.isEmpty() ? QVariant() : QVariant(tags.join(", "));
    }
    case 8: {
      if (!s.record || s.record->parent.empty()) return QVariant();
      // The parent run's folder name, or FOLDER/FILE for a checkpoint, and the step.
      const std::filesystem::path parent(s.record->parent);
      QString name = text(parent.filename().string());
      if (parent.extension() == ".pt")
        name = text(parent.parent_path().filename().string()) + "/" + name;
      if (for_sorting) return name;
      return s.record->fork_step >= 0 ? QString("%1 @ step %2").arg(name).arg(s.record->fork_step)
                                      : name;
    }
    case 7: {
      if (s.notes.text.empty()) return QVariant();
      QString notes = text(s.notes.text).simplified();  // one line in the table
      if (!for_sorting && notes.size() > 60) notes = notes.left(57) + "…";
      return notes;
    }
    default:
      break;
  }
  column -= static_cast<int>(kFixed.size());
  if (!at_best_of_.isEmpty() && column < valueColumnCount()) {
    // "kl @ best bleu": the run's value of a column at its best evaluation of the score.
    const auto& names = s.scores;
    const auto score = std::find(names.begin(), names.end(), at_best_of_.toStdString());
    const auto& columns = s.columns;
    const auto value =
        std::find(columns.begin(), columns.end(), at_best_columns_[column].toStdString());
    if (score == names.end() || value == columns.end()) return QVariant();
    const double v = s.at_best[static_cast<size_t>(score - names.begin())]
                              [static_cast<size_t>(value - columns.begin())];
    if (std::isnan(v)) return QVariant();
    return for_sorting ? QVariant(v) : QVariant(text(formatGeneral(v, 4)));
  }
  if (column < valueColumnCount()) {
    const std::string score = scores_[column % scores].toStdString();
    const auto& names = s.scores;
    const auto it = std::find(names.begin(), names.end(), score);
    if (it == names.end()) return QVariant();
    const size_t i = static_cast<size_t>(it - names.begin());
    const double v = column < scores ? s.best[i] : s.last[i];
    if (std::isnan(v)) return QVariant();
    return for_sorting ? QVariant(v) : QVariant(text(formatGeneral(v, 4)));
  }
  column -= valueColumnCount();
  if (column >= differing_keys_.size()) return {};
  const auto it = row.values.find(differing_keys_[column].toUtf8().toStdString());
  if (it == row.values.end()) return QVariant();
  if (for_sorting)
    if (const auto number = parseDouble(it->second)) return *number;
  return text(it->second);
}

QString RunsTableModel::seedGroupName(const Row& first) {
  // What the members share: a sweep names its members "002-cyclical-s1", "003-cyclical-s2", so
  // the index and the seed, which differ among them, are left out ("cyclical ×2"). Only a
  // suffix that is the run's own seed goes; a name that is nothing else keeps what it has.
  QString name = text(first.summary.name);
  const auto seed = first.values.find("train.seed");
  if (seed != first.values.end()) {
    const QString suffix = "-s" + text(seed->second);
    if (name.endsWith(suffix) && name.size() > suffix.size()) name.chop(suffix.size());
  }
  if (!first.sweep.isEmpty()) {
    static const QRegularExpression index("^[0-9]+-(?=.)");
    name.remove(index);
  }
  return name;
}

QVariant RunsTableModel::groupCell(const std::vector<int>& members, int column,
                                   bool for_sorting) const {
  const int n = static_cast<int>(members.size());
  if (column == 0) return seedGroupName(*rows_[members.front()]) + QString(" ×%1").arg(n);
  if (column == 3) {  // "3 completed" or "2 completed, 1 running"
    std::map<QString, int> counts;
    for (int m : members) ++counts[cell(*rows_[m], 3, false).toString()];
    QStringList parts;
    for (const auto& [state, count] : counts) parts << QString("%1 %2").arg(count).arg(state);
    return parts.join(", ");
  }
  if (column == 4) {  // the earliest start
    QVariant earliest;
    for (int m : members) {
      const QVariant t = cell(*rows_[m], 4, true);
      if (t.isValid() && (!earliest.isValid() || t.toLongLong() < earliest.toLongLong()))
        earliest = t;
    }
    if (!earliest.isValid() || for_sorting) return earliest;
    return QDateTime::fromSecsSinceEpoch(earliest.toLongLong()).toString("yyyy-MM-dd HH:mm");
  }
  const int value_column = column - static_cast<int>(kFixed.size());
  if (column == 5 || (value_column >= 0 && value_column < valueColumnCount())) {
    std::vector<double> values;
    for (int m : members) {
      const QVariant v = cell(*rows_[m], column, true);
      values.push_back(v.isValid() ? v.toDouble() : std::nan(""));
    }
    const MeanStd stats = meanStd(values);
    if (stats.n == 0) return QVariant();
    if (for_sorting) return stats.mean;
    if (column == 5) return duration(stats.mean);
    return QString("%1 ± %2 (%3)")
        .arg(text(formatGeneral(stats.mean, 3)), text(formatGeneral(stats.std, 2)))
        .arg(stats.n);
  }
  // Text columns and config keys: the value the members share, or their values listed (the
  // seeds, say).
  QStringList values;
  for (int m : members) {
    const QString v = cell(*rows_[m], column, false).toString();
    if (!v.isEmpty() && !values.contains(v)) values << v;
  }
  if (for_sorting && values.size() == 1)
    if (const auto number = parseDouble(values.front().toStdString())) return *number;
  return values.join(", ");
}

namespace {

QString csvCell(const QString& value) {
  if (!value.contains(QRegularExpression("[,\"\r\n]")) && value.trimmed() == value) return value;
  QString quoted = value;
  quoted.replace('"', "\"\"");
  return '"' + quoted + '"';
}

QString csvNumber(double v) {
  return std::isnan(v) ? QString() : QString::fromStdString(formatShortest(v));
}

}  // namespace

QString RunsTableModel::toCsv(const QList<int>& table_rows) const {
  const int first_score = static_cast<int>(kFixed.size());
  auto is_score = [&](int c) { return c >= first_score && c < first_score + valueColumnCount(); };
  QStringList header;
  for (int c = 0; c < headers_.size(); ++c) {
    if (c == 5) {
      header << "training seconds";
    } else if (is_score(c) && group_seeds_) {
      header << headers_[c] + " mean" << headers_[c] + " std" << headers_[c] + " n";
    } else {
      header << headers_[c];
    }
  }
  header << "folders";
  QStringList lines;
  for (auto& h : header) h = csvCell(h);
  lines << header.join(',');
  for (int table_row : table_rows) {
    const std::vector<int> members = membersOf(table_row);
    QStringList cells;
    for (int c = 0; c < headers_.size(); ++c) {
      const bool numeric = c == 5 || is_score(c);
      if (!numeric) {
        const QVariant v = members.size() > 1 ? groupCell(members, c, false)
                                              : cell(*rows_[members.front()], c, false);
        cells << csvCell(v.toString());
        continue;
      }
      std::vector<double> values;
      for (int m : members) {
        const QVariant v = cell(*rows_[m], c, true);
        values.push_back(v.isValid() ? v.toDouble() : std::nan(""));
      }
      const MeanStd stats = meanStd(values);
      if (is_score(c) && group_seeds_)
        cells << csvNumber(stats.mean) << (stats.n > 0 ? csvNumber(stats.std) : QString())
              << QString::number(stats.n);
      else
        cells << csvNumber(stats.mean);
    }
    QStringList dirs;
    for (int m : members) dirs << text(rows_[m]->summary.dir);
    cells << csvCell(dirs.join(';'));
    lines << cells.join(',');
  }
  return lines.join('\n') + '\n';
}

}  // namespace cvae::ui
