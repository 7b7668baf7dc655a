#pragma once
// How far a predicted frame is from the truth, as pictures and numbers for the frame browser:
// a per-pixel |prediction − truth| heat map and the copy-last baseline's PSNR per frame (the
// baseline SVG-LP and edenton/svg report beside the model: the last given frame held still).

#include <QImage>

#include <vector>

#include "core/experiments/Evaluation.h"

namespace cvae::ui {

// The error that shows white in errorHeatMap: half the intensity range. Pushing predictions
// miss by a few percent where they blur and by tens of percent where an object is misplaced;
// a fixed scale keeps maps of different frames and runs comparable (none is normalized).
constexpr double kErrorMapFullScale = 0.5;

// Same size as the frames: each pixel's mean absolute error over R, G and B, in [0, 1] of the
// intensity range, coloured from black (exact) over red and yellow to white (>= the full scale),
// a "hot" QCPColorGradient. An empty image when the sizes differ.
QImage errorHeatMap(const RgbImage& predicted, const RgbImage& truth);

// PSNR (dB, core/metrics/ImageQuality) of holding the last given frame still, per frame of
// `truth`; NaN for the given frames (the first `given`) and where `given` is 0.
std::vector<double> copyLastPsnr(const FrameStrip& truth, int given);

// How many leading frames a model strip was given (its PSNR is NaN there, FrameStrip's rule).
int givenFrames(const FrameStrip& model);

}  // namespace cvae::ui
