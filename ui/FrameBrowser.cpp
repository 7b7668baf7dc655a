#include "ui/FrameBrowser.h"

#include "ui/FrameError.h"
#include "ui/FramePsnrPlot.h"
#include "ui/SaveDialog.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QMessageBox>
#include <QPainter>
#include <QResizeEvent>
#include <QSettings>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "core/io/GifWriter.h"

namespace cvae::ui {
namespace {

// A frame is never drawn larger than its cell: below 32 px the grid scrolls instead.
constexpr int kMinCell = 32, kNativeCell = 64, kMaxCell = 384;
constexpr int kCaptionHeight = 34;             // two caption lines under each frame, at least
constexpr int kGridMargin = 12, kGridTop = 6;  // pixels around the frames

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
  setFocusPolicy(Qt::StrongFocus);  // Left/Right, Home/End and Space step and play
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* picker = new QHBoxLayout;
  sequence_ = new QComboBox(this);
  sequence_->setToolTip(
      tr("The evaluated sequence to show: the first is the evaluation's own "
         "preview; another is predicted again with the run's checkpoint"));
  sequence_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  sequence_->setMinimumContentsLength(12);
  source_ = new QLabel(this);
  source_->setWordWrap(true);
  film_ = new QToolButton(this);
  film_->setText(tr("Film strip"));
  film_->setCheckable(true);
  film_->setToolTip(tr("Show every row over time side by side, the current frame outlined"));
  error_ = new QToolButton(this);
  error_->setText(tr("|Error|"));
  error_->setCheckable(true);
  error_->setToolTip(
      tr("Show the model's frames as |prediction − truth| per pixel: black is "
         "exact, red to yellow a growing error, white half the intensity range "
         "or more (the same scale for every frame and run)"));
  samples_ = new QSpinBox(this);
  samples_->setRange(1, 32);
  samples_->setPrefix(tr("K = "));
  samples_->setToolTip(
      tr("Prior samples to draw (K): another number than the evaluation's "
         "predicts the sequence again with the run's checkpoint"));
  picker->addWidget(sequence_, 1);
  layout->addLayout(picker);
  // What to draw on a row of its own: beside the picker it made the panel too wide for a dock.
  auto* view = new QHBoxLayout;
  view->addWidget(samples_);
  view->addWidget(error_);
  view->addWidget(film_);
  view->addStretch(1);
  layout->addLayout(view);
  layout->addWidget(source_);
  auto* controls = new QHBoxLayout;
  play_ = new QPushButton(tr("Play"), this);
  play_->setCheckable(true);
  play_->setToolTip(tr("Play the sequence (5 frames per second; Space)"));
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setToolTip(tr("Time step (Left/Right, Home/End)"));
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
  // The frames are placed by hand (placeCells), not by a layout: see there.
  grid_host_ = new QWidget(this);
  grid_host_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  grid_host_->installEventFilter(this);
  layout->addWidget(grid_host_, 1);
  film_area_ = new QScrollArea(this);
  film_image_ = new QLabel(film_area_);
  film_area_->setWidget(film_image_);
  film_area_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  film_area_->hide();
  layout->addWidget(film_area_, 1);
  psnr_plot_ = new FramePsnrPlot(this);
  psnr_plot_->setToolTip(
      tr("PSNR of each model row per frame; dashed: holding the last given "
         "frame still (copy-last); the vertical line is the frame shown"));
  layout->addWidget(psnr_plot_);

