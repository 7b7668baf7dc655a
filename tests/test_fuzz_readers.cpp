// Every reader of user files, fed mutated copies of valid files: each must either read the
// input or throw an InputError (a message naming the file), never crash, hang or throw anything
// else. Deterministic (fixed seeds), a few thousand inputs per reader, about a second each.
// The mutations are those a real file meets: flipped and random bytes, inserted delimiters,
// quotes, NUL, CR, byte-order marks, huge and non-finite numbers, cut-off tails, repeated and
// swapped lines.
// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QTemporaryDir>
#include <QtTest>

#include <torch/nn/modules/linear.h>
#include <torch/optim/adam.h>

#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "TestRegistry.h"
#include "TextFiles.h"
#include "core/config/ConfigIo.h"
#include "core/config/SweepFile.h"
#include "core/data/Lexicon.h"
#include "core/data/SpellingData.h"
#include "core/data/TenseData.h"
#include "core/io/CsvMatrix.h"
#include "core/io/InputError.h"
#include "core/io/PngImage.h"
#include "core/runs/MetricsFile.h"
#include "core/runs/RunFolder.h"
#include "core/runs/RunSummary.h"
#include "core/training/Checkpoint.h"
#include "core/training/PreviewFile.h"
#endif

using namespace cvae;

namespace {

class Mutator {
 public:
  explicit Mutator(unsigned seed) : random_(seed) {}

  std::string mutate(std::string text) {
    const int count = 1 + pick(3);
    for (int i = 0; i < count; ++i) text = once(std::move(text));
    return text;
  }

 private:
  int pick(int n) { return static_cast<int>(random_() % static_cast<unsigned>(std::max(1, n))); }

  std::string once(std::string t) {
    static const char* kTokens[] = {":",
                                    "-",
                                    "[",
                                    "]",
                                    "{",
                                    "}",
                                    "\"",
                                    "'",
                                    "\t",
                                    "\r",
                                    "\n",
                                    ",",
                                    "#",
                                    "&a",
                                    "*a",
                                    "!!",
                                    "nan",
                                    "inf",
                                    "-1",
                                    "1e999",
                                    "99999999999999999999999",
                                    "0x1p3",
                                    "\xef\xbb\xbf",
                                    "\xff\xfe",
                                    "\xe2\x80\x8b",
                                    "\xc3",
                                    "|",
                                    ">",
                                    "%",
                                    "\\",
                                    "eval,",
                                    "train,",
                                    "  ",
                                    "...",
                                    "---",
                                    "~",
                                    "null",
                                    "true"};
    const size_t n = t.size();
    switch (pick(8)) {
      case 0:  // flip a byte
        if (n) t[pick(static_cast<int>(n))] = static_cast<char>(pick(256));
        break;
      case 1:  // insert a token
        t.insert(n ? pick(static_cast<int>(n)) : 0,
                 kTokens[pick(sizeof kTokens / sizeof kTokens[0])]);
        break;
      case 2:  // insert a NUL
        t.insert(n ? pick(static_cast<int>(n)) : 0, 1, '\0');
        break;
      case 3:  // cut the tail
        t.resize(n ? pick(static_cast<int>(n)) : 0);
        break;
      case 4: {  // delete a range
        if (n < 2) break;
        const size_t at = pick(static_cast<int>(n));
        t.erase(at, 1 + pick(static_cast<int>(std::min<size_t>(40, n - at))));
        break;
      }
      case 5: {  // repeat a line
        const auto lines = split(t);
        if (lines.empty()) break;
        auto copy = lines;
        copy.insert(copy.begin() + pick(static_cast<int>(copy.size())),
                    lines[pick(static_cast<int>(lines.size()))]);
        t = join(copy);
        break;
      }
      case 6: {  // swap two lines
        auto lines = split(t);
        if (lines.size() < 2) break;
        std::swap(lines[pick(static_cast<int>(lines.size()))],
                  lines[pick(static_cast<int>(lines.size()))]);
        t = join(lines);
        break;
      }
      default:  // random bytes
        for (int i = 0, k = 1 + pick(8); i < k; ++i)
          t.insert(n ? pick(static_cast<int>(t.size())) : 0, 1, static_cast<char>(pick(256)));
    }
    return t;
  }

