#include "ui/runs/RunsPanel.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/ElidedLabel.h"
#include "ui/SaveDialog.h"
#include "ui/runs/PairedProbeDialog.h"
#include "ui/runs/RunsFilterModel.h"
#include "ui/runs/RunsTableModel.h"

#include "core/analysis/ConfigDiff.h"
#include "core/io/AtomicFile.h"
#include "core/runs/RunFolder.h"

namespace cvae::ui {

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent), model_(new RunsTableModel(this)), proxy_(new RunsFilterModel(this)) {
  proxy_->setSourceModel(model_);
  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText(tr("Filter: words in any column (cyclical completed, 003, …)"));
  filter_->setClearButtonEnabled(true);
  connect(filter_, &QLineEdit::textChanged, this, &RunsPanel::setFilterText);
  folders_ = new QPushButton(tr("Folders"), this);
  folders_->setObjectName("foldersButton");
  folders_->setToolTip(tr("The folders whose runs are listed (searched three levels down)"));
  auto* hparams = new QPushButton(tr("HParams…"), this);
  hparams->setToolTip(tr("Config values against scores over the selected runs (all when none)"));
  connect(hparams, &QPushButton::clicked, this, &RunsPanel::hparamsRequested);
  auto* diff = new QPushButton(tr("Diff…"), this);
  diff->setToolTip(tr("The config keys whose values differ among the selected runs"));
  connect(diff, &QPushButton::clicked, this, [this] { showConfigDiff(); });
  auto* probe = new QPushButton(tr("Probe…"), this);
  probe->setToolTip(tr("The two selected runs on the same words, z draws and seeds, side by side"));
  connect(probe, &QPushButton::clicked, this, [this] { showPairedProbe(); });
  group_seeds_ = new QCheckBox(tr("Group seeds"), this);
  group_seeds_->setToolTip(
      tr("One row per set of runs that differ only in train.seed, scores as mean ± std (n)"));
  connect(group_seeds_, &QCheckBox::toggled, this, [this](bool group) {
    const QStringList selected = selectedRuns();
    model_->setGroupSeeds(group);
    if (group) fork_tree_->setChecked(false);
    selectRuns(selected);
    view_->resizeColumnsToContents();
    updateCount();
  });
  values_ = new QComboBox(this);
  values_->setToolTip(
      tr("The value columns: each score's best and last value, or every logged "
         "value at the evaluation where a score was best (KL at the best BLEU)"));
  values_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  connect(values_, &QComboBox::activated, this, [this] {
    model_->setValuesAtBestOf(values_->currentData().toString());
    view_->resizeColumnsToContents();
  });
  fork_tree_ = new QCheckBox(tr("Fork tree"), this);
  fork_tree_->setToolTip(tr("Each fork under the run it was forked from (sorting is off)"));
  connect(fork_tree_, &QCheckBox::toggled, this, [this](bool tree) {
    const QStringList selected = selectedRuns();
    if (tree) group_seeds_->setChecked(false);
    model_->setForkTree(tree);
    // The tree's order is the model's: the proxy keeps it while sorting is off.
    view_->setSortingEnabled(!tree);
    if (tree)
      proxy_->sort(-1);
    else
      view_->sortByColumn(4, Qt::DescendingOrder);
    selectRuns(selected);
    view_->resizeColumnsToContents();
    updateCount();
  });
  schedule_step_ = new QSpinBox(this);
  schedule_step_->setRange(-1, 100000000);
  schedule_step_->setSpecialValueText(tr("β at step: off"));
  schedule_step_->setPrefix(tr("β at step "));
  schedule_step_->setValue(-1);
  schedule_step_->setKeyboardTracking(false);
  schedule_step_->setToolTip(
      tr("Adds each run's planned β and teacher-forcing ratio at this optimizer step (0-based) "
         "as columns, for the table, the parallel coordinates and the importance"));
  connect(schedule_step_, &QSpinBox::valueChanged, this, [this](int step) {
    const QStringList selected = selectedRuns();
    model_->setScheduleStep(step);
    selectRuns(selected);
    view_->resizeColumnsToContents();
  });
  auto* notes = new QPushButton(tr("Notes…"), this);
  notes->setToolTip(tr("Notes and tags of the selected run, kept in its notes.yaml"));
  connect(notes, &QPushButton::clicked, this, [this] { editNotes(); });
  auto* export_csv = new QPushButton(tr("Export…"), this);
  export_csv->setToolTip(
      tr("The table as shown (filtered, sorted; seed groups as mean, std and n) to a CSV file"));
  connect(export_csv, &QPushButton::clicked, this, [this] {
    const QString path =
        askSavePath(this, tr("Export the runs table"),
                    model_->roots().isEmpty() ? QString() : model_->roots().front(), "runs.csv",
                    tr("CSV files"), {"csv"});
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Cannot export the table"), error);
  });
  count_ = new ElidedLabel(this);

  view_ = new QTableView(this);
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(4, Qt::DescendingOrder);  // newest first
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setAlternatingRowColors(true);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  view_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->setWordWrap(false);
  connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    Q_EMIT openRequested(index.data(RunsTableModel::RunDirRole).toString());
  });
  selection_timer_.setSingleShot(true);
  selection_timer_.setInterval(150);
  connect(&selection_timer_, &QTimer::timeout, this, [this] {
    updateCount();
    Q_EMIT selectionChanged(selectedRuns());
  });
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { selection_timer_.start(); });

  // Two rows, what is shown above what is done with the selection, so the panel fits a
  // 1024-pixel-wide screen (one row of all eleven needed about 1,040 pixels); the count shares
  // the second row, so the table loses no height to it.
  auto* shown = new QHBoxLayout;
  shown->addWidget(filter_, 1);
  shown->addWidget(folders_);
  shown->addWidget(group_seeds_);
  shown->addWidget(fork_tree_);
  shown->addWidget(values_);
  shown->addWidget(schedule_step_);
  auto* actions = new QHBoxLayout;
  actions->addWidget(notes);
  actions->addWidget(diff);
  actions->addWidget(probe);
  actions->addWidget(hparams);
  actions->addWidget(export_csv);
  actions->addSpacing(12);
  actions->addWidget(count_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(3);
  layout->addLayout(shown);
  layout->addLayout(actions);
  layout->addWidget(view_, 1);

  refresh_timer_.setInterval(2000);
  connect(&refresh_timer_, &QTimer::timeout, this, &RunsPanel::refresh);
  rebuildFolderMenu();
}

