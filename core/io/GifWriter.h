#pragma once
// Animated GIF output for predicted videos (cvae-cli predict, the GUI's export): frames are
// mapped to a fixed 6x7x6 colour cube, which is plenty for previews and needs no per-frame
// palette search.

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
