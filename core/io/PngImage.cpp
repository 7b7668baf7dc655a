#include "core/io/PngImage.h"

#include <png.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "core/io/InputError.h"

namespace cvae {
namespace {

// Frames are small; a header claiming more is a damaged or hostile file, not a frame.
constexpr png_uint_32 kMaxSide = 8192;

struct ErrorSink {
  char message[256] = "unknown error";
};

void onError(png_structp png, png_const_charp text) {
  auto* sink = static_cast<ErrorSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message, sizeof sink->message, "%s", text);
  png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}

// Decodes any PNG (every colour type and bit depth, interlaced or not) to 8-bit RGB with
// libpng's transforms: palettes and low bit depths expanded (a 2-bit gray 2 reads as 170),
// 16-bit samples scaled to 8 (0x8080 reads as 128), gray copied into R, G and B, and alpha
// dropped. No gamma or colour-space conversion: a sample reads as the value stored, as in
// PIL and imageio. (libpng's simplified API treats 16-bit files without gAMA as linear light
// and gamma-encodes them, so 0x8080 came out as 186.)
// libpng reports errors by longjmp, so this frame holds only plain data past setjmp; the
// image and the row pointers belong to the caller.
bool decodePng(std::FILE* file, RgbImage& image, std::vector<png_bytep>& rows, ErrorSink& sink) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &sink, onError, onWarning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    return false;
  }
  png_init_io(png, file);
  png_set_sig_bytes(png, 8);
  png_set_user_limits(png, kMaxSide, kMaxSide);
  png_read_info(png, info);
  const int color = png_get_color_type(png, info);
  png_set_expand(png);
  if (png_get_bit_depth(png, info) == 16) png_set_scale_16(png);
  if ((color & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS))
    png_set_strip_alpha(png);
  if (!(color & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  if (png_get_rowbytes(png, info) != static_cast<size_t>(width) * 3)
    png_error(png, "unexpected row size after conversion to 8-bit RGB");
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.pixels.assign(static_cast<size_t>(width) * height * 3, 0);
  rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = image.pixels.data() + y * width * 3;
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

// The signature and the IHDR chunk's size, from the first 24 bytes of `file`.
struct PngHeader {
  bool is_png = false;
  bool has_ihdr = false;
  std::uint32_t width = 0, height = 0;
};
PngHeader readHeader(std::FILE* file) {
  png_byte bytes[24] = {};
  const size_t got = std::fread(bytes, 1, sizeof bytes, file);
  PngHeader header;
  header.is_png = got >= 8 && png_sig_cmp(bytes, 0, 8) == 0;
  header.has_ihdr = header.is_png && got == sizeof bytes && std::memcmp(bytes + 12, "IHDR", 4) == 0;
  if (header.has_ihdr) {
    header.width = png_get_uint_32(bytes + 16);
    header.height = png_get_uint_32(bytes + 20);
  }
  return header;
}

const char* const kNotPng = ": not a PNG image (its first 8 bytes are not a PNG signature)";

}  // namespace

RgbImage readPng(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw InputError(path + ": cannot open the PNG image: " + std::strerror(errno));
  // The header's size, read here too: libpng calls one over its limits "Invalid IHDR data".
  const PngHeader png_header = readHeader(file);
  const bool is_png = png_header.is_png;
  const std::uint32_t header_width = png_header.width, header_height = png_header.height;
  std::fseek(file, 8, SEEK_SET);
  RgbImage image;
  std::vector<png_bytep> rows;
  ErrorSink sink;
  const bool decoded = is_png && decodePng(file, image, rows, sink);
  std::fclose(file);
  if (!is_png) throw InputError(path + kNotPng);
  if (!decoded && (header_width > kMaxSide || header_height > kMaxSide))
    throw InputError(path + ": a PNG image of " + std::to_string(header_width) + "x" +
                     std::to_string(header_height) + " pixels; this reader takes at most " +
                     std::to_string(kMaxSide) + " a side");
  if (!decoded) throw InputError(path + ": cannot decode the PNG image (" + sink.message + ")");
  return image;
}

PngSize readPngSize(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw InputError(path +
                     (std::filesystem::exists(path, error) ? ": not a file" : ": no such file"));
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw InputError(path + ": cannot open the PNG image: " + std::strerror(errno));
  const PngHeader header = readHeader(file);
  std::fclose(file);
  if (!header.is_png) throw InputError(path + kNotPng);
  if (!header.has_ihdr)
    throw InputError(path + ": cannot decode the PNG image (no IHDR header after the signature)");
  const auto side = [](std::uint32_t v) {
    return static_cast<int>(std::min<std::uint32_t>(v, 1u << 30));
  };
  return PngSize{side(header.width), side(header.height)};
}

void writePng(const std::string& path, const RgbImage& image) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = PNG_FORMAT_RGB;
  if (!png_image_write_to_file(&png, path.c_str(), 0, image.pixels.data(), 0, nullptr))
    throw std::runtime_error(path + ": cannot write the PNG image (" + png.message + ")");
}

}  // namespace cvae