  static std::vector<std::string> split(const std::string& t) {
    std::vector<std::string> lines;
    std::istringstream in(t);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
  }
  static std::string join(const std::vector<std::string>& lines) {
    std::string t;
    for (const auto& l : lines) t += l + "\n";
    return t;
  }

  std::mt19937 random_;
};

// Feeds `count` mutations of `seed_text` to `read` (which reads `path`); returns the first
// input that made it throw anything but an InputError, described.
QString fuzz(const std::string& path, const std::string& seed_text, int count,
             const std::function<void()>& read, unsigned seed = 7) {
  Mutator mutator(seed);
  writeText(path, seed_text);
  try {
    read();  // the seed itself reads
  } catch (const std::exception& e) {
    return QString("the valid seed fails: %1").arg(e.what());
  }
  for (int i = 0; i < count; ++i) {
    const std::string input = mutator.mutate(seed_text);
    writeText(path, input);
    try {
      read();
    } catch (const InputError&) {
    } catch (const std::exception& e) {
      return QString("input %1 (%2 bytes) threw %3: %4\n%5")
          .arg(i)
          .arg(input.size())
          .arg(typeid(e).name())
          .arg(e.what())
          .arg(QString::fromLatin1(
              QByteArray::fromStdString(input.substr(0, 300)).toPercentEncoding(" \n,:.-_")));
    }
  }
  return {};
}

}  // namespace

