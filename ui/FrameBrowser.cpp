#include "ui/FrameBrowser.h"

#include "ui/SaveDialog.h"

#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPainter>
#include <QVBoxLayout>

#include <cmath>

#include "core/io/GifWriter.h"

namespace cvae::ui {
namespace {

constexpr int kScale = 2;
constexpr int kModelColumns = 2;  // two 128-pixel frames side by side fit the preview dock

QImage toQImage(const RgbImage& image) {
  return QImage(image.pixels.data(), image.width, image.height, image.width * 3,
                QImage::Format_RGB888)
      .copy();  // own the pixels: the strip may go away
}

RgbImage toRgbImage(const QImage& image) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  RgbImage out{rgb.width(), rgb.height(), {}};
  out.pixels.reserve(static_cast<size_t>(rgb.width()) * rgb.height() * 3);
  for (int y = 0; y < rgb.height(); ++y) {
    const auto* line = rgb.constScanLine(y);
    out.pixels.insert(out.pixels.end(), line, line + rgb.width() * 3);
  }
  return out;
}

QString psnrText(double psnr) {
  return std::isnan(psnr) ? QObject::tr("given") : QObject::tr("%1 dB").arg(psnr, 0, 'f', 2);
}

}  // namespace

FrameBrowser::FrameBrowser(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* controls = new QHBoxLayout;
  play_ = new QPushButton(tr("Play"), this);
  play_->setCheckable(true);
  play_->setToolTip(tr("Play the sequence (5 frames per second)"));
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setToolTip(tr("Time step"));
  time_label_ = new QLabel(this);
  auto* png = new QPushButton(QIcon(":/icons/export.svg"), tr("PNG…"), this);
  png->setToolTip(tr("Export every frame of every row as one PNG strip"));
  auto* gif = new QPushButton(QIcon(":/icons/export.svg"), tr("GIF…"), this);
  gif->setToolTip(tr("Export an animated GIF: the truth above the model's frames"));
  // The slider gets a row of its own: beside four buttons it would be too short to aim at.
  controls->addWidget(play_);
  controls->addWidget(slider_, 1);
  controls->addWidget(time_label_);
  layout->addLayout(controls);
  auto* exports = new QHBoxLayout;
  exports->addStretch(1);
  exports->addWidget(png);
  exports->addWidget(gif);
  layout->addLayout(exports);
  grid_host_ = new QWidget(this);
  new QGridLayout(grid_host_);
  layout->addWidget(grid_host_);
  layout->addStretch(1);

  connect(slider_, &QSlider::valueChanged, this, &FrameBrowser::showFrame);
  connect(play_, &QPushButton::toggled, this, &FrameBrowser::setPlaying);
  connect(png, &QPushButton::clicked, this, [this] { chooseExportFile(false); });
  connect(gif, &QPushButton::clicked, this, [this] { chooseExportFile(true); });
  timer_.setInterval(200);
  connect(&timer_, &QTimer::timeout, this,
          [this] { setFrame(frame_count_ ? (currentFrame() + 1) % frame_count_ : 0); });
  setStrips({});
}

void FrameBrowser::setStrips(const std::vector<FrameStrip>& strips) {
  strips_ = strips;
  frame_count_ = strips_.empty() ? 0 : static_cast<int>(strips_.front().frames.size());
  auto* grid = static_cast<QGridLayout*>(grid_host_->layout());
  if (images_.size() != static_cast<int>(strips_.size())) {
    qDeleteAll(images_);
    qDeleteAll(captions_);
    images_.clear();
    captions_.clear();
    for (size_t i = 0; i < strips_.size(); ++i) {
      // The truth centred on the first row; the model's rows below it, two to a row.
      const int model_index = static_cast<int>(i) - 1;
      const int row = i == 0 ? 0 : 2 * (1 + model_index / kModelColumns);
      const int column = i == 0 ? 0 : model_index % kModelColumns;
      const int span = i == 0 ? kModelColumns : 1;
      auto* image = new QLabel(grid_host_);
      image->setFixedSize(64 * kScale, 64 * kScale);
      auto* caption = new QLabel(grid_host_);
      caption->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
      grid->addWidget(image, row, column, 1, span, Qt::AlignHCenter);
      grid->addWidget(caption, row + 1, column, 1, span, Qt::AlignHCenter);
      images_.push_back(image);
      captions_.push_back(caption);
    }
  }
  slider_->setRange(0, std::max(0, frame_count_ - 1));
  slider_->setEnabled(frame_count_ > 0);
  play_->setEnabled(frame_count_ > 0);
  if (frame_count_ == 0) setPlaying(false);
  showFrame(std::min(slider_->value(), std::max(0, frame_count_ - 1)));
}