  connect(slider_, &QSlider::valueChanged, this, &FrameBrowser::showFrame);
  connect(play_, &QPushButton::toggled, this, &FrameBrowser::setPlaying);
  connect(film_, &QToolButton::toggled, this, &FrameBrowser::setFilmStrip);
  connect(error_, &QToolButton::toggled, this, &FrameBrowser::setErrorMap);
  connect(sequence_, qOverload<int>(&QComboBox::activated), this, &FrameBrowser::pickSequence);
  // Once the typing or stepping is done: each request predicts the whole sequence again.
  connect(samples_, &QSpinBox::editingFinished, this, [this] {
    if (samples_chosen_ || samples_->value() != evaluationSamples()) {
      samples_chosen_ = true;
      pickSequence(currentSequence());
    }
  });
  connect(png, &QPushButton::clicked, this, [this] { chooseExportFile(false); });
  connect(gif, &QPushButton::clicked, this, [this] { chooseExportFile(true); });
  timer_.setInterval(200);
  connect(&timer_, &QTimer::timeout, this,
          [this] { setFrame(frame_count_ ? (currentFrame() + 1) % frame_count_ : 0); });
  setSequences({});
  setStrips({});
  setFilmStrip(QSettings().value("frames/filmStrip", false).toBool());  // as the user left it
  setErrorMap(QSettings().value("frames/errorMap", false).toBool());
}

int FrameBrowser::evaluationSamples() const {
  // Truth, posterior reconstruction, then the prior samples (VideoExperiment::frameStrips).
  return std::max(1, static_cast<int>(evaluation_strips_.size()) - 2);
}

void FrameBrowser::setStrips(const std::vector<FrameStrip>& strips) {
  evaluation_strips_ = strips;
  if (!samples_chosen_) {
    const QSignalBlocker quiet(samples_);
    samples_->setValue(evaluationSamples());
  }
  const int row = currentSequence();
  const bool other_count = samples_chosen_ && samples_->value() != evaluationSamples();
  if ((row > 0 || (row == 0 && other_count)) && !strips.empty()) {
    pickSequence(row);  // new weights: predict the picked sequence again
    return;
  }
  if (!sequences_.rows.empty() && !strips.empty())
    source_->setText(tr("As evaluated: %1").arg(sequence_->currentText()));
  display(strips);
}

void FrameBrowser::setSequences(const PreviewTable& table) {
  const auto folder = std::find(table.columns.begin(), table.columns.end(), "folder");
  const QString picked = currentSequence() > 0 ? sequence_->currentData().toString() : QString();
  sequences_ = folder == table.columns.end() ? PreviewTable{} : table;
  folder_column_ = static_cast<int>(folder - table.columns.begin());
  sequence_->clear();
  for (const auto& row : sequences_.rows) {
    auto cell = [&row](size_t i) {
      return i < row.size() ? QString::fromStdString(row[i]) : QString();
    };
    // "#", "sequence", "PSNR (dB)": the first three columns name and score it.
    sequence_->addItem(tr("%1  %2  (%3 dB)").arg(cell(0), cell(1), cell(2)),
                       cell(static_cast<size_t>(folder_column_)));
    sequence_->setItemData(sequence_->count() - 1, cell(static_cast<size_t>(folder_column_)),
                           Qt::ToolTipRole);
  }
  // The same sequence stays picked while it is still evaluated.
  const int again = picked.isEmpty() ? -1 : sequence_->findData(picked);
  sequence_->setCurrentIndex(again > 0 ? again : (sequence_->count() > 0 ? 0 : -1));
  sequence_->setVisible(sequence_->count() > 0);
  samples_->setVisible(sequence_->count() > 0);  // without a picker nothing can be predicted
  source_->setVisible(sequence_->count() > 0);
  if (sequence_->count() == 0) source_->clear();
}

void FrameBrowser::pickSequence(int row) {
  // The evaluation's own frames serve the first sequence unless another K was chosen.
  const bool other_count = samples_chosen_ && samples_->value() != evaluationSamples();
  if (row < 0 || row >= static_cast<int>(sequences_.rows.size()) || (row == 0 && !other_count)) {
    source_->setText(evaluation_strips_.empty()
                         ? QString()
                         : tr("As evaluated: %1").arg(sequence_->itemText(std::max(0, row))));
    display(evaluation_strips_);
    return;
  }
  source_->setText(tr("Predicting %1…").arg(sequence_->itemText(row)));
  Q_EMIT sequenceRequested(row, sequence_->itemData(row).toString());
}

void FrameBrowser::showPredicted(int row, const std::vector<FrameStrip>& strips,
                                 const QString& source) {
  if (row != currentSequence()) return;  // picked another meanwhile
  source_->setText(tr("%1, predicted with %2").arg(sequence_->itemText(row), source));
  display(strips);
}

void FrameBrowser::showPredictionProblem(int row, const QString& message) {
  if (row != currentSequence()) return;
  source_->setText(tr("Cannot predict %1: %2").arg(sequence_->itemText(row), message));
}

void FrameBrowser::display(const std::vector<FrameStrip>& strips) {
  strips_ = strips;
  frame_count_ = strips_.empty() ? 0 : static_cast<int>(strips_.front().frames.size());
  if (images_.size() != static_cast<int>(strips_.size())) {
    qDeleteAll(images_);
    qDeleteAll(captions_);
    images_.clear();
    captions_.clear();
    for (size_t i = 0; i < strips_.size(); ++i) {
      auto* image = new QLabel(grid_host_);
      image->setAlignment(Qt::AlignCenter);
      auto* caption = new QLabel(grid_host_);
      caption->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
      caption->setWordWrap(true);  // "posterior reconstruction" may not fit a narrow panel
      image->show();               // no layout shows them
      caption->show();
      images_.push_back(image);
      captions_.push_back(caption);
    }
  }
  slider_->setRange(0, std::max(0, frame_count_ - 1));
  slider_->setEnabled(frame_count_ > 0);
  play_->setEnabled(frame_count_ > 0);
  film_->setEnabled(frame_count_ > 0);
  error_->setEnabled(strips_.size() > 1);
  if (frame_count_ == 0) setPlaying(false);
  psnr_plot_->setStrips(strips_);
  psnr_plot_->setVisible(strips_.size() > 1);
  updateCellSize();
}

void FrameBrowser::setFilmStrip(bool on) {
  film_->setChecked(on);
  QSettings().setValue("frames/filmStrip", on);
  grid_host_->setVisible(!on);
  film_area_->setVisible(on);
  updateCellSize();
}

void FrameBrowser::setErrorMap(bool on) {
  error_->setChecked(on);
  QSettings().setValue("frames/errorMap", on);
  showFrame(std::min(slider_->value(), std::max(0, frame_count_ - 1)));
}

QImage FrameBrowser::shownFrame(size_t strip, int t) const {
  const auto& frame = strips_[strip].frames[static_cast<size_t>(t)];
  if (strip == 0 || !isErrorMap() || t >= static_cast<int>(strips_[0].frames.size()))
    return toQImage(frame);
  const QImage map = errorHeatMap(frame, strips_[0].frames[static_cast<size_t>(t)]);
  return map.isNull() ? toQImage(frame) : map;
}

void FrameBrowser::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  updateCellSize();
}

