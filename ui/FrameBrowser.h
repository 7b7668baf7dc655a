#pragma once
// The video preview: the ground truth above the model's frames (the posterior reconstruction
// and samples from the learned prior, side by side) at one time step, or all of them over time
// as a film strip; a time slider, play/pause, keyboard stepping, per-frame PSNR, a picker of
// the evaluated sequences, and export as a PNG strip or an animated GIF. Thumbnails grow with
// the panel. Below the frames, each model row's PSNR per frame beside copy-last's; the model's
// frames can be shown as |prediction − truth| heat maps instead (FrameError.h).

#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVector>
#include <QWidget>

#include <algorithm>
#include <vector>

#include "core/experiments/Evaluation.h"

namespace cvae::ui {

class FramePsnrPlot;

class FrameBrowser : public QWidget {
  Q_OBJECT
 public:
  explicit FrameBrowser(QWidget* parent = nullptr);

  // The evaluation's frames, those of the first evaluated sequence. While another sequence is
  // picked, new frames ask for that one again (sequenceRequested), since the weights changed.
  void setStrips(const std::vector<FrameStrip>& strips);
  // The evaluated sequences: a table with columns "#", "sequence", "PSNR (dB)", ... and
  // "folder" (VideoExperiment's "Sequences" preview). Empty or without "folder": no picker.
  void setSequences(const PreviewTable& table);
  int currentSequence() const { return sequence_->currentIndex(); }
  QComboBox* sequencePicker() const { return sequence_; }
  // How many prior samples a requested prediction should draw: the user's choice in the
  // "samples" box, or -1 while they kept the evaluation's (the config's video.prior_samples).
  int requestedSamples() const { return samples_chosen_ ? samples_->value() : -1; }
  QSpinBox* samplesBox() const { return samples_; }
  // The answer to sequenceRequested(row, ...), ignored when another row was picked since.
  void showPredicted(int row, const std::vector<FrameStrip>& strips, const QString& source);
  void showPredictionProblem(int row, const QString& message);
  QString sourceText() const { return source_->text(); }

  // Model frames to a row are a multiple of `step` (2 for A | B pairs side by side).
  void setColumnStep(int step) {
    column_step_ = std::max(1, step);
    updateCellSize();
  }
  int columns() const { return columns_; }
  bool isFilmStrip() const { return film_->isChecked(); }
  bool isErrorMap() const { return error_->isChecked(); }
  FramePsnrPlot* psnrPlot() const { return psnr_plot_; }
  int cellSize() const { return cell_; }  // pixels of one shown frame
  int frameCount() const { return frame_count_; }
  const std::vector<FrameStrip>& strips() const { return strips_; }  // those shown
  int currentFrame() const { return slider_->value(); }
  bool isPlaying() const { return timer_.isActive(); }
  QSlider* slider() const { return slider_; }

  // Every strip as a row, time left to right, `cell` pixels a frame; a frame `highlight`
  // (>= 0) is outlined. The PNG export is stripImage() (2x scale).
  QImage stripImage(int cell = 128, int highlight = -1) const;
  bool exportPng(const QString& path) const;
  // Each GIF frame: the truth above the model's frames, side by side.
  void exportGif(const QString& path) const;

  // Where the export dialogs start and the name they suggest ("RUN" -> RUN-frames.gif).
  void setExportSuggestion(const QString& folder, const QString& base) {
    export_folder_ = folder;
    export_base_ = base;
  }

 public Q_SLOTS:
  void setFrame(int t);
  void setPlaying(bool playing);
  void setFilmStrip(bool on);
  // The model's rows as |prediction − truth| heat maps (the truth's row stays as it is); the
  // film strip and the exports show what the grid shows.
  void setErrorMap(bool on);

 Q_SIGNALS:
  // Predict the sequence in `folder` (row `row` of the sequence table) with
  // requestedSamples() prior samples: the user picked a row > 0, or chose another number of
  // samples than the evaluation drew.
  void sequenceRequested(int row, const QString& folder);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void display(const std::vector<FrameStrip>& strips);
  void pickSequence(int row);
  int evaluationSamples() const;  // prior samples in the evaluation's strips
  void updateCellSize();
  void placeCells();  // the frames and captions into the grid, columns_ model frames a row
  int captionHeight(int column_width) const;  // pixels the tallest caption needs
  void showFrame(int t);
  void chooseExportFile(bool gif);
  QImage frameGrid(int t) const;                 // one GIF frame
  QImage shownFrame(size_t strip, int t) const;  // frame t of a strip, or its error map

  std::vector<FrameStrip> strips_;             // shown
  std::vector<FrameStrip> evaluation_strips_;  // the evaluation's (sequence row 0)
  PreviewTable sequences_;
  int folder_column_ = -1;
  int frame_count_ = 0;
  int cell_ = 128;
  int columns_ = 2;  // model frames to a row under the truth
  int column_step_ = 1;
  QComboBox* sequence_;
  QSpinBox* samples_;
  bool samples_chosen_ = false;
  QLabel* source_;
  // Tool buttons: push buttons' minimum width made the row wider than a 270-pixel dock.
  QToolButton* film_;
  QToolButton* error_;
  FramePsnrPlot* psnr_plot_;
  QScrollArea* film_area_;
  QLabel* film_image_;
  QSlider* slider_;
  QLabel* time_label_;
  QPushButton* play_;
  QWidget* grid_host_;
  QVector<QLabel*> images_, captions_;
  QTimer timer_;
  QString export_folder_;
  QString export_base_ = "frames";
};

}  // namespace cvae::ui
