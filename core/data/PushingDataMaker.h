#pragma once
// Makes a robot-pushing style data set: a top view of a bin with a textured floor, 2-4
// coloured objects (discs, squares, triangles), and an arm whose end effector follows smooth
// random actions and pushes the objects it touches. Written in the course's layout (see
// PushingData.h) with the actions and positions that produced each frame.
// Deterministic: every sequence is drawn from its own seed, derived from the options' seed,
// its split and its index, so the same options give the same files.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/io/PngImage.h"

namespace cvae {

struct PushingDataOptions {
  int train_sequences = 1000;
  int validate_sequences = 50;
  int test_sequences = 50;
  int group_size = 256;  // sequences per <group> folder
  std::uint64_t seed = 5;
};

struct RenderedSequence {
  std::vector<RgbImage> frames;
  std::vector<float> actions;    // frames x 4: dx, dy, dz, gripper opening
  std::vector<float> positions;  // frames x 3: x, y, z of the end effector (bin is [0, 1]^2)
};

RenderedSequence renderPushingSequence(std::uint64_t seed, int frames = 30);
// Counts as in the layout: every sequence has PushingLayout::kFrames frames.

// Writes ROOT/{train,validate,test}/... ; `progress` receives short messages.
void makePushingData(const std::string& root, const PushingDataOptions& options,
                     const std::function<void(const std::string&)>& progress = {});

}  // namespace cvae