bool FrameBrowser::eventFilter(QObject* watched, QEvent* event) {
  // The grid's own size moves without the browser's (the PSNR plot or the captions above it).
  if (watched == grid_host_ && event->type() == QEvent::Resize) updateCellSize();
  return QWidget::eventFilter(watched, event);
}

void FrameBrowser::keyPressEvent(QKeyEvent* event) {
  const int last = std::max(0, frame_count_ - 1);
  switch (event->key()) {
    case Qt::Key_Left:
      setFrame(std::max(0, currentFrame() - 1));
      break;
    case Qt::Key_Right:
      setFrame(std::min(last, currentFrame() + 1));
      break;
    case Qt::Key_Home:
      setFrame(0);
      break;
    case Qt::Key_End:
      setFrame(last);
      break;
    case Qt::Key_Space:
      setPlaying(!isPlaying());
      break;
    default:
      QWidget::keyPressEvent(event);
      return;
  }
  event->accept();
}

int FrameBrowser::captionHeight(int column_width) const {
  // A narrow column wraps "posterior reconstruction" to a third line: measured, or the
  // caption is drawn over the frame below it.
  int caption = kCaptionHeight;
  for (const auto* label : captions_)
    caption = std::max(caption, label->heightForWidth(std::max(1, column_width)) + 4);
  return caption;
}

void FrameBrowser::placeCells() {
  // The truth centred on the first row; the model's frames below it, `columns_` to a row, each
  // over its caption. By hand, not a QGridLayout: a layout's least height would follow the
  // columns, which follow the height given (updateCellSize), and in the previews' scroll area
  // that loop resized the panel back and forth until the stack overflowed.
  const int models = std::max(1, static_cast<int>(images_.size()) - 1);
  const int columns = std::clamp(columns_, 1, models);
  const int width = grid_host_->width() - 2 * kGridMargin;
  const int column_width = std::max(1, width / columns);
  const int caption = captionHeight(column_width);
  const int left = kGridMargin + (width - columns * column_width) / 2;
  for (int i = 0; i < images_.size(); ++i) {
    const int row = i == 0 ? 0 : 1 + (i - 1) / columns;
    const int x = i == 0 ? kGridMargin : left + (i - 1) % columns * column_width;
    const int w = i == 0 ? width : column_width;
    const int y = kGridTop + row * (cell_ + caption);
    images_[i]->setGeometry(x + (w - cell_) / 2, y, cell_, cell_);
    captions_[i]->setGeometry(x, y + cell_, w, caption);
  }
}