void RunsPanel::setRoots(const QStringList& roots) {
  model_->setRoots(roots);
  view_->resizeColumnsToContents();
  rebuildFolderMenu();
  updateCount();
}

void RunsPanel::addRoot(const QString& folder) {
  if (folder.isEmpty() || model_->roots().contains(folder)) return;
  setRoots(model_->roots() + QStringList{folder});
  Q_EMIT rootsChanged(model_->roots());
}

void RunsPanel::refresh() {
  const int columns = model_->columnCount();
  // The selection survives a model reset (new differing columns) by run folder.
  const QStringList selected = selectedRuns();
  model_->refresh();
  if (model_->columnCount() != columns) {
    selectRuns(selected);
    view_->resizeColumnsToContents();
  }
  updateCount();
  // Overlays are snapshots: while a selected run is being written (a sweep's member, say), ask
  // for them again so the plots follow it.
  for (int r = 0; r < model_->runCount(); ++r)
    if (model_->summary(r).state == RunState::Running && selected.contains(model_->runDir(r))) {
      Q_EMIT selectionChanged(selected);
      break;
    }
}

void RunsPanel::setGroupSeeds(bool group) {
  group_seeds_->setChecked(group);
}

void RunsPanel::updateValueChoices() {
  QStringList choices;
  for (const auto& score : model_->scores()) choices << score;
  QStringList shown;
  for (int i = 1; i < values_->count(); ++i) shown << values_->itemData(i).toString();
  if (values_->count() > 0 && shown == choices) return;
  const QSignalBlocker block(values_);
  values_->clear();
  values_->addItem(tr("best & last"), QString());
  for (const auto& score : choices) values_->addItem(tr("at best %1").arg(score), score);
  const int current = values_->findData(model_->valuesAtBestOf());
  values_->setCurrentIndex(std::max(0, current));
  if (current < 0) model_->setValuesAtBestOf(QString());
}

