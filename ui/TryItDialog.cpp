#include "ui/TryItDialog.h"

#include <algorithm>

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include "core/experiments/WordTools.h"
#include "core/io/InputError.h"
#include "core/training/CheckpointLoader.h"
#include "ui/PreviewTableModel.h"

namespace cvae::ui {
namespace {

template <typename Capability>
Capability& capability(LoadedExperiment& loaded, const char* what) {
  auto* c = dynamic_cast<Capability*>(loaded.experiment.get());
  if (!c) throw InputError("the " + toString(loaded.config.kind) + " experiment cannot " + what);
  return *c;
}

}  // namespace

TryItDialog::TryItDialog(const QString& checkpoint, QWidget* parent)
    : QDialog(parent), checkpoint_(checkpoint) {
  setWindowTitle(tr("Try it — %1").arg(QFileInfo(checkpoint).absoluteFilePath()));
  word_ = new QLineEdit(this);
  word_->setPlaceholderText(tr("a word, e.g. abet (spelling: a misspelling)"));
  word_b_ = new QLineEdit(this);
  word_b_->setPlaceholderText(tr("interpolate to this word"));
  from_ = new QComboBox(this);
  to_ = new QComboBox(this);
  for (const char* tense : {"sp", "tp", "pg", "p"}) {
    from_->addItem(tense);
    to_->addItem(tense);
  }
  to_->setCurrentText("pg");
  count_ = new QSpinBox(this);
  count_->setRange(1, 1000);
  count_->setValue(10);
  seed_ = new QSpinBox(this);
  seed_->setRange(0, 2147483647);
  seed_->setValue(1);
  steps_ = new QSpinBox(this);
  steps_->setRange(2, 100);
  steps_->setValue(7);
  convert_ = new QPushButton(tr("Convert"), this);
  generate_ = new QPushButton(tr("Generate"), this);
  interpolate_ = new QPushButton(tr("Interpolate"), this);
  convert_->setDefault(true);
  connect(convert_, &QPushButton::clicked, this, &TryItDialog::convert);
  connect(generate_, &QPushButton::clicked, this, &TryItDialog::generate);
  connect(interpolate_, &QPushButton::clicked, this, &TryItDialog::interpolate);
  connect(word_, &QLineEdit::returnPressed, this, &TryItDialog::convert);
  status_ = new QLabel(tr("Loading %1…").arg(checkpoint), this);
  status_->setWordWrap(true);
  result_ = new PreviewTableModel(this);
  auto* view = new QTableView(this);
  view->setModel(result_);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setStretchLastSection(true);
  connect(result_, &QAbstractItemModel::modelReset, view,
          [view] { view->resizeColumnsToContents(); });

  auto* form = new QFormLayout;
  auto* word_row = new QHBoxLayout;
  word_row->addWidget(word_, 1);
  word_row->addWidget(from_);
  word_row->addWidget(new QLabel(tr("→"), this));
  word_row->addWidget(to_);
  word_row->addWidget(convert_);
  form->addRow(tr("Word"), word_row);
  auto* generate_row = new QHBoxLayout;
  generate_row->addWidget(new QLabel(tr("tuples"), this));
  generate_row->addWidget(count_);
  generate_row->addWidget(new QLabel(tr("seed"), this));
  generate_row->addWidget(seed_);
  generate_row->addStretch(1);
  generate_row->addWidget(generate_);
  form->addRow(tr("From the prior"), generate_row);
  auto* interpolate_row = new QHBoxLayout;
  interpolate_row->addWidget(word_b_, 1);
  interpolate_row->addWidget(new QLabel(tr("steps"), this));
  interpolate_row->addWidget(steps_);
  interpolate_row->addWidget(interpolate_);
  form->addRow(tr("Word → word"), interpolate_row);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(status_);
  layout->addWidget(view, 1);
  resize(720, 520);

  setBusy(true);
  auto loaded = std::make_shared<LoadedExperiment>();
  auto error = std::make_shared<std::string>();
  const std::string path = checkpoint.toStdString();
  thread_ = QThread::create([loaded, error, path] {
    try {
      *loaded = loadExperimentFromCheckpoint(path);
    } catch (const std::exception& e) {
      *error = e.what();
    }
  });
  connect(thread_, &QThread::finished, this, [this, loaded, error] {
    thread_->deleteLater();
    thread_ = nullptr;
    problem_ = QString::fromStdString(*error);
    if (problem_.isEmpty()) {
      experiment_ = loaded;
      tense_ = dynamic_cast<TupleGenerator*>(loaded->experiment.get()) != nullptr;
      words_ = dynamic_cast<WordConverter*>(loaded->experiment.get()) != nullptr;
      status_->setText(
          tr("%1 at step %2. %3")
              .arg(QString::fromStdString(toString(loaded->config.kind)))
              .arg(loaded->info.step)
              .arg(words_ ? tr("Type a word and press Enter.")
                          : tr("This experiment has no word probes. Its probe is the frame "
                               "browser (Previews → Frames): any evaluated sequence, the "
                               "prior samples' PSNR per frame, |error| maps; Runs → Probe… "
                               "shows two runs' frames side by side.")));
      for (auto* w : std::initializer_list<QWidget*>{from_, to_, count_, seed_, word_b_, steps_})
        w->setEnabled(tense_);
      word_->setEnabled(words_);
      setBusy(false);
    } else {
      status_->setText(tr("Cannot load the checkpoint: %1").arg(problem_));
    }
    Q_EMIT ready();
  });
  thread_->start();
}

TryItDialog::~TryItDialog() {
  if (!thread_) return;
  thread_->wait();
  delete thread_;  // its finished() would have come to this object, now gone
}

void TryItDialog::setBusy(bool busy) {
  // Only the probes the experiment has come back when a probe ends.
  convert_->setEnabled(!busy && words_);
  generate_->setEnabled(!busy && tense_);
  interpolate_->setEnabled(!busy && tense_);
}

void TryItDialog::runProbe(std::function<PreviewTable(LoadedExperiment&)> work) {
  if (busy() || !experiment_) return;
  setBusy(true);
  status_->setText(tr("Working…"));
  auto table = std::make_shared<PreviewTable>();
  auto error = std::make_shared<std::string>();
  auto experiment = experiment_;
  thread_ = QThread::create([experiment, work = std::move(work), table, error] {
    try {
      *table = work(*experiment);
    } catch (const std::exception& e) {
      *error = e.what();
    }
  });
  connect(thread_, &QThread::finished, this, [this, table, error] {
    thread_->deleteLater();
    thread_ = nullptr;
    setBusy(false);
    problem_ = QString::fromStdString(*error);
    if (problem_.isEmpty()) {
      result_->setTable(*table);
      status_->setText(QString::fromStdString(table->title));
    } else {
      status_->setText(problem_);
    }
    Q_EMIT answered();
  });
  thread_->start();
}

void TryItDialog::convert() {
  const std::string word = word_->text().trimmed().toStdString();
  const std::string from = from_->currentText().toStdString();
  const std::string to = to_->currentText().toStdString();
  runProbe([word, from, to](LoadedExperiment& loaded) {
    auto& converter = capability<WordConverter>(loaded, "convert words");
    const bool tense = dynamic_cast<TupleGenerator*>(loaded.experiment.get()) != nullptr;
    PreviewTable table;
    table.title = tense ? word + " (" + from + " → " + to + ")" : "correction of " + word;
    table.columns = tense
                        ? std::vector<std::string>{"input", "from", "to", "output",
                                                   "probability of each letter"}
                        : std::vector<std::string>{"input", "output", "probability of each letter"};
    const auto scored = converter.convertScored(word, from, to);
    const std::string letters = letterProbabilityText(scored);
    table.rows.push_back(tense ? std::vector<std::string>{word, from, to, scored.output, letters}
                               : std::vector<std::string>{word, scored.output, letters});
    // Tinted when the model was unsure of a letter: the answer is a guess there.
    table.row_ok.push_back(std::all_of(scored.probabilities.begin(), scored.probabilities.end(),
                                       [](double p) { return p >= 0.5; }));
    return table;
  });
}

void TryItDialog::generate() {
  const int count = count_->value();
  const auto seed = static_cast<std::uint64_t>(seed_->value());
  runProbe([count, seed](LoadedExperiment& loaded) {
    const auto out = capability<TupleGenerator>(loaded, "generate").generate(count, seed);
    PreviewTable table;
    int known = 0;
    table.columns = {"sp", "tp", "pg", "p", "in training set"};
    for (size_t i = 0; i < out.rows.size(); ++i) {
      auto row = out.rows[i];
      row.push_back(out.known[i] ? "yes" : "no");
      table.rows.push_back(row);
      table.row_ok.push_back(out.known[i]);
      known += out.known[i];
    }
    table.title = std::to_string(count) + " tuples from z ~ N(0, I), seed " + std::to_string(seed) +
                  ": " + std::to_string(known) + " are rows of the training set";
    return table;
  });
}

void TryItDialog::interpolate() {
  const std::string a = word_->text().trimmed().toStdString();
  const std::string b = word_b_->text().trimmed().toStdString();
  const std::string from = from_->currentText().toStdString();
  const int steps = steps_->value();
  runProbe([a, b, from, steps](LoadedExperiment& loaded) {
    PreviewTable table;
    table.title = "from " + a + " to " + b + " (both read as " + from + ")";
    table.columns = {"t", "sp", "tp", "pg", "p"};
    table.rows =
        capability<LatentInterpolator>(loaded, "interpolate").interpolate(a, b, from, steps);
    table.row_ok.assign(table.rows.size(), true);
    return table;
  });
}

}  // namespace cvae::ui