void FrameBrowser::updateCellSize() {
  // The frames fill the room the panel has: the grid's width over its columns and its height
  // over the rows with their captions, with as many model frames to a row as make them
  // largest (a wide panel puts them side by side); the film strip's height over its rows.
  const int rows = static_cast<int>(strips_.size());
  const int models = std::max(1, rows - 1);
  const int step = std::min(column_step_, models);
  const int width = grid_host_->width() - 2 * kGridMargin;
  const int height = grid_host_->height() - 2 * kGridTop;
  // A column is no narrower than its captions' longest word: more columns than fit widened
  // the panel instead (five of a four-sample run at 1024x700: a sideways scroll bar).
  int narrowest = kMinCell;
  for (const auto* label : captions_)
    narrowest = std::max(narrowest, label->minimumSizeHint().width());
  int densest = step;
  for (int columns = step; columns <= models; columns += step) {
    if (columns > step && columns * (narrowest + 8) > width) break;
    densest = columns;
  }
  auto gridRows = [&](int columns) { return rows <= 1 ? 1 : 1 + (models + columns - 1) / columns; };
  // The frames are 64x64: smaller, they lose the detail a prediction is judged by (at 1280x800
  // a four-sample run's frames were drawn at 32 px in the side panel). So the least frame is the
  // native size where the width gives it, and the panel scrolls rather than shrink them.
  const int least = width / densest >= kNativeCell ? kNativeCell : kMinCell;
  // The least height is the densest arrangement's at the least frame size: it follows the
  // width alone, never the columns chosen below, so the panel's size settles.
  grid_host_->setMinimumSize(
      narrowest + 2 * kGridMargin,
      rows == 0 ? kMinCell
                : gridRows(densest) * (least + captionHeight(std::max(1, width / densest))) +
                      2 * kGridTop);
  int cell = kMinCell;
  if (isFilmStrip()) {
    const int film_height = film_area_->viewport()->height() - 4;
    cell = rows > 0 ? film_height / rows : kMinCell;
    cell = std::clamp(cell, 32, 256);
  } else {
    int best_columns = columns_, best = -1;
    for (int columns = step; columns <= densest; columns += step) {
      const int by_width = width / columns;
      const int by_height = height / gridRows(columns) - captionHeight(std::max(1, by_width));
      const int size = std::min(by_width, by_height);
      if (size > best + 8) {  // more columns only for a clearly larger frame
        best = size;
        best_columns = columns;
      }
    }
    columns_ = best_columns;
    cell = std::clamp(best, least, kMaxCell);
  }
  cell_ = cell / 16 * 16;
  if (!isFilmStrip()) placeCells();
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
    images_[i]->setPixmap(
        QPixmap::fromImage(shownFrame(static_cast<size_t>(i), t).scaled(cell_, cell_)));
    // The truth has no PSNR of its own: say whether the model was given this frame.
    const auto& scored = strips_.size() > 1 && i == 0 ? strips_[1] : strip;
    const double psnr = t < static_cast<int>(scored.psnr.size())
                            ? scored.psnr[static_cast<size_t>(t)]
                            : std::nan("");
    const QString detail =
        i == 0 ? (std::isnan(psnr) ? tr("given") : tr("to predict")) : psnrText(psnr);
    captions_[i]->setText(QString("%1\n%2").arg(QString::fromStdString(strip.title), detail));
  }
  psnr_plot_->setCurrentFrame(t);
  if (isFilmStrip()) {
    const QImage film = stripImage(cell_, t);
    film_image_->setPixmap(QPixmap::fromImage(film));
    film_image_->resize(film.size());
    film_area_->ensureVisible(110 + t * cell_ + cell_ / 2, 0, cell_, 0);
  }
}

QImage FrameBrowser::stripImage(int cell, int highlight) const {
  if (strips_.empty()) return {};
  constexpr int kLabel = 110;
  QImage out(kLabel + frame_count_ * cell, static_cast<int>(strips_.size()) * cell,
             QImage::Format_RGB888);
  out.fill(Qt::white);
  QPainter painter(&out);
  for (size_t r = 0; r < strips_.size(); ++r) {
    const int y = static_cast<int>(r) * cell;
    painter.setPen(Qt::black);
    painter.drawText(QRect(2, y, kLabel - 4, cell), Qt::AlignVCenter | Qt::TextWordWrap,
                     QString::fromStdString(strips_[r].title));
    for (int t = 0; t < frame_count_ && t < static_cast<int>(strips_[r].frames.size()); ++t)
      painter.drawImage(QRect(kLabel + t * cell, y, cell, cell), shownFrame(r, t));
  }
  if (highlight >= 0 && highlight < frame_count_) {
    painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(kLabel + highlight * cell + 1, 1, cell - 3, out.height() - 3);
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
  painter.drawImage(0, 0, shownFrame(0, t));
  for (size_t i = 1; i < strips_.size(); ++i)
    painter.drawImage(QRect(64 * (static_cast<int>(i) - 1), 64, 64, 64), shownFrame(i, t));
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
