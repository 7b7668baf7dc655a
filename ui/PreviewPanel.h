#pragma once
// The latest evaluation's previews, one tab per table, and its notes.

#include <QLabel>
#include <QTabWidget>
#include <QVector>

#include "core/experiments/Evaluation.h"
#include "ui/FrameBrowser.h"
#include "ui/PreviewTableModel.h"
#include "ui/SequencePrediction.h"

namespace cvae::ui {

class PreviewPanel : public QWidget {
  Q_OBJECT
 public:
  explicit PreviewPanel(QWidget* parent = nullptr);
  void showEvaluation(const Evaluation& evaluation, int epoch);
  void clear();
  // For a run opened from disk without previews.tsv (or with a broken one: `problem`).
  void showPastRunNotice(const QString& problem = {});
  int tableCount() const { return models_.size(); }
  // The line above the tables: the epoch, its scores and notes.
  QString headerText() const { return header_->text(); }
  const PreviewTableModel* model(int i) const { return models_.value(i); }
  FrameBrowser* frameBrowser() const { return frames_; }

  // `folder`: the run's folder. The frame browser's exports start there and it predicts a
  // picked sequence with the folder's last.pt (best.pt when there is none). Passed on to the
  // frame browser (now or when it is made).
  void setExportSuggestion(const QString& folder, const QString& base);
  SequencePrediction* sequencePrediction() const { return prediction_; }

 private:
  QString export_folder_, export_base_ = "frames";
  QLabel* header_;
  QTabWidget* tabs_;
  QVector<PreviewTableModel*> models_;
  QVector<QWidget*> views_;         // the table tabs, parallel to models_
  FrameBrowser* frames_ = nullptr;  // made on the first evaluation with frames
  SequencePrediction* prediction_;
};

}  // namespace cvae::ui
