#pragma once
// The video preview: the ground truth above the model's frames (the posterior reconstruction
// and samples from the learned prior, side by side) at one time step, a time slider,
// play/pause, per-frame PSNR, and export as a PNG strip or an animated GIF.

#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <vector>

#include "core/experiments/Experiment.h"

namespace cvae::ui {

class FrameBrowser : public QWidget {
  Q_OBJECT
 public:
  explicit FrameBrowser(QWidget* parent = nullptr);

  void setStrips(const std::vector<FrameStrip>& strips);
  int frameCount() const { return frame_count_; }
  int currentFrame() const { return slider_->value(); }
  bool isPlaying() const { return timer_.isActive(); }
  QSlider* slider() const { return slider_; }

  // Every strip as a row, time left to right, 2x scale.
  QImage stripImage() const;
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

 private:
  void showFrame(int t);
  void chooseExportFile(bool gif);
  QImage frameGrid(int t) const;  // one GIF frame

  std::vector<FrameStrip> strips_;
  int frame_count_ = 0;
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
