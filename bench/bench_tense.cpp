// Tense CVAE throughput and memory with the preset's sizes (hidden 256, latent 32, batch 64).
// Trains on ../shared/data/tense when it is there (as docs/BENCHMARKS.md reports), else on the
// embedded default. Prints one "name value unit" line per figure.
//   bench_tense [SECONDS] [KEY=VALUE ...]
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/training/Benchmark.h"

int main(int argc, char** argv) {
  try {
    auto config = cvae::loadConfigFile(CVAE_SOURCE_DIR "/configs/tense_cvae.yaml");
    const std::string shared = CVAE_SHARED_DIR "/data/tense";
    if (std::filesystem::exists(shared + "/train.txt")) {
      config.data.train = shared + "/train.txt";
      config.data.test = shared + "/test.txt";
    }
    const double seconds = argc > 1 ? std::stod(argv[1]) : 20.0;
    cvae::applyOverrides(config, std::vector<std::string>(argv + std::min(argc, 2), argv + argc));
    std::fprintf(stderr, "bench_tense: training on %s\n",
                 config.data.train.empty() ? "the embedded default" : config.data.train.c_str());
    std::cout << cvae::formatFigures(cvae::benchmarkExperiment(config, seconds));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_tense: " << e.what() << "\n";
    return 1;
  }
}