bool RunsPanel::exportCsv(const QString& path, QString* error) const {
  QList<int> rows;
  for (int r = 0; r < proxy_->rowCount(); ++r)
    rows.push_back(proxy_->mapToSource(proxy_->index(r, 0)).row());
  try {
    writeFileAtomically(path.toStdString(), model_->toCsv(rows).toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  return true;
}

QStringList RunsPanel::selectedRuns() const {
  QStringList runs;
  for (const auto& index : view_->selectionModel()->selectedRows())
    runs += index.data(RunsTableModel::RunDirsRole).toStringList();
  return runs;
}

void RunsPanel::selectRuns(const QStringList& run_dirs) {
  QItemSelection selection;
  for (int r = 0; r < proxy_->rowCount(); ++r) {
    const QModelIndex index = proxy_->index(r, 0);
    const QStringList members = index.data(RunsTableModel::RunDirsRole).toStringList();
    if (std::any_of(members.begin(), members.end(),
                    [&](const QString& dir) { return run_dirs.contains(dir); }))
      selection.select(index, proxy_->index(r, proxy_->columnCount() - 1));
  }
  view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
  // The selected rows in view (a sweep opened in a long table sat below the fold).
  if (!selection.isEmpty()) view_->scrollTo(selection.first().topLeft());
}

PairedProbeDialog* RunsPanel::showPairedProbe() {
  const QStringList selected = selectedRuns();
  if (selected.size() != 2) {
    count_->setText(tr("Select exactly two runs to probe them side by side"));
    return nullptr;
  }
  auto* dialog = new PairedProbeDialog(selected[0], selected[1], this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
  return dialog;
}

QDialog* RunsPanel::showConfigDiff() {
  std::vector<ExperimentConfig> configs;
  QStringList names;
  const QStringList selected = selectedRuns();
  for (int r = 0; r < model_->runCount(); ++r) {
    if (!selected.contains(model_->runDir(r)) || !model_->summary(r).config) continue;
    configs.push_back(*model_->summary(r).config);
    names << QString::fromStdString(model_->summary(r).name);
  }
  if (configs.size() < 2) {
    count_->setText(tr("Select two or more runs (with readable configs) to diff them"));
    return nullptr;
  }
  const auto rows = diffConfigs(configs);
  auto* dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Config diff of %n run(s)", "", static_cast<int>(configs.size())));
  auto* table =
      new QTableWidget(static_cast<int>(rows.size()), static_cast<int>(configs.size()), dialog);
  table->setObjectName("diffTable");
  table->setHorizontalHeaderLabels(names);
  QStringList keys;
  for (size_t i = 0; i < rows.size(); ++i) {
    keys << QString::fromStdString(rows[i].key);
    for (size_t c = 0; c < rows[i].values.size(); ++c)
      table->setItem(static_cast<int>(i), static_cast<int>(c),
                     new QTableWidgetItem(QString::fromStdString(rows[i].values[c])));
  }
  table->setVerticalHeaderLabels(keys);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->resizeColumnsToContents();
  auto* layout = new QVBoxLayout(dialog);
  if (rows.empty()) layout->addWidget(new QLabel(tr("The configs are the same."), dialog));
  layout->addWidget(table);
  dialog->resize(700, 400);
  dialog->show();
  return dialog;
}

bool RunsPanel::saveNotes(const QString& run_dir, const QString& tags, const QString& text,
                          QString* error) {
  RunNotes notes;
  for (const auto& tag : tags.split(',', Qt::SkipEmptyParts))
    if (!tag.trimmed().isEmpty()) notes.tags.push_back(tag.trimmed().toStdString());
  notes.text = text.toStdString();
  try {
    RunFolder::open(run_dir.toStdString()).writeNotes(notes);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  refresh();
  return true;
}

QDialog* RunsPanel::editNotes() {
  const QStringList selected = selectedRuns();
  if (selected.isEmpty()) {
    count_->setText(tr("Select a run to write notes about it"));
    return nullptr;
  }
  const QString run_dir = selected.first();
  RunNotes notes;
  try {
    notes = RunFolder::open(run_dir.toStdString()).readNotes();
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Cannot read the notes"), QString::fromStdString(e.what()));
  }
  auto* dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Notes on %1").arg(QFileInfo(run_dir).fileName()));
  QStringList tags;
  for (const auto& tag : notes.tags) tags << QString::fromStdString(tag);
  auto* tags_edit = new QLineEdit(tags.join(", "), dialog);
  tags_edit->setObjectName("tagsEdit");
  tags_edit->setPlaceholderText(tr("comma-separated, e.g. baseline, collapsed"));
  auto* text_edit = new QPlainTextEdit(QString::fromStdString(notes.text), dialog);
  text_edit->setObjectName("notesEdit");
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, dialog);
  connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  connect(buttons, &QDialogButtonBox::accepted, dialog, [=] {
    QString error;
    if (saveNotes(run_dir, tags_edit->text(), text_edit->toPlainText(), &error))
      dialog->accept();
    else
      QMessageBox::warning(dialog, tr("Cannot save the notes"), error);
  });
  auto* form = new QFormLayout(dialog);
  form->addRow(tr("Tags"), tags_edit);
  form->addRow(tr("Notes"), text_edit);
  form->addRow(buttons);
  dialog->resize(520, 320);
  dialog->show();
  return dialog;
}

void RunsPanel::setFilterText(const QString& text) {
  if (filter_->text() != text) filter_->setText(text);
  proxy_->setFilterWords(text);
  updateCount();
}

void RunsPanel::rebuildFolderMenu() {
  auto* menu = new QMenu(folders_);
  menu->addAction(tr("Add folder…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a folder of runs"));
    addRoot(dir);
  });
  if (!model_->roots().isEmpty()) menu->addSeparator();
  for (const auto& root : model_->roots()) {
    menu->addAction(tr("Remove %1").arg(root), this, [this, root] {
      QStringList roots = model_->roots();
      roots.removeAll(root);
      setRoots(roots);
      Q_EMIT rootsChanged(roots);
    });
  }
  delete folders_->menu();
  folders_->setMenu(menu);
}

void RunsPanel::updateCount() {
  updateValueChoices();  // the scores come and go with the runs
  const int shown = proxy_->rowCount();
  const int all = model_->rowCount();
  // "1 run", "2 runs": the count of the whole list decides, as in "1 of 2 runs".
  const QString unit = model_->groupSeeds() ? (all == 1 ? tr("group") : tr("groups"))
                                            : (all == 1 ? tr("run") : tr("runs"));
  QString text = shown == all ? QString("%1 %2").arg(all).arg(unit)
                              : tr("%1 of %2 %3").arg(shown).arg(all).arg(unit);
  QStringList roots;
  for (const auto& root : model_->roots())
    roots << (QDir(root).exists() ? root : tr("%1 (not found)").arg(root));
  text += tr(" in %1").arg(roots.isEmpty() ? tr("no folder (Folders → Add folder…)")
                                           : roots.join(", "));
  const int selected = static_cast<int>(selectedRuns().size());
  if (selected > 0) text += tr(" · %n selected, overlaid in the plots", "", selected);
  count_->setText(text);
}

void RunsPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  refresh();
  refresh_timer_.start();
}

void RunsPanel::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  refresh_timer_.stop();
}

}  // namespace cvae::ui
