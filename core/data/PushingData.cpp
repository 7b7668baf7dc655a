#include "core/data/PushingData.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/config/ConfigError.h"
#include "core/io/CsvMatrix.h"

namespace fs = std::filesystem;

namespace cvae {

std::vector<std::string> listPushingSequences(const std::string& split_dir) {
  const fs::path dir = split_dir;
  std::error_code error;
  if (!fs::is_directory(dir, error))
    throw InputError(dir.string() +
                     (fs::exists(dir, error) ? ": a file, not a folder" : ": no such folder") +
                     " (expected a split folder ROOT/train, "
                     "ROOT/validate or ROOT/test holding <group>/<sequence>/ with 0.png ... "
                     "29.png, actions.csv and endeffector_positions.csv)");
  // Every folder at the sequence level is a sequence and must be whole: one that is not
  // (a frame or a CSV missing) is an error naming it, never skipped without a word. Hidden
  // folders (".git", ".ipynb_checkpoints") and loose files are not data.
  auto hidden = [](const fs::path& p) { return p.filename().string().rfind('.', 0) == 0; };
  // The data set's root given for a split: its train/test folders would read as groups.
  for (const char* split : {"test", "train", "validate"})
    if (fs::is_directory(dir / split, error) && !fs::exists(dir / split / "0.png", error))
      throw InputError(dir.string() + ": holds the splits of a data set (" + split +
                       "/ ...); give one split folder, e.g. " + (dir / split).string());
  std::vector<std::string> sequences;
  for (const auto& group : fs::directory_iterator(dir)) {
    if (!group.is_directory() || hidden(group.path())) continue;
    for (const auto& sequence : fs::directory_iterator(group.path())) {
      if (!sequence.is_directory() || hidden(sequence.path())) continue;
      std::vector<std::string> needed = {PushingLayout::kActionsFile,
                                         PushingLayout::kPositionsFile};
      for (int t = 0; t < PushingLayout::kFrames; ++t) needed.push_back(std::to_string(t) + ".png");
      std::string missing;
      int count = 0;
      for (const auto& name : needed)
        if (!fs::exists(sequence.path() / name, error)) {
          if (missing.empty()) missing = name;
          ++count;
        }
      if (!missing.empty())
        throw InputError(
            sequence.path().string() + ": not a whole sequence: " + missing +
            (count > 1 ? " and " + std::to_string(count - 1) + " more files are"
                       : std::string(" is")) +
            " missing (a sequence holds 0.png ... " + std::to_string(PushingLayout::kFrames - 1) +
            ".png, " + PushingLayout::kActionsFile + " and " + PushingLayout::kPositionsFile + ")");
      sequences.push_back(sequence.path().string());
    }
  }
  if (sequences.empty()) throw InputError(dir.string() + ": holds no sequence folder");
  std::sort(sequences.begin(), sequences.end());
  return sequences;
}

namespace {
void checkFrameSize(const std::string& path, int width, int height) {
  if (width != PushingLayout::kImageSize || height != PushingLayout::kImageSize)
    throw InputError(path + ": the frame is " + std::to_string(width) + "x" +
                     std::to_string(height) + ", expected 64x64");
}
}  // namespace

void checkPushingSequence(const std::string& dir) {
  const fs::path sequence(dir);
  for (int t = 0; t < PushingLayout::kFrames; ++t) {
    const std::string frame = (sequence / (std::to_string(t) + ".png")).string();
    const PngSize size = readPngSize(frame);
    checkFrameSize(frame, size.width, size.height);
  }
  readCsvMatrix((sequence / PushingLayout::kActionsFile).string(), PushingLayout::kFrames,
                PushingLayout::kActionSize, PushingLayout::kFrames);
  readCsvMatrix((sequence / PushingLayout::kPositionsFile).string(), PushingLayout::kFrames,
                PushingLayout::kPositionSize, PushingLayout::kFrames);
}

VideoSequence loadPushingSequence(const std::string& dir, int first, int count) {
  constexpr int kSize = PushingLayout::kImageSize;
  if (first < 0 || count < 1 || first + count > PushingLayout::kFrames)
    throw std::out_of_range("frames " + std::to_string(first) + "+" + std::to_string(count) +
                            " are outside a " + std::to_string(PushingLayout::kFrames) +
                            "-frame sequence");
  std::error_code error;
  if (!fs::is_directory(dir, error))
    throw InputError(dir + (fs::exists(dir, error) ? ": not a folder (a sequence is a folder of "
                                                     "frames 0.png, 1.png, ... and its CSV files)"
                                                   : ": no such folder"));
  const int frames = count;
  VideoSequence sequence;
  sequence.dir = dir;
  sequence.frames = at::empty({frames, kSize, kSize, 3}, at::kByte);
  auto* out = sequence.frames.data_ptr<std::uint8_t>();
  for (int t = 0; t < frames; ++t) {
    const std::string path = (fs::path(dir) / (std::to_string(first + t) + ".png")).string();
    if (!fs::is_regular_file(path, error))
      throw InputError(path + (fs::exists(path, error) ? ": not a file" : ": missing frame") +
                       " (frames " + std::to_string(first) + " to " +
                       std::to_string(first + count - 1) + " are read)");
    const auto image = readPng(path);
    checkFrameSize(path, image.width, image.height);
    std::memcpy(out + static_cast<size_t>(t) * kSize * kSize * 3, image.pixels.data(),
                image.pixels.size());
  }
  sequence.frames = sequence.frames.permute({0, 3, 1, 2}).contiguous();  // [T, 3, H, W]

  // A clip shorter than the course's 30 frames (a user's own, for predict) needs condition rows
  // only for the frames it reads.
  const auto actions =
      readCsvMatrix((fs::path(dir) / PushingLayout::kActionsFile).string(), PushingLayout::kFrames,
                    PushingLayout::kActionSize, first + count);
  const auto positions =
      readCsvMatrix((fs::path(dir) / PushingLayout::kPositionsFile).string(),
                    PushingLayout::kFrames, PushingLayout::kPositionSize, first + count);
  const auto rows = [](const std::vector<float>& values, int size) {
    return static_cast<int64_t>(values.size()) / size;
  };
  const auto a =
      at::from_blob(const_cast<float*>(actions.data()),
                    {rows(actions, PushingLayout::kActionSize), PushingLayout::kActionSize},
                    at::kFloat)
          .slice(0, first, first + count);
  const auto p =
      at::from_blob(const_cast<float*>(positions.data()),
                    {rows(positions, PushingLayout::kPositionSize), PushingLayout::kPositionSize},
                    at::kFloat)
          .slice(0, first, first + count);
  sequence.conditions = at::cat({a, p}, 1).clone();
  return sequence;
}

void writePushingSequence(const std::string& dir, const std::vector<RgbImage>& frames,
                          const std::vector<float>& actions, const std::vector<float>& positions) {
  fs::create_directories(dir);
  for (size_t t = 0; t < frames.size(); ++t)
    writePng((fs::path(dir) / (std::to_string(t) + ".png")).string(), frames[t]);
  writeCsvMatrix((fs::path(dir) / PushingLayout::kActionsFile).string(), actions,
                 PushingLayout::kActionSize);
  writeCsvMatrix((fs::path(dir) / PushingLayout::kPositionsFile).string(), positions,
                 PushingLayout::kPositionSize);
}

int64_t pushingBatchCount(int64_t sequences, int64_t batch_size) {
  if (sequences > batch_size && sequences % batch_size == 1) return sequences / batch_size;
  return (sequences + batch_size - 1) / batch_size;
}

}  // namespace cvae
