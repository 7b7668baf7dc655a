// Training/evaluation throughput and peak memory of one experiment with its preset's sizes,
// compiled once and linked as three programs (bench_tense, bench_spelling, bench_video) that
// take the experiment from their own name.
// Trains on ../shared/data/<kind> when it is there (as docs/BENCHMARKS.md reports), else on the
// embedded default. Prints one "name value unit" line per figure.
//   bench_<kind> [SECONDS] [KEY=VALUE ...]
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/config/ConfigIo.h"
#include "core/config/Presets.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/training/Benchmark.h"

int main(int argc, char** argv) {
  const std::string program = std::filesystem::path(argv[0]).filename().string();
  const std::string name = program.rfind("bench_", 0) == 0 ? program.substr(6) : program;
  try {
    const auto parsed = cvae::parseExperimentKind(name);
    if (!parsed) {
      std::cerr << program << ": run me as bench_tense, bench_spelling or bench_video\n";
      return 2;
    }
    const auto kind = *parsed;
    auto config = cvae::presetConfig(kind);
    const auto& entry = cvae::experimentEntry(kind);
    const std::string shared = CVAE_SHARED_DIR "/data/" + name;
    if (std::filesystem::exists(shared + "/" + entry.train_file)) {
      config.data.train = shared + "/" + entry.train_file;
      config.data.test = shared + "/" + entry.test_file;
    }
    const double seconds = argc > 1 ? std::stod(argv[1]) : 20.0;
    cvae::applyOverrides(config, std::vector<std::string>(argv + std::min(argc, 2), argv + argc));
    std::fprintf(stderr, "%s: training on %s\n", program.c_str(),
                 config.data.train.empty() ? "the embedded default" : config.data.train.c_str());
    std::cout << cvae::formatFigures(cvae::benchmarkExperiment(config, seconds));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 1;
  }
}
