#include "core/data/PushingDataMaker.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <future>
#include <random>
#include <stdexcept>

#include "core/data/PushingData.h"
#include "core/io/InputError.h"

namespace cvae {
namespace {

constexpr int kSize = PushingLayout::kImageSize;
constexpr float kGripperRadius = 0.055f;
constexpr float kWall = 0.05f;  // bin wall thickness, in bin units

struct Colour {
  float r, g, b;
};

enum class Shape { Disc, Square, Triangle };

struct Object {
  Shape shape;
  float x, y, radius, angle;
  Colour colour;
  // Hidden per object, drawn per sequence and in no condition (issue 18): how a push moves it.
  // A heavy object (slide 0) moves only as far as the gripper shoves it; a sliding one takes
  // `slide` of the shove as velocity, keeps `glide` of its velocity each frame and bounces off
  // walls and objects. `spin` turns it per unit of shove, `deflection` (radians) bends its
  // slide off the push direction (an off-centre mass). The frames before a push cannot tell
  // which an object is, so its future after a push is uncertain, as real pushing is.
  float slide = 0, glide = 0, spin = 0, deflection = 0;
  float vx = 0, vy = 0, turn = 0;  // velocity (bin units and radians per frame)
};

struct Vec {
  float x = 0, y = 0;
};

// SplitMix64: decorrelates the seeds of neighbouring sequences.
std::uint64_t mixSeed(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

float uniform(std::mt19937_64& rng, float lo, float hi) {
  return std::uniform_real_distribution<float>(lo, hi)(rng);
}

// A floor texture: a base colour with smooth blotches (bilinear value noise) and fine grain.
std::vector<Colour> makeFloor(std::mt19937_64& rng) {
  const Colour base{uniform(rng, 0.45f, 0.65f), uniform(rng, 0.40f, 0.55f),
                    uniform(rng, 0.30f, 0.45f)};
  constexpr int kGrid = 9;
  float grid[kGrid][kGrid];
  for (auto& row : grid)
    for (float& v : row) v = uniform(rng, -0.08f, 0.08f);
  std::vector<Colour> floor(kSize * kSize);
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const float gx = x * (kGrid - 1) / float(kSize), gy = y * (kGrid - 1) / float(kSize);
      const int ix = static_cast<int>(gx), iy = static_cast<int>(gy);
      const float fx = gx - ix, fy = gy - iy;
      const float blotch = (grid[iy][ix] * (1 - fx) + grid[iy][ix + 1] * fx) * (1 - fy) +
                           (grid[iy + 1][ix] * (1 - fx) + grid[iy + 1][ix + 1] * fx) * fy;
      const float grain = uniform(rng, -0.02f, 0.02f);
      floor[y * kSize + x] = {base.r + blotch + grain, base.g + blotch + grain,
                              base.b + 0.7f * blotch + grain};
    }
  return floor;
}

bool inside(const Object& o, float px, float py) {
  const float dx = px - o.x, dy = py - o.y;
  const float c = std::cos(o.angle), s = std::sin(o.angle);
  const float u = c * dx + s * dy, v = -s * dx + c * dy;  // object frame
  switch (o.shape) {
    case Shape::Disc:
      return dx * dx + dy * dy < o.radius * o.radius;
    case Shape::Square:
      return std::abs(u) < 0.8f * o.radius && std::abs(v) < 0.8f * o.radius;
    case Shape::Triangle: {
      // Equilateral, vertices on the circle of `radius`: inside all three edge half-planes.
      for (int k = 0; k < 3; ++k) {
        const float a = 2.0943951f * k;  // 120 degrees
        if (std::cos(a) * u + std::sin(a) * v < -0.5f * o.radius) return false;
      }
      return true;
    }
  }
  return false;
}

float distanceToSegment(float px, float py, Vec a, Vec b) {
  const float vx = b.x - a.x, vy = b.y - a.y;
  const float t = std::clamp(((px - a.x) * vx + (py - a.y) * vy) / (vx * vx + vy * vy), 0.f, 1.f);
  const float dx = px - (a.x + t * vx), dy = py - (a.y + t * vy);
  return std::sqrt(dx * dx + dy * dy);
}

std::uint8_t toByte(float v) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.f, 1.f) * 255.f));
}

