#pragma once
// Throughput and memory of an experiment on this machine, measured the way training runs:
// the same optimizationStep the Trainer calls, the experiment's own evaluation. Shared by the
// bench/ programs and `cvae-cli bench`.

#include <functional>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

struct BenchmarkFigure {
  std::string name;  // "tense.train.items_per_s"
  double value = 0;
  std::string unit;  // "words/s"
};

// Trains for about `seconds` (after a short warm-up), then evaluates for about a quarter of that.
// Figures: training and evaluation items per second, seconds per step, peak resident memory.
std::vector<BenchmarkFigure> benchmarkExperiment(
    ExperimentConfig config, double seconds,
    const std::function<void(const std::string&)>& progress = {});

// "name value unit" lines, one per figure: machine-readable and easy to read.
std::string formatFigures(const std::vector<BenchmarkFigure>& figures);

// Peak resident set size of this process in MiB.
double peakResidentMemoryMiB();

}  // namespace cvae
