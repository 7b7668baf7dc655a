#pragma once
// The course's processed robot-pushing layout:
//   ROOT/{train,validate,test}/<group>/<sequence>/
//     0.png ... 29.png              64x64 RGB frames
//     actions.csv                   30 rows x 4 (the action taken after each frame)
//     endeffector_positions.csv     30 rows x 3 (the end effector at each frame)
// A frame's condition is the 7 values of its row: the action followed by the position.

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "core/io/PngImage.h"

namespace cvae {

struct PushingLayout {
  static constexpr int kFrames = 30;
  static constexpr int kImageSize = 64;
  static constexpr int kActionSize = 4;
  static constexpr int kPositionSize = 3;
  static constexpr int kConditionSize = kActionSize + kPositionSize;
  static constexpr const char* kActionsFile = "actions.csv";
  static constexpr const char* kPositionsFile = "endeffector_positions.csv";
};

struct VideoSequence {
  std::string dir;
  at::Tensor frames;      // [time, 3, 64, 64] uint8
  at::Tensor conditions;  // [time, 7] float32
};

// The sequence folders of one split folder (ROOT/train, ...: those of its groups holding
// 0.png), sorted. Throws InputError when the folder is missing or holds no sequence.
std::vector<std::string> listPushingSequences(const std::string& split_dir);
// Reads every frame's PNG header (a PNG, 64x64) and both condition files of a sequence listed
// by listPushingSequences, without decoding the frames: run before training, since a damaged
// frame was otherwise found only when a random window reached it, epochs in. Not for the GUI
// thread: a thousand sequences take seconds. Throws InputError naming the file.
void checkPushingSequence(const std::string& dir);

// Training batches of `batch_size` sequences in an epoch of `sequences`: a last batch of one
// sequence joins the batch before it, since the video codec's batch normalisation cannot train
// on one (33 sequences in batches of 32 failed at the last step).
int64_t pushingBatchCount(int64_t sequences, int64_t batch_size);

// Reads frames [first, first + count) and their condition rows; the CSV files need a row for
// each frame up to first + count (a clip may stop there) and at most PushingLayout::kFrames.
// Throws InputError naming the folder or file for a missing folder or frame (with the frames
// read), a wrong image size, or a malformed CSV.
VideoSequence loadPushingSequence(const std::string& dir, int first = 0,
                                  int count = PushingLayout::kFrames);

// Writes one sequence folder in the layout above (frames as RgbImage, row-major CSV values).
void writePushingSequence(const std::string& dir, const std::vector<RgbImage>& frames,
                          const std::vector<float>& actions, const std::vector<float>& positions);

}  // namespace cvae