RgbImage render(const std::vector<Colour>& floor, const std::vector<Object>& objects, Vec gripper,
                float opening) {
  const Vec base{0.5f, -0.15f};  // the arm enters from above the bin
  RgbImage image{kSize, kSize, std::vector<std::uint8_t>(kSize * kSize * 3)};
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const float px = (x + 0.5f) / kSize, py = (y + 0.5f) / kSize;
      Colour c = floor[y * kSize + x];
      if (px < kWall || px > 1 - kWall || py < kWall || py > 1 - kWall) c = {0.30f, 0.30f, 0.33f};
      for (const auto& o : objects)
        if (inside(o, px, py)) c = o.colour;
      if (distanceToSegment(px, py, base, gripper) < 0.035f) c = {0.72f, 0.72f, 0.75f};
      const float gx = px - gripper.x, gy = py - gripper.y;
      if (gx * gx + gy * gy < kGripperRadius * kGripperRadius) c = {0.18f, 0.18f, 0.2f};
      // Two fingers whose spread shows the gripper opening.
      const float spread = 0.012f + 0.02f * opening;
      for (const float side : {-1.f, 1.f}) {
        const float fx = px - (gripper.x + side * spread), fy = py - (gripper.y + 0.02f);
        if (fx * fx + fy * fy < 0.009f * 0.009f * 1.8f) c = {0.95f, 0.85f, 0.2f};
      }
      auto* p = &image.pixels[(y * kSize + x) * 3];
      p[0] = toByte(c.r);
      p[1] = toByte(c.g);
      p[2] = toByte(c.b);
    }
  return image;
}

void keepInBin(float& x, float& y, float radius) {
  x = std::clamp(x, kWall + radius, 1 - kWall - radius);
  y = std::clamp(y, kWall + radius, 1 - kWall - radius);
}

// Keeps an object in the bin; a sliding one bounces off the wall it reached, losing half its
// speed across the wall.
void bounceInBin(Object& o) {
  const float x = o.x, y = o.y;
  keepInBin(o.x, o.y, o.radius);
  if (o.x != x) o.vx = -0.5f * o.vx;
  if (o.y != y) o.vy = -0.5f * o.vy;
}

// Sliding objects move on by their velocity, which friction then shrinks.
void glide(std::vector<Object>& objects) {
  for (auto& o : objects) {
    o.x += o.vx;
    o.y += o.vy;
    o.angle += o.turn;
    o.vx *= o.glide;
    o.vy *= o.glide;
    o.turn *= o.glide;
    bounceInBin(o);
  }
}

// Moves objects out of the gripper, then apart from each other: a push. Without `push` (the
// scene being set up) nothing turns or gains speed, so the first frame shows no hidden property.
void resolveContacts(std::vector<Object>& objects, Vec gripper, bool push = true) {
  for (auto& o : objects) {
    const float dx = o.x - gripper.x, dy = o.y - gripper.y;
    const float d = std::max(1e-4f, std::sqrt(dx * dx + dy * dy));
    const float overlap = o.radius + kGripperRadius - d;
    if (overlap > 0 && !push) {
      o.x += dx / d * overlap;
      o.y += dy / d * overlap;
    } else if (overlap > 0) {
      const float ux = dx / d, uy = dy / d;
      o.x += ux * overlap;
      o.y += uy * overlap;
      o.angle += o.spin * overlap / o.radius;
      const float c = std::cos(o.deflection), s = std::sin(o.deflection);
      o.vx += o.slide * overlap * (c * ux - s * uy);
      o.vy += o.slide * overlap * (s * ux + c * uy);
      o.turn += 0.3f * o.slide * o.spin * overlap / o.radius;
    }
  }
  for (int pass = 0; pass < 3; ++pass)
    for (size_t i = 0; i < objects.size(); ++i)
      for (size_t j = i + 1; j < objects.size(); ++j) {
        auto &a = objects[i], &b = objects[j];
        const float dx = b.x - a.x, dy = b.y - a.y;
        const float d = std::max(1e-4f, std::sqrt(dx * dx + dy * dy));
        const float overlap = a.radius + b.radius - d;
        if (overlap <= 0) continue;
        const float nx = dx / d, ny = dy / d;
        a.x -= 0.5f * nx * overlap;
        a.y -= 0.5f * ny * overlap;
        b.x += 0.5f * nx * overlap;
        b.y += 0.5f * ny * overlap;
        // The speed at which they close along the contact normal passes to a sliding object
        // and stops the one that hit it: a crude elastic push.
        const float closing = (a.vx - b.vx) * nx + (a.vy - b.vy) * ny;
        if (closing <= 0 || pass > 0) continue;
        a.vx -= closing * nx;
        a.vy -= closing * ny;
        b.vx += (b.slide > 0 ? 1.f : 0.f) * closing * nx;
        b.vy += (b.slide > 0 ? 1.f : 0.f) * closing * ny;
      }
  for (auto& o : objects) bounceInBin(o);
}

}  // namespace

