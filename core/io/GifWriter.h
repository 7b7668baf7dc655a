#pragma once
// Animated GIF output for predicted videos (cvae-cli predict, the GUI's export), through giflib
// (Debian's libgif-dev, the reference GIF library): each frame gets its own 256-colour palette
// from giflib's median-cut quantizer, so the frames keep their colours (tests/test_video.cpp
// decodes the file and bounds the difference to the frames given).

#include <string>
#include <vector>

#include "core/io/PngImage.h"

namespace cvae {

// Frames must share one size. `delay_centiseconds` between frames; the animation loops.
// Throws std::invalid_argument for no frames or mixed sizes, std::runtime_error when the file
// cannot be written.
void writeAnimatedGif(const std::string& path, const std::vector<RgbImage>& frames,
                      int delay_centiseconds = 20);

// Stacks images of one width top to bottom (ground truth above prediction).
RgbImage stackVertically(const std::vector<RgbImage>& images);

}  // namespace cvae