void FrameBrowser::setFrame(int t) {
  slider_->setValue(t);
}

void FrameBrowser::setPlaying(bool playing) {
  if (playing && frame_count_ > 0)
    timer_.start();
  else
    timer_.stop();
  play_->setChecked(timer_.isActive());
  play_->setText(timer_.isActive() ? tr("Pause") : tr("Play"));
}

void FrameBrowser::showFrame(int t) {
  time_label_->setText(frame_count_ ? tr("frame %1 / %2").arg(t + 1).arg(frame_count_)
                                    : tr("no frames yet"));
  for (int i = 0; i < images_.size(); ++i) {
    const auto& strip = strips_[static_cast<size_t>(i)];
    if (t >= static_cast<int>(strip.frames.size())) continue;
    images_[i]->setPixmap(QPixmap::fromImage(
        toQImage(strip.frames[static_cast<size_t>(t)]).scaled(64 * kScale, 64 * kScale)));
    // The truth has no PSNR of its own: say whether the model was given this frame.
    const auto& scored = strips_.size() > 1 && i == 0 ? strips_[1] : strip;
    const double psnr = t < static_cast<int>(scored.psnr.size())
                            ? scored.psnr[static_cast<size_t>(t)]
                            : std::nan("");
    const QString detail =
        i == 0 ? (std::isnan(psnr) ? tr("given") : tr("to predict")) : psnrText(psnr);
    captions_[i]->setText(QString("%1\n%2").arg(QString::fromStdString(strip.title), detail));
  }
}

QImage FrameBrowser::stripImage() const {
  if (strips_.empty()) return {};
  constexpr int kCell = 128, kLabel = 110;
  QImage out(kLabel + frame_count_ * kCell, static_cast<int>(strips_.size()) * kCell,
             QImage::Format_RGB888);
  out.fill(Qt::white);
  QPainter painter(&out);
  for (size_t r = 0; r < strips_.size(); ++r) {
    const int y = static_cast<int>(r) * kCell;
    painter.setPen(Qt::black);
    painter.drawText(QRect(2, y, kLabel - 4, kCell), Qt::AlignVCenter | Qt::TextWordWrap,
                     QString::fromStdString(strips_[r].title));
    for (int t = 0; t < frame_count_; ++t)
      painter.drawImage(QRect(kLabel + t * kCell, y, kCell, kCell),
                        toQImage(strips_[r].frames[static_cast<size_t>(t)]));
  }
  return out;
}

bool FrameBrowser::exportPng(const QString& path) const {
  return stripImage().save(path, "PNG");
}

QImage FrameBrowser::frameGrid(int t) const {
  // Row 1: the truth; row 2: the model's frames side by side (blank where there are none).
  const int columns = std::max<int>(1, static_cast<int>(strips_.size()) - 1);
  QImage out(64 * columns, 128, QImage::Format_RGB888);
  out.fill(Qt::black);
  QPainter painter(&out);
  painter.drawImage(0, 0, toQImage(strips_[0].frames[static_cast<size_t>(t)]));
  for (size_t i = 1; i < strips_.size(); ++i)
    painter.drawImage(64 * (static_cast<int>(i) - 1), 64,
                      toQImage(strips_[i].frames[static_cast<size_t>(t)]));
  return out;
}

void FrameBrowser::exportGif(const QString& path) const {
  std::vector<RgbImage> frames;
  for (int t = 0; t < frame_count_; ++t) frames.push_back(toRgbImage(frameGrid(t)));
  writeAnimatedGif(path.toStdString(), frames);
}

void FrameBrowser::chooseExportFile(bool gif) {
  if (strips_.empty()) return;
  const QString path = gif ? askSavePath(this, tr("Export GIF"), export_folder_,
                                         export_base_ + "-frames.gif", tr("GIF images"), {"gif"})
                           : askSavePath(this, tr("Export PNG strip"), export_folder_,
                                         export_base_ + "-strip.png", tr("PNG images"), {"png"});
  if (path.isEmpty()) return;
  try {
    if (gif)
      exportGif(path);
    else if (!exportPng(path))
      throw std::runtime_error(path.toStdString() + ": cannot write the image");
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.what()));
  }
}

}  // namespace cvae::ui
