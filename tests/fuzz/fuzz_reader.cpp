// libFuzzer entry point for one reader of user files, chosen at build time by CVAE_FUZZ_READER
// (tests/fuzz/CMakeLists.txt builds one fuzz_<reader> program per reader). The contract is the
// one tests/test_fuzz_readers.cpp checks in ctest with mutated seeds: every input is read or
// rejected with a cvae::InputError. Anything else (another exception, a signal, an AddressSanitizer
// report, a leak, a timeout, more memory than -rss_limit_mb) is a finding. Not run in CI; see
// docs/TESTING.md for the build and run commands.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "core/config/ConfigIo.h"
#include "core/config/SweepFile.h"
#include "core/data/SpellingData.h"
#include "core/data/TenseData.h"
#include "core/io/CsvMatrix.h"
#include "core/io/InputError.h"
#include "core/io/PngImage.h"
#include "core/runs/MetricsFile.h"
#include "core/training/PreviewFile.h"

#ifndef CVAE_FUZZ_READER
#error "define CVAE_FUZZ_READER as the name of a reader (see readers() below)"
#endif

namespace {

using Reader = std::function<void(const std::string& path)>;

// The readers take paths, as the programs use them: each input goes through a file.
const std::map<std::string, Reader>& readers() {
  static const std::map<std::string, Reader> table = {
      {"config", [](const std::string& p) { cvae::loadConfigFile(p); }},
      {"sweep", [](const std::string& p) { cvae::readSweepFile(p); }},
      {"tense_train", [](const std::string& p) { cvae::readTenseTrainingFile(p); }},
      {"tense_test", [](const std::string& p) { cvae::readTenseTestFile(p); }},
      {"spelling", [](const std::string& p) { cvae::readSpellingFile(p); }},
      // A pushing sequence's actions.csv: 30 rows of 4 numbers.
      {"csv", [](const std::string& p) { cvae::readCsvMatrix(p, 30, 4); }},
      {"metrics", [](const std::string& p) { cvae::readMetricsFile(p); }},
      {"previews", [](const std::string& p) { cvae::readPreviewFile(p); }},
      {"png", [](const std::string& p) { cvae::readPng(p); }},
  };
  return table;
}

const Reader& reader() {
  static const Reader& chosen = []() -> const Reader& {
    const auto it = readers().find(CVAE_FUZZ_READER);
    if (it == readers().end()) throw std::logic_error("unknown reader " CVAE_FUZZ_READER);
    return it->second;
  }();
  return chosen;
}

const std::string& inputPath() {
  static const std::string path =
      "/tmp/cvae-fuzz-" + std::to_string(getpid()) + "-" + CVAE_FUZZ_READER;
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(inputPath(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    reader()(inputPath());
  } catch (const cvae::InputError&) {
    // A named rejection is the expected outcome for most inputs.
  }
  return 0;
}
