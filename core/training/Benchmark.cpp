#include "core/training/Benchmark.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include <ATen/Parallel.h>
#include <torch/utils.h>

#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/io/NumberText.h"
#include "core/schedules/Schedules.h"
#include "core/training/Runtime.h"
#include "core/training/Trainer.h"

namespace cvae {
namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

double peakResidentMemoryMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

std::vector<BenchmarkFigure> benchmarkExperiment(
    ExperimentConfig config, double seconds,
    const std::function<void(const std::string&)>& progress) {
  torch::manual_seed(config.train.seed);
  std::mt19937_64 rng(config.train.seed);
  const c10::Device device = prepareTrainingProcess(config.train);
  const int threads = at::get_num_threads();
  resolveDataPaths(config, progress);
  auto experiment = experimentEntry(config.kind).create(config, device);
  experiment->requireTestData();  // it measures an evaluation too: fail before the training pass
  auto optimizer = makeOptimizer(config.optimizer, experiment->model().parameters());
  const std::string prefix = toString(config.kind);
  const std::string unit = config.kind == ExperimentKind::Video ? "frames/s" : "words/s";

  // Mid-run schedule: teacher forcing and beta as the preset has them half-way through.
  const RunLength length{config.train.epochs, experiment->batchesPerEpoch()};
  const RunPosition middle{config.train.epochs / 2, length.totalIterations() / 2};
  const StepSchedule schedule{klBeta(config.kl, middle, length),
                              teacherForcingRatio(config.teacher_forcing, middle.epoch)};

  int64_t batch = 0;
  auto nextBatch = [&] {
    if (batch % experiment->batchesPerEpoch() == 0) experiment->startEpoch(rng);
    return batch++ % experiment->batchesPerEpoch();
  };
  if (progress) progress("warming up");
  for (int i = 0; i < 3; ++i)
    optimizationStep(*experiment, *optimizer, nextBatch(), schedule, config.optimizer.grad_clip,
                     rng);

  if (progress)
    progress("measuring training for " + std::to_string(static_cast<int>(seconds)) + " s");
  int64_t items = 0, steps = 0;
  const auto train_start = Clock::now();
  while (since(train_start) < seconds) {
    items += optimizationStep(*experiment, *optimizer, nextBatch(), schedule,
                              config.optimizer.grad_clip, rng)
                 .items;
    ++steps;
  }
  const double train_seconds = since(train_start);

  if (progress) progress("measuring evaluation");
  int64_t eval_items = 0;
  const auto eval_start = Clock::now();
  do {
    experiment->model().eval();
    eval_items += experiment->evaluate().items;
  } while (since(eval_start) < seconds / 4);
  const double eval_seconds = since(eval_start);

  return {{prefix + ".train.items_per_s", items / train_seconds, unit},
          {prefix + ".train.seconds_per_step", train_seconds / steps, "s"},
          {prefix + ".eval.items_per_s", eval_items / eval_seconds, unit},
          {prefix + ".peak_rss", peakResidentMemoryMiB(), "MiB"},
          {prefix + ".intra_op_threads", static_cast<double>(threads), "threads"},
          {prefix + ".batch_size", static_cast<double>(config.train.batch_size), "items"}};
}

std::string formatFigures(const std::vector<BenchmarkFigure>& figures) {
  std::ostringstream out;
  for (const auto& f : figures) {
    out << f.name << ' ' << formatGeneral(f.value, 6) << ' ' << f.unit << '\n';
  }
  return out.str();
}

}  // namespace cvae
