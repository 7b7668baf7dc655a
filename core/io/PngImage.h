#pragma once
// 8-bit RGB images in PNG files, through libpng's simplified API (no Qt in core).

#include <cstdint>
#include <string>
#include <vector>

namespace cvae {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, 3 bytes per pixel (R, G, B)
};

// Any PNG (grey, palette, alpha, 16-bit) is converted to 8-bit RGB. Throws InputError naming
// the file when it cannot be opened or decoded.
RgbImage readPng(const std::string& path);
// The width and height a PNG file's header gives, without decoding it: a check of many frames
// before they are read. Throws InputError naming the file when it is not a readable file, not a
// PNG or has no IHDR header.
struct PngSize {
  int width = 0;
  int height = 0;
};
PngSize readPngSize(const std::string& path);
// Throws std::runtime_error naming the file when it cannot be written.
void writePng(const std::string& path, const RgbImage& image);

}  // namespace cvae
