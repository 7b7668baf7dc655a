#include "core/io/GifWriter.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "core/io/AtomicFile.h"

namespace cvae {
namespace {

constexpr int kRedLevels = 6, kGreenLevels = 7, kBlueLevels = 6;

std::uint8_t paletteIndex(const std::uint8_t* rgb) {
  const int r = (rgb[0] * (kRedLevels - 1) + 127) / 255;
  const int g = (rgb[1] * (kGreenLevels - 1) + 127) / 255;
  const int b = (rgb[2] * (kBlueLevels - 1) + 127) / 255;
  return static_cast<std::uint8_t>((r * kGreenLevels + g) * kBlueLevels + b);
}

void put16(std::string& out, int v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
}

// Variable-width LZW codes packed least significant bit first, as GIF wants them.
class CodeWriter {
 public:
  void write(int code, int bits) {
    buffer_ |= static_cast<std::uint32_t>(code) << count_;
    count_ += bits;
    while (count_ >= 8) {
      bytes_.push_back(static_cast<char>(buffer_ & 0xff));
      buffer_ >>= 8;
      count_ -= 8;
    }
  }
  std::string finish() {
    if (count_ > 0) bytes_.push_back(static_cast<char>(buffer_ & 0xff));
    return bytes_;
  }

 private:
  std::uint32_t buffer_ = 0;
  int count_ = 0;
  std::string bytes_;
};

// GIF's LZW with 8-bit symbols: clear = 256, end = 257, codes up to 4095, then a clear.
std::string lzwEncode(const std::vector<std::uint8_t>& indices) {
  constexpr int kClear = 256, kEnd = 257, kMaxCode = 4095;
  std::vector<std::uint16_t> next(static_cast<size_t>(kMaxCode + 1) * 256, 0);
  CodeWriter writer;
  int code_size = 9;
  int max_code = kEnd;
  writer.write(kClear, code_size);
  int prefix = indices[0];
  for (size_t i = 1; i < indices.size(); ++i) {
    const int symbol = indices[i];
    const std::uint16_t known = next[static_cast<size_t>(prefix) * 256 + symbol];
    if (known) {
      prefix = known;
      continue;
    }
    writer.write(prefix, code_size);
    next[static_cast<size_t>(prefix) * 256 + symbol] = static_cast<std::uint16_t>(++max_code);
    if (max_code >= (1 << code_size)) ++code_size;
    if (max_code == kMaxCode) {
      writer.write(kClear, code_size);
      std::fill(next.begin(), next.end(), 0);
      code_size = 9;
      max_code = kEnd;
    }
    prefix = symbol;
  }
  writer.write(prefix, code_size);
  writer.write(kEnd, code_size);
  return writer.finish();
}

}  // namespace

RgbImage stackVertically(const std::vector<RgbImage>& images) {
  if (images.empty()) throw std::invalid_argument("nothing to stack");
  RgbImage out{images.front().width, 0, {}};
  for (const auto& image : images) {
    if (image.width != out.width) throw std::invalid_argument("stacked images differ in width");
    out.height += image.height;
    out.pixels.insert(out.pixels.end(), image.pixels.begin(), image.pixels.end());
  }
  return out;
}

void writeAnimatedGif(const std::string& path, const std::vector<RgbImage>& frames,
                      int delay_centiseconds) {
  if (frames.empty()) throw std::invalid_argument("an animated GIF needs at least one frame");
  const int width = frames.front().width, height = frames.front().height;
  std::string out = "GIF89a";
  put16(out, width);
  put16(out, height);
  out += static_cast<char>(0xF7);  // global colour table of 256 entries
  out += '\0';                     // background colour
  out += '\0';                     // pixel aspect ratio
  for (int i = 0; i < 256; ++i) {
    const int r = i / (kGreenLevels * kBlueLevels), g = (i / kBlueLevels) % kGreenLevels,
              b = i % kBlueLevels;
    const bool used = i < kRedLevels * kGreenLevels * kBlueLevels;
    out += static_cast<char>(used ? r * 255 / (kRedLevels - 1) : 0);
    out += static_cast<char>(used ? g * 255 / (kGreenLevels - 1) : 0);
    out += static_cast<char>(used ? b * 255 / (kBlueLevels - 1) : 0);
  }
  out += std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19);  // loop forever
  for (const auto& frame : frames) {
    if (frame.width != width || frame.height != height)
      throw std::invalid_argument("GIF frames differ in size");
    out += std::string("\x21\xF9\x04\x00", 4);  // graphic control: delay, no transparency
    put16(out, delay_centiseconds);
    out += std::string("\x00\x00", 2);
    out += '\x2C';  // image descriptor
    put16(out, 0);
    put16(out, 0);
    put16(out, width);
    put16(out, height);
    out += '\0';
    out += '\x08';  // LZW minimum code size
    std::vector<std::uint8_t> indices(static_cast<size_t>(width) * height);
    for (size_t p = 0; p < indices.size(); ++p) indices[p] = paletteIndex(&frame.pixels[p * 3]);
    const std::string data = lzwEncode(indices);
    for (size_t at = 0; at < data.size(); at += 255) {
      const size_t n = std::min<size_t>(255, data.size() - at);
      out += static_cast<char>(n);
      out.append(data, at, n);
    }
    out += '\0';
  }
  out += '\x3B';
  writeFileAtomically(path, out);
}

}  // namespace cvae
