#include "ui/FrameError.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <ATen/ATen.h>

#include "core/metrics/ImageQuality.h"
#include "ui/QCustomPlotInclude.h"

namespace cvae::ui {
namespace {

at::Tensor toTensor(const RgbImage& image) {  // [3, H, W] in [0, 1]
  auto bytes = at::empty({image.height, image.width, 3}, at::kByte);
  std::memcpy(bytes.data_ptr(), image.pixels.data(), image.pixels.size());
  return bytes.permute({2, 0, 1}).to(at::kFloat).div(255.0);
}

}  // namespace

QImage errorHeatMap(const RgbImage& predicted, const RgbImage& truth) {
  if (predicted.width != truth.width || predicted.height != truth.height ||
      predicted.pixels.size() != truth.pixels.size() ||
      truth.pixels.size() != static_cast<size_t>(truth.width) * truth.height * 3 ||
      truth.pixels.empty())
    return {};
  // Black, red, yellow, white at even steps: the "hot" ramp, starting from true black so that
  // exact pixels (and given frames) read as no error at all.
  QCPColorGradient hot;
  hot.clearColorStops();
  hot.setColorStopAt(0.0, QColor(0, 0, 0));
  hot.setColorStopAt(1.0 / 3, QColor(230, 30, 0));
  hot.setColorStopAt(2.0 / 3, QColor(255, 220, 0));
  hot.setColorStopAt(1.0, QColor(255, 255, 255));
  const QCPRange range(0.0, kErrorMapFullScale);
  QImage out(truth.width, truth.height, QImage::Format_RGB32);
  for (int y = 0; y < truth.height; ++y) {
    auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
    for (int x = 0; x < truth.width; ++x) {
      const size_t i = (static_cast<size_t>(y) * truth.width + x) * 3;
      int sum = 0;
      for (int c = 0; c < 3; ++c)
        sum += std::abs(int(predicted.pixels[i + c]) - truth.pixels[i + c]);
      line[x] = hot.color(sum / (3.0 * 255.0), range);
    }
  }
  return out;
}

std::vector<double> copyLastPsnr(const FrameStrip& truth, int given) {
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> psnr(truth.frames.size(), nan);
  if (given <= 0 || given >= static_cast<int>(truth.frames.size())) return psnr;
  const auto& first = truth.frames.front();
  for (const auto& frame : truth.frames)  // a damaged preview file: no baseline, no crash
    if (frame.width != first.width || frame.height != first.height ||
        frame.pixels.size() != static_cast<size_t>(first.width) * first.height * 3 ||
        frame.pixels.empty())
      return psnr;
  std::vector<at::Tensor> future;
  for (size_t t = static_cast<size_t>(given); t < truth.frames.size(); ++t)
    future.push_back(toTensor(truth.frames[t]));
  const auto target = at::stack(future);
  const auto held = toTensor(truth.frames[static_cast<size_t>(given) - 1])
                        .unsqueeze(0)
                        .expand_as(target)
                        .contiguous();
  const auto scores = psnrPerFrame(held, target);
  for (int64_t f = 0; f < scores.size(0); ++f)
    psnr[static_cast<size_t>(given + f)] = scores[f].item<double>();
  return psnr;
}

int givenFrames(const FrameStrip& model) {
  int given = 0;
  while (given < static_cast<int>(model.psnr.size()) &&
         std::isnan(model.psnr[static_cast<size_t>(given)]))
    ++given;
  return given;
}

}  // namespace cvae::ui
