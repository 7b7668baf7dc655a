#include "ui/PreviewPanel.h"

#include <cmath>

#include "core/training/PairedProbe.h"
#include "ui/FittedTableView.h"

#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

namespace cvae::ui {

PreviewPanel::PreviewPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  header_ = new QLabel(tr("Previews appear after the first evaluation."), this);
  header_->setWordWrap(true);
  layout->addWidget(header_);
  tabs_ = new QTabWidget(this);
  layout->addWidget(tabs_, 1);
  prediction_ = new SequencePrediction(this);
}

void PreviewPanel::clear() {
  for (auto* m : models_) m->setTable({});
  if (frames_) {
    frames_->setSequences({});
    frames_->setStrips({});
  }
  header_->setText(tr("Previews appear after the first evaluation."));
}

void PreviewPanel::showPastRunNotice(const QString& problem) {
  for (auto* m : models_) m->setTable({});
  header_->setText(problem.isEmpty()
                       ? tr("This run has no previews.tsv: its curves and scores are shown. "
                            "cvae-cli evaluate CHECKPOINT prints its predictions.")
                       : tr("The run's previews could not be read: %1").arg(problem));
}

void PreviewPanel::showEvaluation(const Evaluation& evaluation, int epoch) {
  QStringList scores;
  // Four decimals as the CLI prints them; a value too large for that in the shortest form
  // (a hand-edited scores.yaml's 1e308 ran across the panel in 309 digits).
  auto number = [](double value) {
    return std::isfinite(value) && std::abs(value) < 1e6 ? QString::number(value, 'f', 4)
                                                         : QString::number(value, 'g', 6);
  };
  for (const auto& [name, value] : evaluation.scores) {
    QString score = QString("%1 %2").arg(QString::fromStdString(name), number(value));
    // A sampled score is a mean over sampling seeds: how far one sample strays goes with it.
    if (const auto spread = evaluation.spread.find(name); spread != evaluation.spread.end())
      score +=
          tr(" (sd %1 over %n seeds)", nullptr, spread->second.n).arg(number(spread->second.std));
    scores << score;
  }
  QStringList notes;
  for (const auto& n : evaluation.notes) notes << QString::fromStdString(n);
  header_->setText(
      tr("After epoch %1: %2\n%3").arg(epoch + 1).arg(scores.join(", "), notes.join("; ")));
  for (size_t i = 0; i < evaluation.previews.size(); ++i) {
    const auto& table = evaluation.previews[i];
    if (static_cast<int>(i) >= models_.size()) {
      auto* model = new PreviewTableModel(this);
      auto* view = new FittedTableView(tabs_);
      view->setModel(model);
      view->setAlternatingRowColors(false);
      // Row numbers would take a fifth of a narrow side panel; the rows are not referred to.
      view->verticalHeader()->hide();
      view->verticalHeader()->setDefaultSectionSize(20);
      tabs_->addTab(view, QString::fromStdString(table.title));
      models_.push_back(model);
      views_.push_back(view);
    }
    models_[static_cast<int>(i)]->setTable(table);
    const int tab = tabs_->indexOf(views_[static_cast<int>(i)]);
    tabs_->setTabText(tab, QString::fromStdString(table.title));
    tabs_->setTabToolTip(tab, QString::fromStdString(table.title));
  }
  if (!evaluation.frames.empty()) {
    if (!frames_) {
      frames_ = new FrameBrowser(tabs_);
      frames_->setExportSuggestion(export_folder_, export_base_);
      tabs_->insertTab(0, frames_, tr("Frames"));
      tabs_->setCurrentWidget(frames_);
      connect(frames_, &FrameBrowser::sequenceRequested, this,
              [this](int row, const QString& folder) {
                if (export_folder_.isEmpty())
                  return frames_->showPredictionProblem(row, tr("no run folder in view"));
                try {
                  // The run's last.pt, else its best.pt (as the paired probe picks them).
                  prediction_->request(
                      QString::fromStdString(checkpointNearStep(export_folder_.toStdString(), -1)),
                      folder, row, frames_->requestedSamples());
                } catch (const std::exception& e) {
                  frames_->showPredictionProblem(row, QString::fromStdString(e.what()));
                }
              });
      connect(prediction_, &SequencePrediction::predicted, frames_, &FrameBrowser::showPredicted);
      connect(prediction_, &SequencePrediction::failed, frames_,
              &FrameBrowser::showPredictionProblem);
    }
    PreviewTable sequences;
    for (const auto& table : evaluation.previews)
      if (table.title == "Sequences") sequences = table;
    frames_->setSequences(sequences);
    frames_->setStrips(evaluation.frames);
  }
}

void PreviewPanel::setExportSuggestion(const QString& folder, const QString& base) {
  export_folder_ = folder;
  export_base_ = base;
  if (frames_) frames_->setExportSuggestion(folder, base);
}

}  // namespace cvae::ui
