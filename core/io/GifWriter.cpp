#include "core/io/GifWriter.h"

#include <gif_lib.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "core/io/AtomicFile.h"

namespace cvae {
namespace {

// giflib writes through this into memory: the file itself is written atomically at the end.
int appendBytes(GifFileType* gif, const GifByteType* data, int length) {
  static_cast<std::string*>(gif->UserData)
      ->append(reinterpret_cast<const char*>(data), static_cast<size_t>(length));
  return length;
}

// Closes the encoder on every path; EGifCloseFile frees it whatever it returns.
struct Encoder {
  GifFileType* gif = nullptr;
  ~Encoder() {
    if (gif) EGifCloseFile(gif, nullptr);
  }
};

void check(int result, GifFileType* gif, const std::string& path, const char* step) {
  if (result == GIF_OK) return;
  throw std::runtime_error(path + ": cannot encode the GIF (" + step +
                           "): " + GifErrorString(gif->Error));
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
  if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
    throw std::invalid_argument("GIF frames must be 1 to 65535 pixels wide and high");
  for (const auto& frame : frames)
    if (frame.width != width || frame.height != height ||
        frame.pixels.size() != static_cast<size_t>(width) * height * 3)
      throw std::invalid_argument("GIF frames differ in size");

  std::string bytes;
  int error = 0;
  Encoder encoder;
  encoder.gif = EGifOpen(&bytes, appendBytes, &error);
  if (!encoder.gif)
    throw std::runtime_error(path + ": cannot start the GIF: " + GifErrorString(error));
  GifFileType* gif = encoder.gif;
  EGifSetGifVersion(gif, true);  // GIF89a: frame delays and the loop
  check(EGifPutScreenDesc(gif, width, height, 8, 0, nullptr), gif, path, "screen");
  // Loop forever (the NETSCAPE2.0 application extension every viewer knows).
  check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), gif, path, "loop");
  check(EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0"), gif, path, "loop");
  const GifByteType loop[] = {1, 0, 0};
  check(EGifPutExtensionBlock(gif, 3, loop), gif, path, "loop");
  check(EGifPutExtensionTrailer(gif), gif, path, "loop");

  const size_t pixels = static_cast<size_t>(width) * height;
  std::vector<GifByteType> red(pixels), green(pixels), blue(pixels), indices(pixels);
  for (const auto& frame : frames) {
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = std::clamp(delay_centiseconds, 0, 65535);
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    EGifGCBToExtension(&control, extension);
    check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, extension), gif, path, "delay");
    // Each frame its own 256-colour palette from giflib's median cut (Heckbert 1982), so the
    // arm's grey, the walls and the floor keep their colours; no dithering, the frames being
    // flat-shaded.
    for (size_t p = 0; p < pixels; ++p) {
      red[p] = frame.pixels[3 * p];
      green[p] = frame.pixels[3 * p + 1];
      blue[p] = frame.pixels[3 * p + 2];
    }
    GifColorType palette[256] = {};
    int colours = 256;
    if (GifQuantizeBuffer(static_cast<unsigned>(width), static_cast<unsigned>(height), &colours,
                          red.data(), green.data(), blue.data(), indices.data(), palette) != GIF_OK)
      throw std::runtime_error(path + ": cannot reduce a frame to 256 colours");
    // giflib's boxes work on 5 bits per channel and give each colour the box's corner, up to 7
    // levels too dark; the exact mean of the pixels each entry stands for removes that bias.
    std::uint64_t sums[256][3] = {}, counts[256] = {};
    for (size_t p = 0; p < pixels; ++p) {
      const int k = indices[p];
      sums[k][0] += red[p];
      sums[k][1] += green[p];
      sums[k][2] += blue[p];
      ++counts[k];
    }
    for (int k = 0; k < 256; ++k) {
      if (counts[k] == 0) continue;
      const auto mean = [&](int c) {
        return static_cast<GifByteType>((sums[k][c] + counts[k] / 2) / counts[k]);
      };
      palette[k] = GifColorType{mean(0), mean(1), mean(2)};
    }
    ColorMapObject* map = GifMakeMapObject(256, palette);
    if (!map) throw std::runtime_error(path + ": out of memory for a GIF palette");
    const int described = EGifPutImageDesc(gif, 0, 0, width, height, false, map);
    GifFreeMapObject(map);
    check(described, gif, path, "frame");
    for (int row = 0; row < height; ++row)
      check(EGifPutLine(gif, indices.data() + static_cast<size_t>(row) * width, width), gif, path,
            "pixels");
  }
  const int closed = EGifCloseFile(encoder.gif, &error);
  encoder.gif = nullptr;
  if (closed != GIF_OK)
    throw std::runtime_error(path + ": cannot finish the GIF: " + GifErrorString(error));
  writeFileAtomically(path, bytes);
}

}  // namespace cvae
