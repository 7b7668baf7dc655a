#include "ui/runs/PairedProbeDialog.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/training/CheckpointLoader.h"
#include "core/training/PairedProbe.h"
#include "ui/FrameBrowser.h"
#include "ui/PreviewTableModel.h"

namespace cvae::ui {
namespace {

struct Outcome {
  PairedProbeResult result;
  std::string path_a, path_b, error;
};

}  // namespace

PairedProbeDialog::PairedProbeDialog(const QString& run_a, const QString& run_b, QWidget* parent)
    : QDialog(parent), run_a_(run_a), run_b_(run_b) {
  setWindowTitle(
      tr("Paired probe — %1 vs %2").arg(QFileInfo(run_a).fileName(), QFileInfo(run_b).fileName()));
  words_ = new QLineEdit(this);
  words_->setPlaceholderText(tr("words, comma-separated (empty: the test pairs)"));
  from_ = new QComboBox(this);
  to_ = new QComboBox(this);
  for (const char* tense : {"sp", "tp", "pg", "p"}) {
    from_->addItem(tense);
    to_->addItem(tense);
  }
  to_->setCurrentText("p");
  samples_ = new QSpinBox(this);
  samples_->setRange(0, 1000);
  samples_->setValue(10);
  samples_->setToolTip(tr("Tense: tuples decoded from the same z; video: prior samples"));
  seed_ = new QSpinBox(this);
  seed_->setRange(0, 2147483647);
  seed_->setValue(1);
  step_ = new QSpinBox(this);
  step_->setRange(-1, 2147483647);
  step_->setValue(-1);
  step_->setSpecialValueText(tr("last.pt"));
  step_->setToolTip(tr("Each run's checkpoint (best.pt or last.pt) nearest this step"));
  sequence_ = new QLineEdit(this);
  sequence_->setPlaceholderText(tr("video: a sequence folder"));
  auto* browse = new QToolButton(this);
  browse->setText(tr("…"));
  browse->setToolTip(tr("Choose a sequence folder (one with 0.png, 1.png, …)"));
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Sequence folder"), sequence_->text());
    if (!folder.isEmpty()) sequence_->setText(folder);
  });
  run_ = new QPushButton(tr("Probe"), this);
  run_->setDefault(true);
  connect(run_, &QPushButton::clicked, this, &PairedProbeDialog::start);
  status_ = new QLabel(tr("A: %1\nB: %2").arg(run_a, run_b), this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  tabs_ = new QTabWidget(this);

  auto* form = new QFormLayout;
  form->addRow(tr("Words"), words_);
  auto* tenses = new QHBoxLayout;
  tenses->addWidget(from_);
  tenses->addWidget(new QLabel(tr("→"), this));
  tenses->addWidget(to_);
  tenses->addStretch(1);
  form->addRow(tr("Tenses (tense runs)"), tenses);
  form->addRow(tr("Samples"), samples_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Checkpoint at step"), step_);
  auto* sequence_row = new QHBoxLayout;
  sequence_row->addWidget(sequence_, 1);
  sequence_row->addWidget(browse);
  form->addRow(tr("Sequence"), sequence_row);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(run_, 0, Qt::AlignRight);
  layout->addWidget(status_);
  layout->addWidget(tabs_, 1);
  resize(860, 600);
}

PairedProbeDialog::~PairedProbeDialog() {
  if (!thread_) return;
  thread_->wait();  // it owns nothing of ours, but must not outlive the app
  delete thread_;   // its finished() would have come to this object, now gone
}

void PairedProbeDialog::start() {
  if (running()) return;
  PairedProbeRequest request;
  for (const auto& word : words_->text().split(',', Qt::SkipEmptyParts))
    request.words.push_back({word.trimmed().toStdString(), from_->currentText().toStdString(),
                             to_->currentText().toStdString(), ""});
  request.samples = samples_->value();
  request.seed = static_cast<std::uint64_t>(seed_->value());
  request.sequence = sequence_->text().trimmed().toStdString();
  const std::int64_t step = step_->value();
  auto outcome = std::make_shared<Outcome>();
  const std::string a = run_a_.toStdString(), b = run_b_.toStdString();
  thread_ = QThread::create([outcome, request, step, a, b] {
    try {
      outcome->path_a = checkpointNearStep(a, step);
      outcome->path_b = checkpointNearStep(b, step);
      auto run_a = loadExperimentFromCheckpoint(outcome->path_a);
      auto run_b = loadExperimentFromCheckpoint(outcome->path_b);
      outcome->result = pairedProbe(run_a, run_b, request);
    } catch (const std::exception& e) {
      outcome->error = e.what();
    }
  });
  connect(thread_, &QThread::finished, this, [this, outcome] {
    thread_->deleteLater();
    thread_ = nullptr;
    run_->setEnabled(true);
    // The previous answer's pages go (QTabWidget::clear would only take them out).
    while (tabs_->count() > 0) delete tabs_->widget(0);
    problem_ = QString::fromStdString(outcome->error);
    if (!problem_.isEmpty()) {
      status_->setText(tr("Cannot probe: %1").arg(problem_));
    } else {
      QString text =
          tr("A: %1\nB: %2\n%3")
              .arg(QString::fromStdString(outcome->path_a), QString::fromStdString(outcome->path_b))
              .arg(tr("A and B differ on %1 of %2 rows (tinted)")
                       .arg(outcome->result.differing)
                       .arg(outcome->result.compared));
      for (const auto& note : outcome->result.notes)
        text += "\n" + tr("Note: %1").arg(QString::fromStdString(note));
      status_->setText(text);
      for (const auto& table : outcome->result.tables) {
        auto* model = new PreviewTableModel(tabs_);
        model->setTable(table);
        auto* view = new QTableView(tabs_);
        view->setModel(model);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
        view->resizeColumnsToContents();
        tabs_->addTab(view, QString::fromStdString(table.title));
      }
      if (!outcome->result.frames.empty()) {
        // A's frames left, B's right, at the same time step (the slider moves both).
        frames_ = new FrameBrowser(tabs_);
        frames_->setColumnStep(2);  // A beside B, whatever the panel's width
        frames_->setStrips(outcome->result.frames);
        frames_->setExportSuggestion(
            QFileInfo(run_a_).absolutePath(),
            QFileInfo(run_a_).fileName() + "-vs-" + QFileInfo(run_b_).fileName());
        tabs_->addTab(frames_, tr("Frames: A | B"));
        tabs_->setCurrentWidget(frames_);
      }
    }
    Q_EMIT finished();
  });
  run_->setEnabled(false);
  status_->setText(tr("Probing… (loading both checkpoints)"));
  thread_->start();
}

int PairedProbeDialog::tableCount() const {
  return tabs_->count() - (frames_ ? 1 : 0);
}

const PreviewTableModel* PairedProbeDialog::tableModel(int i) const {
  auto* view = qobject_cast<QTableView*>(tabs_->widget(i));
  return view ? qobject_cast<const PreviewTableModel*>(view->model()) : nullptr;
}

QString PairedProbeDialog::summary() const {
  return status_->text();
}

}  // namespace cvae::ui
