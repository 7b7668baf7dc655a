#pragma once
// Makes a robot-pushing style data set: a top view of a bin with a textured floor, 2-4
// coloured objects (discs, squares, triangles), and an arm whose end effector follows smooth
// random actions and pushes the objects it touches. Written in the course's layout (see
// PushingData.h) with the actions and positions that produced each frame.
// The future is not fixed by the conditions: each object has hidden properties, drawn per
// sequence (half of them slide on after a push and bounce, others stop; each spins its own way
// and slides off the push direction by its own angle), so after a push several futures are
// likely and a learned prior has something to model, as in real robot pushing (issue 18).
// Deterministic: every sequence is drawn from its own seed, derived from the options' seed,
// its split and its index, so the same options give the same files.

#include <cstdint>
#include <functional>
#include <optional>
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

// `hidden_seed` draws the objects' hidden properties; by default it derives from `seed`.
RenderedSequence renderPushingSequence(std::uint64_t seed, int frames = 30,
                                       std::optional<std::uint64_t> hidden_seed = {});
// Counts as in the layout: every sequence has PushingLayout::kFrames frames.

// Writes ROOT/{train,validate,test}/... ; `progress` receives short messages.
void makePushingData(const std::string& root, const PushingDataOptions& options,
                     const std::function<void(const std::string&)>& progress = {});

}  // namespace cvae