RenderedSequence renderPushingSequence(std::uint64_t seed, int frames,
                                       std::optional<std::uint64_t> hidden_seed) {
  std::mt19937_64 rng(mixSeed(seed)), hidden(mixSeed(hidden_seed.value_or(seed ^ 0x5bd1e995u)));
  const auto floor = makeFloor(rng);
  static const Colour palette[] = {{0.85f, 0.15f, 0.15f}, {0.15f, 0.45f, 0.85f},
                                   {0.15f, 0.7f, 0.25f},  {0.95f, 0.6f, 0.1f},
                                   {0.6f, 0.2f, 0.75f},   {0.1f, 0.75f, 0.75f}};
  std::vector<Object> objects(2 + std::uniform_int_distribution<int>(0, 2)(rng));
  for (auto& o : objects) {
    o.shape = static_cast<Shape>(std::uniform_int_distribution<int>(0, 2)(rng));
    o.radius = uniform(rng, 0.07f, 0.11f);
    o.x = uniform(rng, 0.2f, 0.8f);
    o.y = uniform(rng, 0.3f, 0.85f);
    o.angle = uniform(rng, 0.f, 6.2832f);
    o.colour = palette[std::uniform_int_distribution<int>(0, 5)(rng)];
    // The hidden properties come from a generator of their own, so that the scene and the
    // arm's plan draw the same numbers as before they existed.
    if (uniform(hidden, 0.f, 1.f) < 0.5f) {
      o.slide = uniform(hidden, 0.8f, 1.2f);
      o.glide = uniform(hidden, 0.75f, 0.9f);
    }
    o.spin = uniform(hidden, -1.2f, 1.2f);
    o.deflection = uniform(hidden, -0.5f, 0.5f);
  }
  Vec gripper{uniform(rng, 0.2f, 0.8f), uniform(rng, 0.15f, 0.4f)};
  resolveContacts(objects, gripper, /*push=*/false);
  Vec velocity;
  Vec target = gripper;
  float opening = 1.f;
  const float z = 0.05f;

  RenderedSequence out;
  for (int t = 0; t < frames; ++t) {
    out.frames.push_back(render(floor, objects, gripper, opening));
    out.positions.insert(out.positions.end(), {gripper.x, gripper.y, z});
    // Every few frames the arm heads for a point just beyond an object (a push) or anywhere.
    if (t % 8 == 0) {
      if (uniform(rng, 0.f, 1.f) < 0.75f) {
        const auto& o = objects[std::uniform_int_distribution<size_t>(0, objects.size() - 1)(rng)];
        const float dx = o.x - gripper.x, dy = o.y - gripper.y;
        const float d = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
        target = {o.x + dx / d * 0.15f, o.y + dy / d * 0.15f};
      } else {
        target = {uniform(rng, 0.15f, 0.85f), uniform(rng, 0.15f, 0.85f)};
      }
    }
    const float tx = target.x - gripper.x, ty = target.y - gripper.y;
    const float td = std::max(1e-3f, std::sqrt(tx * tx + ty * ty));
    const float speed = std::min(0.04f, td);
    velocity.x = 0.6f * velocity.x + 0.4f * (tx / td * speed) + uniform(rng, -0.004f, 0.004f);
    velocity.y = 0.6f * velocity.y + 0.4f * (ty / td * speed) + uniform(rng, -0.004f, 0.004f);
    if (uniform(rng, 0.f, 1.f) < 0.1f) opening = 1.f - opening;
    out.actions.insert(out.actions.end(), {velocity.x, velocity.y, 0.f, opening});
    gripper.x += velocity.x;
    gripper.y += velocity.y;
    keepInBin(gripper.x, gripper.y, kGripperRadius);
    glide(objects);
    resolveContacts(objects, gripper);
  }
  return out;
}