class TestFuzzReaders : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

 private Q_SLOTS:
  void configFiles() {
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Video);
    const QString problem = fuzz(path("config.yaml"), configToYaml(config), 3000,
                                 [&] { loadConfigFile(path("config.yaml")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void sweepFiles() {
    const std::string text =
        "name: s\nbase: base.yaml\nset:\n  train.epochs: 3\ngrid:\n"
        "  kl_annealing.policy: [monotonic, cyclical]\nrandom:\n  count: 2\n  seed: 1\n"
        "  keys:\n    optimizer.learning_rate: {log_uniform: [0.0005, 0.005]}\n"
        "    model.latent_size: {int_uniform: [2, 8]}\n    optimizer.name: {choice: [adam, sgd]}\n"
        "seeds: [1, 2]\nearly_stop: {rule: median, score: bleu, min_epochs: 2}\n";
    writeText(path("base.yaml"), "experiment: tense\n");
    const QString problem = fuzz(path("sweep.yaml"), text, 3000, [&] {
      const auto file = readSweepFile(path("sweep.yaml"));
      (void)file;
    });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void metricsFiles() {
    const std::string text =
        "record,epoch,step,elapsed_s,loss,kl,bleu\ntrain,0,1,0.5,3.2,0.1,\ntrain,0,2,1,3.1,0.2,\n"
        "eval,0,2,1.2,,,0.41\nedit,1,2,1.3,,,\ntrain,1,3,1.5,2.9,0.2,\n";
    QString problem =
        fuzz(path("metrics.csv"), text, 3000, [&] { readMetricsFile(path("metrics.csv")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = fuzz(path("metrics.csv"), text, 3000, [&] {
      MetricsDigest digest(path("metrics.csv"));
      digest.update();
    });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem =
        fuzz(path("metrics.csv"), text, 1000, [&] { truncateMetricsFile(path("metrics.csv"), 2); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void runRecordsAndEdits() {
    const std::string run = path("run");
    const RunFolder folder = RunFolder::create(run, false);
    folder.writeConfig(ExperimentConfig::defaultsFor(ExperimentKind::Tense));
    RunRecord record;
    record.started = "2026-11-30T10:00:00Z";
    record.host = "h";
    record.pid = 12;
    record.parent = "/runs/p";
    record.fork_step = 40;
    record.message = "stopped: asked";
    folder.writeRecord(record);
    QString problem = fuzz(folder.recordPath(), readText(folder.recordPath()), 3000, [&] {
      folder.readRecord();
      folder.observedState();
    });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    ScheduleEditRecord edit;
    edit.epoch = 2;
    edit.step = 30;
    edit.elapsed_s = 4.5;
    edit.changes = {{"kl_annealing.cycles", "4", "8"}, {"teacher_forcing.decay", "0", "0.1"}};
    folder.appendEdit(edit);
    folder.appendEdit(edit);
    problem =
        fuzz(folder.editsPath(), readText(folder.editsPath()), 3000, [&] { folder.readEdits(); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // A summary of a damaged folder says what is wrong instead of throwing.
    problem =
        fuzz(folder.recordPath(), readText(folder.recordPath()), 500, [&] { summarizeRun(run); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void dataFiles() {
    writeTenseTrainingFile(path("train.txt"), {{"abet", "abets", "abetting", "abetted"},
                                               {"go", "goes", "going", "went"}});
    QString problem = fuzz(path("train.txt"), readText(path("train.txt")), 3000,
                           [&] { readTenseTrainingFile(path("train.txt")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    writeTenseTestFile(path("test.txt"),
                       {{"abet", "abetting", Tense::SimplePresent, Tense::Progressive}});
    problem = fuzz(path("test.txt"), readText(path("test.txt")), 3000,
                   [&] { readTenseTestFile(path("test.txt")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    writeSpellingFile(path("spelling.json"),
                      {{{"recetion", "recesion"}, "recession"}, {{"abot"}, "about"}});
    problem = fuzz(path("spelling.json"), readText(path("spelling.json")), 3000,
                   [&] { readSpellingFile(path("spelling.json")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = fuzz(path("words"), "apple\nApple\nbanana's\nzest\n", 2000,
                   [&] { Lexicon::fromWordList(path("words")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = fuzz(path("matrix.csv"), "0.1,0.2,0.3\n1,2,3\n", 3000,
                   [&] { readCsvMatrix(path("matrix.csv"), 2, 3); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void previewFiles() {
    SavedPreviews previews;
    previews.epoch = 3;
    previews.step = 40;
    previews.evaluation.notes = {"BLEU-4 over 10 pairs"};
    PreviewTable table;
    table.title = "Tense conversions";
    table.columns = {"input", "prediction"};
    table.rows = {{"abet", "abetting"}, {"go", "went"}};
    table.row_ok = {true, false};
    previews.evaluation.previews.push_back(table);
    writePreviewFile(path("previews.tsv"), previews);
    const QString problem = fuzz(path("previews.tsv"), readText(path("previews.tsv")), 3000,
                                 [&] { readPreviewFile(path("previews.tsv")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void pngImages() {
    RgbImage image;
    image.width = 8;
    image.height = 6;
    for (int i = 0; i < 8 * 6 * 3; ++i) image.pixels.push_back(static_cast<std::uint8_t>(i * 7));
    writePng(path("frame.png"), image);
    const QString problem = fuzz(path("frame.png"), readText(path("frame.png")), 2000,
                                 [&] { readPng(path("frame.png")); });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void checkpoints() {
    torch::nn::Linear model(3, 2);
    torch::optim::Adam optimizer(model->parameters());
    CheckpointInfo info;
    info.config_yaml = configToYaml(ExperimentConfig::defaultsFor(ExperimentKind::Tense));
    info.epoch = 2;
    info.step = 20;
    info.rng_state = "1 2 3";
    saveCheckpoint(path("last.pt"), *model, &optimizer, info);
    const std::string bytes = readText(path("last.pt"));
    const QString problem = fuzz(path("last.pt"), bytes, 600, [&] {
      const std::string read = readCheckpointBytes(path("last.pt"));
      const CheckpointInfo parsed = checkpointInfoFromBytes(read, "last.pt");
      checkpointConfig(parsed, "last.pt");
      torch::nn::Linear other(3, 2);
      loadCheckpointFromBytes(read, "last.pt", *other, nullptr);
    });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }
};

CVAE_TEST_GUILESS_MAIN(TestFuzzReaders);
#include "test_fuzz_readers.moc"