void makePushingData(const std::string& root, const PushingDataOptions& options,
                     const std::function<void(const std::string&)>& progress) {
  namespace fs = std::filesystem;
  const struct {
    const char* name;
    int count;
  } splits[] = {{"train", options.train_sequences},
                {"validate", options.validate_sequences},
                {"test", options.test_sequences}};
  // Checked before anything is written: ten million sequences asked for filled the disk.
  // 252 KB a sequence measured (30 PNG frames and two CSVs), with a margin.
  constexpr std::uintmax_t kBytesPerSequence = 280u << 10;
  std::uintmax_t needed = 0;
  for (const auto& split : splits) needed += kBytesPerSequence * static_cast<unsigned>(split.count);
  std::error_code ec;
  fs::path existing = fs::absolute(root, ec);  // the disk is the nearest existing folder's
  while (!existing.empty() && !fs::exists(existing, ec) && existing != existing.parent_path())
    existing = existing.parent_path();
  const auto space = fs::space(existing, ec);
  if (!ec && needed > space.available)
    throw InputError(root + ": the data set needs about " + std::to_string(needed >> 20) +
                     " MB and " + std::to_string(space.available >> 20) +
                     " MB are free there; ask for fewer sequences");
  fs::create_directories(root, ec);
  if (ec) throw InputError(root + ": cannot create the data folder: " + ec.message());
  std::uint64_t split_offset = 0;
  for (const auto& split : splits) {
    if (progress)
      progress("rendering " + std::to_string(split.count) + " " + split.name + " sequences");
    // Each split is written beside its place and renamed into it when whole: an interrupted
    // run leaves no half split that reads as a data set (and an earlier, larger set replaced
    // leaves no sequences of its own behind).
    const fs::path final_dir = fs::path(root) / split.name;
    const fs::path partial = fs::path(root) / ("." + std::string(split.name) + ".partial");
    fs::remove_all(partial, ec);
    // Two workers: rendering and PNG encoding are independent per sequence.
    const auto work = [&](int first, int step) {
      for (int i = first; i < split.count; i += step) {
        const int group = i / options.group_size;
        const int lo = group * options.group_size;
        const int hi = std::min(split.count, lo + options.group_size) - 1;
        const fs::path dir = partial /
                             ("traj_" + std::to_string(lo) + "_to_" + std::to_string(hi)) /
                             std::to_string(i);
        const auto sequence = renderPushingSequence(options.seed * 1000003 + split_offset + i,
                                                    PushingLayout::kFrames);
        writePushingSequence(dir.string(), sequence.frames, sequence.actions, sequence.positions);
      }
    };
    auto other = std::async(std::launch::async, work, 1, 2);
    work(0, 2);
    other.get();
    fs::create_directories(partial, ec);  // a split of no sequences is an empty folder
    fs::remove_all(final_dir, ec);
    fs::rename(partial, final_dir, ec);
    if (ec)
      throw std::runtime_error(final_dir.string() + ": cannot move the new " + split.name +
                               " split into place: " + ec.message());
    split_offset += 100000000;
  }
  if (progress) progress("wrote the pushing data set to " + root);
}

}  // namespace cvae
