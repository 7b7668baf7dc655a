// Sweeps (core/sweeps, core/config/SweepFile): reading sweep files with every error named at its
// line, expansion into members, summary.csv, the median rule, and the runner's handling of
// members that fail, are settled, or belong to another sweep. The runner with the real cvae-cli
// (skip and resume on a re-run, Ctrl-C) is in cli_end_to_end.sh.
// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "ErrorOf.h"
#include "SyntheticRuns.h"
#include "TestRegistry.h"
#include "TextFiles.h"

#include "core/analysis/MedianRule.h"
#include "core/analysis/SeedGroups.h"
#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/config/SweepFile.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/runs/RunFolder.h"
#include "core/runs/RunSummary.h"
#include "core/schedules/ScheduleSummary.h"
#include "core/sweeps/SlurmScript.h"
#include "core/sweeps/SweepPlan.h"
#include "core/sweeps/SweepRunner.h"
#include "core/sweeps/SweepSummary.h"
#endif

using namespace cvae;
namespace fs = std::filesystem;

class TestSweeps : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::string base_;

  std::string path(const std::string& name) const {
    return dir_.filePath(name.c_str()).toStdString();
  }

  // A sweep file beside the base config; `body` follows the base line.
  std::string sweepFile(const std::string& body, const std::string& name = "sweep.yaml") {
    const std::string file = path(name);
    writeText(file, "base: base.yaml\n" + body);
    return file;
  }

  SweepPlan plan(const std::string& body) { return expandSweep(readSweepFile(sweepFile(body))); }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    base_ = path("base.yaml");
    writeText(base_,
              "experiment: tense\nname: base\ndata:\n  train: data/train.txt\n"
              "  test: data/test.txt\ntrain:\n  epochs: 2\n");
  }

  void gridTimesRandomTimesSeeds() {
    const SweepPlan p = plan(
        "set:\n  train.epochs: 7\n"
        "grid:\n  kl_annealing.policy: [monotonic, cyclical]\n  kl_annealing.cycles: [2, 4, 8]\n"
        "random:\n  count: 2\n  seed: 1\n  keys:\n"
        "    optimizer.learning_rate: {log_uniform: [0.0005, 0.005]}\n"
        "    model.latent_size: {int_uniform: [4, 6]}\n"
        "seeds: [1, 2]\n");
    QCOMPARE(p.members.size(), size_t(2 * 3 * 2 * 2));
    const std::vector<std::string> keys = {"kl_annealing.policy", "kl_annealing.cycles",
                                           "optimizer.learning_rate", "model.latent_size",
                                           "train.seed"};
    QVERIFY(p.swept_keys == keys);
    // The last grid key varies fastest, then the draws, then the seeds.
    QCOMPARE(p.members[0].name.substr(0, 3), std::string("000"));
    QCOMPARE(p.members[0].values[0], std::string("monotonic"));
    QCOMPARE(p.members[0].values[1], std::string("2"));
    QCOMPARE(p.members[4].values[1], std::string("4"));
    QCOMPARE(p.members[12].values[0], std::string("cyclical"));
    QCOMPARE(p.members[1].values[4], std::string("2"));
    QCOMPARE(p.members[0].name, std::string("000-monotonic-2-r0-s1"));
    // Each grid combination gets the same draws.
    QCOMPARE(p.members[0].values[2], p.members[4].values[2]);
    QCOMPARE(p.members[2].values[2], p.members[14].values[2]);
    QVERIFY(p.members[0].values[2] != p.members[2].values[2]);
    std::set<std::string> names;
    for (const auto& m : p.members) {
      names.insert(m.name);
      QCOMPARE(m.config.train.epochs, 7);
      const double lr = m.config.optimizer.learning_rate;
      QVERIFY(lr >= 0.0005 && lr <= 0.005);
      QVERIFY(m.config.model.latent_size >= 4 && m.config.model.latent_size <= 6);
      // The overrides rebuild the member's config from the base, as its process does.
      ExperimentConfig rebuilt = loadConfigFile(base_);
      applyOverrides(rebuilt, m.overrides);
      QVERIFY(configDifferences(rebuilt, m.config).empty());
    }
    QCOMPARE(names.size(), p.members.size());
    // cycles does nothing under a monotonic policy: said, not refused.
    QCOMPARE(p.warnings.size(), size_t(1));
    QVERIFY(QString::fromStdString(p.warnings[0]).contains("kl_annealing.cycles"));
  }

  void drawsAreFixedBySeed() {
    auto values = [&](int seed) {
      const SweepPlan p = plan("random:\n  count: 50\n  seed: " + std::to_string(seed) +
                               "\n  keys:\n    kl_annealing.ratio: {uniform: [0.2, 0.8]}\n"
                               "    optimizer.name: {choice: [adam, sgd]}\n"
                               "    model.hidden_size: {uniform: [16, 20]}\n");
      std::vector<std::string> out;
      for (const auto& m : p.members) out.insert(out.end(), m.values.begin(), m.values.end());
      return out;
    };
    QVERIFY(values(1) == values(1));
    QVERIFY(values(1) != values(2));
    const SweepPlan p = plan(
        "random:\n  count: 50\n  keys:\n    kl_annealing.ratio: {uniform: [0.2, 0.8]}\n"
        "    optimizer.name: {choice: [adam, sgd]}\n    model.hidden_size: {uniform: [16, 20]}\n");
    std::set<std::string> optimizers;
    std::set<int> sizes;
    for (const auto& m : p.members) {
      QVERIFY(m.config.kl.ratio >= 0.2 && m.config.kl.ratio <= 0.8);
      optimizers.insert(m.config.optimizer.name);
      sizes.insert(m.config.model.hidden_size);  // an integer key drawn uniformly: integers
    }
    QCOMPARE(optimizers.size(), size_t(2));
    QVERIFY(*sizes.begin() >= 16 && *sizes.rbegin() <= 20 && sizes.size() >= 4);
  }

  // Draws from few values repeat: the members that differ in name only are said (a grid refuses
  // a value listed twice; they trained silently).
  void repeatedDrawsAreSaid() {
    const SweepPlan few =
        plan("random:\n  count: 4\n  seed: 3\n  keys:\n    train.seed: {int_uniform: [1, 2]}\n");
    std::set<std::string> distinct;
    for (const auto& m : few.members) distinct.insert(m.values.at(0));
    QCOMPARE(distinct.size(), size_t(2));
    QCOMPARE(few.warnings.size(), size_t(1));
    QVERIFY2(few.warnings[0].rfind("random: 2 of 4 draws repeat an earlier draw (r", 0) == 0,
             few.warnings[0].c_str());
    QVERIFY2(few.warnings[0].find("): their members train the same runs again; widen the "
                                  "ranges, add choices or lower count") != std::string::npos,
             few.warnings[0].c_str());
    const SweepPlan many =
        plan("random:\n  count: 20\n  keys:\n    kl_annealing.ratio: {uniform: [0.2, 0.8]}\n");
    QVERIFY(many.warnings.empty());
  }

  // A flag's choices and early_stop.collapse read every YAML spelling, as the config does; the
  // members and their values say true and false.
  void flagsReadEveryYamlSpelling() {
    const SweepPlan p = plan(
        "random:\n  count: 40\n  keys:\n    model.attention: {choice: [YES, 'Off']}\n"
        "early_stop: {rule: median, score: bleu, collapse: On}\n");
    std::set<std::string> values;
    for (const auto& m : p.members) {
      values.insert(m.values.at(0));
      QCOMPARE(m.config.model.attention, m.values.at(0) == "true");
    }
    QCOMPARE(values, (std::set<std::string>{"true", "false"}));
    for (const auto& [written, collapse] :
         std::vector<std::pair<std::string, bool>>{{"On", true}, {"0", false}, {"TRUE", true}}) {
      const auto file = readSweepFile(sweepFile(
          "seeds: [1]\nearly_stop: {rule: median, score: bleu, collapse: " + written + "}\n"));
      QCOMPARE(file.early_stop->collapse, collapse);
    }
  }

  void badSweepFilesNameTheirLine_data() {
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << "grid:\n  train.epoch: [1, 2]\n"
                                 << "sweep.yaml:3:3: unknown config key 'train.epoch'";
    QTest::newRow("bad value") << "grid:\n  train.epochs: [1, zero]\n"
                               << "sweep.yaml:3:21: key 'train.epochs': expected an integer";
    QTest::newRow("out of range") << "set:\n  kl_annealing.ratio: 3\nseeds: [1]\n"
                                  << "sweep.yaml:3:23: key 'kl_annealing.ratio'";
    QTest::newRow("not a list") << "grid:\n  train.epochs: 3\n"
                                << "sweep.yaml:3:17: 'grid.train.epochs' must be a list";
    QTest::newRow("wrong experiment") << "grid:\n  video.past_frames: [1, 2]\n"
                                      << "sweep.yaml:3:3: key 'video.past_frames' does not "
                                         "apply to a tense experiment";
    QTest::newRow("top-level typo") << "grids:\n  train.epochs: [1]\n"
                                    << "sweep.yaml:2:1: unknown key 'grids'";
    QTest::newRow("twice") << "grid:\n  train.epochs: [1]\n  train.epochs: [2]\n"
                           << "sweep.yaml:4:3: key 'grid.train.epochs' appears twice, on lines "
                              "3 and 4";
    QTest::newRow("set and grid") << "set:\n  train.epochs: 3\ngrid:\n  train.epochs: [1, 2]\n"
                                  << "sweep.yaml:5:3: key 'train.epochs' is also given on line 3";
    QTest::newRow("seeds and grid") << "grid:\n  train.seed: [1, 2]\nseeds: [3]\n"
                                    << "sweep.yaml:4:8: key 'train.seed' is also given on line 3";
    QTest::newRow("repeated seed") << "seeds: [1, 2, 1]\n"
                                   << "sweep.yaml:2:15: seeds lists '1' twice";
    QTest::newRow("leading comma") << ",seeds: [1]\n"
                                   << "sweep.yaml:2:1: invalid YAML";
    QTest::newRow("two documents") << "seeds: [1]\n---\nseeds: [2]\n"
                                   << "a second YAML document";
    QTest::newRow("repeated value") << "grid:\n  train.epochs: [1, 1]\n"
                                    << "sweep.yaml:3:21: grid key 'train.epochs' lists '1' twice";
    QTest::newRow("unknown distribution")
        << "random:\n  count: 2\n  keys:\n    kl_annealing.ratio: {normal: [0, 1]}\n"
        << "sweep.yaml:5:26: random key 'kl_annealing.ratio' must be one of";
    QTest::newRow("log of zero")
        << "random:\n  count: 2\n  keys:\n    optimizer.learning_rate: {log_uniform: [0, 1]}\n"
        << "'log_uniform' for 'optimizer.learning_rate' needs LOW > 0";
    QTest::newRow("low above high")
        << "random:\n  count: 2\n  keys:\n    kl_annealing.ratio: {uniform: [0.8, 0.2]}\n"
        << "LOW (0.8) is above HIGH (0.2)";
    QTest::newRow("equal bounds")
        << "random:\n  count: 3\n  keys:\n    model.latent_size: {int_uniform: [4, 4]}\n"
        << "sweep.yaml:5:38: 'int_uniform' for 'model.latent_size': LOW and HIGH are both 4, so "
           "every member draws it; give it under set: instead";
    QTest::newRow("int_uniform bound not a number")
        << "random:\n  count: 2\n  keys:\n    train.epochs: {int_uniform: [a, 5]}\n"
        << "sweep.yaml:5:34: 'train.epochs': int_uniform draws whole numbers, so its bounds must "
           "be integers, got 'a'";
    QTest::newRow("int_uniform bound a fraction")
        << "random:\n  count: 2\n  keys:\n    train.epochs: {int_uniform: [1, 5.5]}\n"
        << "sweep.yaml:5:37: 'train.epochs': int_uniform draws whole numbers, so its bounds must "
           "be integers, got '5.5'";
    QTest::newRow("int_uniform bound a huge integer")
        << "random:\n  count: 2\n  keys:\n    train.epochs: {int_uniform: [1, "
           "99999999999999999999]}\n"
        << "sweep.yaml:5:37: 'train.epochs': expected an integer in [-9007199254740992, "
           "9007199254740992], got '99999999999999999999'";
    QTest::newRow("bound out of range")
        << "random:\n  count: 2\n  keys:\n    kl_annealing.ratio: {uniform: [0.5, 2]}\n"
        << "sweep.yaml:5:25: key 'kl_annealing.ratio'";
    QTest::newRow("text drawn uniformly")
        << "random:\n  count: 2\n  keys:\n    optimizer.name: {uniform: [0, 1]}\n"
        << "'optimizer.name' is not a number; draw its values with {choice: [...]}";
    QTest::newRow("no count") << "random:\n  keys:\n    kl_annealing.ratio: {uniform: [0, 1]}\n"
                              << "sweep.yaml:3:3: 'random' needs a 'count'";
    QTest::newRow("count zero")
        << "random:\n  count: 0\n  keys:\n    kl_annealing.ratio: {uniform: [0, 1]}\n"
        << "sweep.yaml:3:10: 'random.count': expected an integer in [1, 100000], got '0'";
    QTest::newRow("nothing to sweep") << "set:\n  train.epochs: 3\n"
                                      << "nothing to sweep: give grid, random or seeds";
    QTest::newRow("experiment swept") << "grid:\n  experiment: [tense, spelling]\n"
                                      << "'experiment' cannot be swept";
    QTest::newRow("cross-field")
        << "grid:\n  teacher_forcing.decay: [0.1]\n"
           "  teacher_forcing.floor: [0.5]\n  teacher_forcing.initial: [0.2]\n"
        << "member 000-0.1-0.5-0.2 (teacher_forcing.decay=0.1, "
           "teacher_forcing.floor=0.5, teacher_forcing.initial=0.2): key "
           "'teacher_forcing.floor': the floor (0.5) is above the "
           "initial ratio (0.2)";
    QTest::newRow("early stop score")
        << "seeds: [1, 2]\nearly_stop: {rule: median, score: psnr}\n"
        << "sweep.yaml:3:35: early_stop.score 'psnr' is not a score of the tense experiment "
           "(bleu, gaussian)";
    QTest::newRow("early stop align")
        << "seeds: [1]\nearly_stop: {rule: median, score: bleu, align: step}\n"
        << "sweep.yaml:3:48: 'early_stop.align' must be warmup or epoch, got 'step'";
    QTest::newRow("flag chosen twice")
        << "random:\n  count: 2\n  keys:\n    model.attention: {choice: [true, 'off', Yes]}\n"
        << "sweep.yaml:5:45: choice for 'model.attention' lists 'Yes' (true) twice";
    QTest::newRow("flag listed twice")
        << "grid:\n  model.attention: [1, TRUE]\n"
        << "sweep.yaml:3:24: grid key 'model.attention' lists 'TRUE' (true) twice";
    QTest::newRow("seed listed twice") << "seeds: [1, \"01\"]\n"
                                       << "sweep.yaml:2:12: seeds lists '01' (1) twice";
    QTest::newRow("collapse not a flag")
        << "seeds: [1]\nearly_stop: {rule: median, score: bleu, collapse: maybe}\n"
        << "'early_stop.collapse' must be true or false, got 'maybe'";
    QTest::newRow("early stop rule") << "seeds: [1]\nearly_stop: {rule: mean, score: bleu}\n"
                                     << "'early_stop.rule': only 'median' is known";
    QTest::newRow("a tagged list") << "seeds: !!seq [1]\n"
                                   << "sweep.yaml:2:8: the YAML tag '!!seq' is not read: a sweep "
                                      "file holds plain values";
    QTest::newRow("invalid yaml") << "grid: [a\n"
                                  << "sweep.yaml:3:1: invalid YAML";
    QTest::newRow("list of maps") << "grid:\n  train.epochs: [{a: 1}]\n"
                                  << "sweep.yaml:3:18: 'grid.train.epochs' must be a single value";
    // An empty value is named on its key's line (yaml-cpp marks it where the next token is).
    QTest::newRow("empty set value") << "set:\n  train.epochs:\n  train.seed: 3\nseeds: [1]\n"
                                     << "sweep.yaml:3:3: 'train.epochs' must be a single value, "
                                        "not a null value";
    QTest::newRow("empty grid key") << "grid:\n  train.epochs:\n\n\nseeds: [1]\n"
                                    << "sweep.yaml:3:3: 'grid.train.epochs' must be a list";
    QTest::newRow("empty seeds at the end") << "seeds:\n"
                                            << "sweep.yaml:2:1: 'seeds' must be a list";
    QTest::newRow("empty count") << "random:\n  count:\n  keys:\n"
                                    "    kl_annealing.ratio: {uniform: [0, 1]}\n"
                                 << "sweep.yaml:3:3: 'random.count' must be a single value";
    // An empty list item, or an empty value read inside a random key's spec, is placed on the
    // line it was left empty on, not on the next token's.
    QTest::newRow("empty seed item") << "seeds:\n  - 1\n  -\ngrid:\n  train.epochs: [1]\n"
                                     << "sweep.yaml:4:3: 'seeds' must be a single value";
    QTest::newRow("empty grid item")
        << "grid:\n  train.epochs:\n    - 1\n    -\n  train.seed: [1]\n"
        << "sweep.yaml:5:5: 'grid.train.epochs' must be a single value";
    QTest::newRow("empty uniform") << "random:\n  count: 2\n  keys:\n    kl_annealing.ratio:\n"
                                      "      uniform:\n    kl_annealing.cycles: {int_uniform: [1, "
                                      "3]}\n"
                                   << "sweep.yaml:6:7: 'uniform' takes [LOW, HIGH]";
    QTest::newRow("empty choice at the end")
        << "random:\n  count: 2\n  keys:\n    kl_annealing.policy:\n      choice:\n\n# done\n"
        << "sweep.yaml:6:7: 'kl_annealing.policy' must be a list";
    QTest::newRow("empty uniform item at the end")
        << "random:\n  count: 2\n  keys:\n    kl_annealing.ratio:\n      uniform:\n        - "
           "0.1\n        -\n"
        << "sweep.yaml:8:9: 'kl_annealing.ratio' must be a single value";
    QTest::newRow("empty flow value") << "seeds: [1]\nearly_stop: {rule: median, score: }\n"
                                      << "sweep.yaml:3:";
    QTest::newRow("empty early stop score") << "seeds: [1]\nearly_stop:\n  rule: median\n"
                                               "  score:\n"
                                            << "sweep.yaml:5:3: 'early_stop.score' must be a "
                                               "single value";
  }
  void badSweepFilesNameTheirLine() {
    QFETCH(QString, body);
    QFETCH(QString, expected);
    const std::string message = errorOf([&] { plan(body.toStdString()); });
    QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
  }

  void baseProblemsAreNamed() {
    writeText(path("nobase.yaml"), "grid:\n  train.epochs: [1]\n");
    QVERIFY(QString::fromStdString(errorOf([&] {
              readSweepFile(path("nobase.yaml"));
            })).contains("key 'base' is missing"));
    writeText(path("missing.yaml"), "base: nowhere.yaml\ngrid:\n  train.epochs: [1]\n");
    const std::string message = errorOf([&] { expandSweep(readSweepFile(path("missing.yaml"))); });
    QVERIFY2(QString::fromStdString(message).contains("missing.yaml: base config:") &&
                 QString::fromStdString(message).contains("nowhere.yaml: no such config file"),
             message.c_str());
    QVERIFY(QString::fromStdString(errorOf([&] {
              readSweepFile(path("absent.yaml"));
            })).contains("absent.yaml: no such sweep file"));
  }

  void valueListsAndRanges() {
    std::string problem;
    QVERIFY(*parseValueList("monotonic, cyclical", problem) ==
            std::vector<std::string>({"monotonic", "cyclical"}));
    QVERIFY(*parseValueList(" 3 ", problem) == std::vector<std::string>({"3"}));
    QVERIFY(*parseValueList("0.2..0.8 x4", problem) ==
            std::vector<std::string>({"0.2", "0.4", "0.6", "0.8"}));
    QVERIFY(*parseValueList("log 0.0001..0.01 x3", problem) ==
            std::vector<std::string>({"0.0001", "0.001", "0.01"}));
    for (const char* bad : {"a,,b", "", "1..2", "1..2 x1", "log 0..1 x3", "x..2 x3"}) {
      problem.clear();
      QVERIFY2(!parseValueList(bad, problem), bad);
      QVERIFY(!problem.empty());
    }
  }

  void seedGroupsByHand() {
    auto a = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    auto a2 = a;
    a2.train.seed = 7;
    a2.name = "other-name";
    auto b = a;
    b.kl.cycles = 9;
    const auto groups = groupRuns({a, b, std::nullopt, a2});
    QCOMPARE(groups.size(), size_t(3));
    QVERIFY(groups[0] == std::vector<size_t>({0, 3}));
    QVERIFY(groups[1] == std::vector<size_t>({1}));
    QVERIFY(groups[2] == std::vector<size_t>({2}));
    const MeanStd s = meanStd({2, 4, std::nan(""), 4, 5, 5, 7, 9, 4});
    QCOMPARE(s.n, 8);
    QCOMPARE(s.mean, 5.0);
    QCOMPARE(s.std, std::sqrt(32.0 / 7));  // sum of squared deviations 32, n - 1 = 7
    QCOMPARE(s.min, 2.0);
    QCOMPARE(s.max, 9.0);
    QCOMPARE(meanStd({3}).std, 0.0);
    QVERIFY(std::isnan(meanStd({}).mean));
  }

  void filesThatAreNotTextAreNamed() {
    fs::create_directories(path("a-folder.yaml"));
    QVERIFY(QString::fromStdString(errorOf([&] {
              readSweepFile(path("a-folder.yaml"));
            })).contains("is a folder, not a sweep file"));
    QVERIFY(QString::fromStdString(errorOf([&] {
              readSweepFile("/dev/zero");
            })).contains("/dev/zero: not a regular file"));
    writeText(path("binary.yaml"), std::string("base: x\n\0\x01\x02", 12));
    QVERIFY(QString::fromStdString(errorOf([&] {
              readSweepFile(path("binary.yaml"));
            })).contains("binary.yaml:2: holds a NUL byte: a binary file, not a sweep file"));
    writeText(path("base-is-folder.yaml"), "base: a-folder.yaml\nseeds: [1]\n");
    QVERIFY(QString::fromStdString(errorOf([&] {
              expandSweep(readSweepFile(path("base-is-folder.yaml")));
            })).contains("a-folder.yaml: is a folder, not a config file"));
  }

  void medianRuleByHand() {
    QCOMPARE(*median({3, 1, 2}), 2.0);
    QCOMPARE(*median({4, 1, 2, 3}), 2.5);
    QVERIFY(!median({}));
    auto v = medianRule(0.4, {0.5, 0.3, 0.6}, 3);
    QVERIFY(v.stop);
    QCOMPARE(v.median, 0.5);
    QCOMPARE(v.compared, 3);
    QVERIFY(!medianRule(0.5, {0.5, 0.3, 0.6}, 3).stop);  // at the median: kept
    QVERIFY(!medianRule(0.1, {0.5, 0.3}, 3).stop);       // too few to compare
    QVERIFY(medianRule(std::nan(""), {0.5, 0.3, 0.6}, 3).stop);
    QVERIFY(!medianRule(0.1, {0.5, std::nan(""), 0.6}, 3).stop);  // NaN others do not count
  }

  void digestReadsEvaluationsIncrementally() {
    SyntheticRun run;
    run.epochs = 3;
    run.scores = {{0.2, 0.1}, {0.5, 0.05}, {0.4, 0.3}};
    const std::string run_dir = path("digest-run");
    writeSyntheticRun(run_dir, run);
    MetricsDigest digest(run_dir + "/metrics.csv");
    QVERIFY(digest.update());
    QCOMPARE(digest.evaluations().size(), size_t(3));
    QCOMPARE(digest.best("bleu"), 0.5);
    QCOMPARE(digest.last("bleu"), 0.4);
    QCOMPARE(digest.best("gaussian"), 0.3);
    QCOMPARE(*digest.atEpoch("bleu", 1), 0.5);
    QVERIFY(!digest.atEpoch("bleu", 3));
    QCOMPARE(digest.epochs(), 3);
    QCOMPARE(digest.steps(), int64_t(12));
    // The training values at an evaluation come from the train row before it: the loss the
    // run had (1 / step here) when BLEU was best, after epoch 1 at step 8.
    QCOMPARE(digest.atBestOf("loss", "bleu"), 1.0 / 8);
    QCOMPARE(digest.atBestOf("kl", "gaussian"), 0.1);
    QCOMPARE(digest.atBestOf("bleu", "gaussian"), 0.4);
    QVERIFY(std::isnan(digest.atBestOf("nothing", "bleu")));
    QVERIFY(std::isnan(digest.atBestOf("loss", "nothing")));
    QCOMPARE(digest.evaluatedColumns(), (std::vector<std::string>{"bleu", "gaussian"}));
    QVERIFY(!digest.update());
    // A half-written line waits; once finished it is read.
    std::ofstream out(run_dir + "/metrics.csv", std::ios::app);
    out << "eval,3,16,8,,,,,,,,0.9";
    out.flush();
    QVERIFY(!digest.update());
    out << ",0.2\n";
    out.flush();
    QVERIFY(digest.update());
    QCOMPARE(digest.best("bleu"), 0.9);
    QCOMPARE(digest.epochs(), 4);
    // Its train row was read in the earlier update: step 12.
    QVERIFY(std::abs(digest.atBestOf("loss", "bleu") - 1.0 / 12) < 1e-9);
    // A malformed eval row is named with its line.
    out << "eval,4,20,9,,,,,,,,x,0.2\n";
    out.flush();
    const std::string message = errorOf([&] { digest.update(); });
    QVERIFY2(QString::fromStdString(message).contains("metrics.csv:18: column 12: 'x'"),
             message.c_str());
  }

  void summaryAndStatesOfExistingMembers() {
    const std::string file =
        sweepFile("grid:\n  kl_annealing.cycles: [2, 3, 4, 5, 6]\n", "states.yaml");
    const SweepPlan p = expandSweep(readSweepFile(file));
    const std::string out = path("states-out");
    fs::create_directories(out);
    writeText(out + "/sweep.yaml", p.file.text);  // as the sweep that made the members wrote it
    // 000 completed, 001 pruned, 002 stopped (resumes), 003 failed, 004 not started.
    const std::vector<RunState> states = {RunState::Completed, RunState::Stopped, RunState::Stopped,
                                          RunState::Failed};
    const std::vector<std::string> messages = {"", "pruned by the median rule", "stopped", "NaN"};
    for (size_t i = 0; i < states.size(); ++i) {
      SyntheticRun run;
      run.config = p.members[i].config;
      run.state = states[i];
      run.message = messages[i];
      run.scores = {{0.1 * static_cast<double>(i + 1), 0.0}, {0.05, 0.5}};
      run.epochs = 2;
      writeSyntheticRun(out + "/" + p.members[i].name, run);
    }
    SweepRunOptions options;
    options.executable = "/bin/true";
    options.out_dir = out;
    SweepRunner runner(p, options);
    std::vector<MemberStatus> statuses;
    for (const auto& m : runner.members()) statuses.push_back(m.status);
    QVERIFY(statuses == std::vector<MemberStatus>({MemberStatus::Completed, MemberStatus::Pruned,
                                                   MemberStatus::Stopped, MemberStatus::Failed,
                                                   MemberStatus::Pending}));
    QCOMPARE(readText(out + "/summary.csv"),
             std::string("run,status,kl_annealing.cycles,bleu,gaussian,seconds\n"
                         "000-2,completed,2,0.1,0.5,4.0\n"
                         "001-3,pruned,3,0.2,0.5,4.0\n"
                         "002-4,stopped,4,0.3,0.5,4.0\n"
                         "003-5,failed,5,0.4,0.5,4.0\n"
                         "004-6,pending,6,,,\n"));
    QCOMPARE(readText(out + "/sweep.yaml"), p.file.text);

    // Another sweep file into the same folder is refused before anything runs.
    const SweepPlan other =
        expandSweep(readSweepFile(sweepFile("grid:\n  kl_annealing.cycles: [7]\n", "other.yaml")));
    QVERIFY(QString::fromStdString(errorOf([&] {
              SweepRunner(other, options);
            })).contains("holds another sweep (its sweep.yaml differs"));
    // A damaged copy is said as damaged, with the way back, not as another sweep.
    writeText(out + "/sweep.yaml", std::string("grid:\0\x89", 7));
    QCOMPARE(errorOf([&] { SweepRunner(p, options); }),
             out + "/sweep.yaml: damaged (it holds a NUL byte); copy " + p.file.path +
                 " over it to continue this sweep, or choose another --out");
    writeText(out + "/sweep.yaml", p.file.text);
    // So is a member folder whose config is not the member's.
    SyntheticRun wrong;
    wrong.config = p.members[4].config;
    wrong.config.train.epochs = 99;
    writeSyntheticRun(out + "/" + p.members[4].name, wrong);
    const std::string message = errorOf([&] { SweepRunner(p, options); });
    QVERIFY2(QString::fromStdString(message).contains(
                 "004-6: holds a run that is not member 004-6 of this sweep (train.epochs: 2 in "
                 "the sweep, 99 in the folder)"),
             message.c_str());
  }

  void aRelationTheBaseBreaksIsMendedOrNamedAtItsLine() {
    writeText(path("broken-base.yaml"),
              "experiment: tense\nname: b\ndata:\n  train: data/train.txt\n  test: data/test.txt\n"
              "teacher_forcing:\n  decay: 0.1\n  floor: 0.5\n  initial: 0.2\n");
    // A `set:` of the initial ratio mends what the base breaks.
    writeText(path("mended.yaml"),
              "base: broken-base.yaml\nset:\n  teacher_forcing.initial: 0.9\nseeds: [1, 2]\n");
    QCOMPARE(expandSweep(readSweepFile(path("mended.yaml"))).members.size(), size_t(2));
    // Left broken, every member fails alike: the base file's line is named, not a member.
    writeText(path("unmended.yaml"), "base: broken-base.yaml\nseeds: [1, 2]\n");
    const std::string message = errorOf([&] { expandSweep(readSweepFile(path("unmended.yaml"))); });
    QVERIFY2(message.find("unmended.yaml: base config: ") != std::string::npos &&
                 message.find("broken-base.yaml:8:3: key 'teacher_forcing.floor': the floor "
                              "(0.5) is above the initial ratio (0.2)") != std::string::npos &&
                 message.find("member") == std::string::npos,
             message.c_str());
    // Broken by a `set:` value, and no swept key: every member alike, named at that value.
    writeText(
        path("good-base.yaml"),
        "experiment: tense\nname: b\ndata:\n  train: data/train.txt\n  test: data/test.txt\n");
    writeText(path("set-breaks.yaml"),
              "base: good-base.yaml\nset:\n  teacher_forcing.decay: 0.1\n"
              "  teacher_forcing.floor: 0.6\n  teacher_forcing.initial: 0.3\nseeds: [1, 2]\n");
    const std::string by_set =
        errorOf([&] { expandSweep(readSweepFile(path("set-breaks.yaml"))); });
    QVERIFY2(by_set.find("set-breaks.yaml:4:26: key 'teacher_forcing.floor': the floor (0.6) is "
                         "above the initial ratio (0.3)") != std::string::npos &&
                 by_set.find("member") == std::string::npos,
             by_set.c_str());
  }

  void sweepFoldersThatAreRefused() {
    const SweepPlan p = expandSweep(readSweepFile(sweepFile("seeds: [1, 2]\n", "refused.yaml")));
    SweepRunOptions options;
    options.executable = "/bin/true";
    auto refusal = [&](const std::string& out) {
      options.out_dir = out;
      return QString::fromStdString(errorOf([&] { SweepRunner(p, options); }));
    };
    QVERIFY(refusal("").contains("the sweep folder's path is empty"));
    fs::create_directories(path("other-files"));
    writeText(path("other-files/notes.txt"), "mine");
    QVERIFY(refusal(path("other-files")).contains("holds other files and no sweep"));
    SyntheticRun run;
    writeSyntheticRun(path("a-run"), run);
    QVERIFY(refusal(path("a-run")).contains("holds a run; a sweep needs its own folder"));
    writeText(path("a-file"), "x");
    QVERIFY(refusal(path("a-file")).contains("not a folder"));
    // One process runs a sweep folder at a time.
    options.out_dir = path("locked");
    QVERIFY(!RunLock::holder(path("locked"), ".sweep.lock"));  // no folder yet: nobody
    {
      SweepRunner first(p, options);
      QVERIFY(refusal(path("locked")).contains("the sweep folder is in use by pid"));
      // What a dry run says: the holder, found without taking the lock.
      const auto who = RunLock::holder(path("locked"), ".sweep.lock");
      QVERIFY(who && who->rfind("pid " + std::to_string(::getpid()) + " on ", 0) == 0);
      QVERIFY(refusal(path("locked")).contains("the sweep folder is in use by pid"));
    }
    QVERIFY(!RunLock::holder(path("locked"), ".sweep.lock"));  // released with the runner
  }

  // A member killed from outside leaves the sweep unfinished: it exited 0, so a script chaining
  // on it went on and Slurm did not requeue. A member that wrote no last.pt starts anew.
  void aSweepWithAnUnfinishedMemberExitsOne() {
    const std::string fake = path("oom-cli.sh");
    writeText(fake, "#!/bin/sh\ncase \"$*\" in *000-*) kill -9 $$;; esac\nexit 0\n");
    fs::permissions(fake, fs::perms::owner_all);
    const SweepPlan p = expandSweep(readSweepFile(sweepFile("seeds: [1, 2]\n", "oom.yaml")));
    SweepRunOptions options;
    options.executable = fake;
    options.out_dir = path("oom-out");
    options.poll_seconds = 0.02;
    std::vector<std::string> events;
    options.on_event = [&](const std::string& e) { events.push_back(e); };
    SweepRunner runner(p, options);
    QCOMPARE(runner.run(), 1);
    QCOMPARE(cvae::toString(runner.members()[1].status), cvae::toString(MemberStatus::Completed));
    QCOMPARE(runner.members()[0].note,
             std::string("killed by signal 9 (Killed); it starts anew on the next run (it had "
                         "written no last.pt)"));
    QCOMPARE(events.back(), "1 member did not finish (" + p.members[0].name +
                                "); the same command again resumes it");
  }

  void aMemberKilledFromOutsideResumesAndARecordedFailureStays() {
    const std::string fake = path("killed-cli.sh");
    writeText(fake, "#!/bin/sh\ncase \"$*\" in *000-*) kill -9 $$;; esac\nexit 3\n");
    fs::permissions(fake, fs::perms::owner_all);
    const SweepPlan p = expandSweep(readSweepFile(sweepFile("seeds: [1, 2]\n", "killed.yaml")));
    SweepRunOptions options;
    options.executable = fake;
    options.out_dir = path("killed-out");
    options.poll_seconds = 0.02;
    {
      SweepRunner runner(p, options);
      QCOMPARE(runner.run(), 1);
      QCOMPARE(cvae::toString(runner.members()[0].status),
               cvae::toString(MemberStatus::Interrupted));
      QVERIFY(QString::fromStdString(runner.members()[0].note).startsWith("killed by signal 9"));
      QCOMPARE(cvae::toString(runner.members()[1].status), cvae::toString(MemberStatus::Failed));
    }
    // Its run folder now says interrupted (a damaged status.yaml reads so too): the failure the
    // sweep recorded stays, so a re-run does not resume it into the same failure.
    SyntheticRun interrupted;
    interrupted.config = p.members[1].config;
    interrupted.state = RunState::Interrupted;
    writeSyntheticRun(path("killed-out/") + p.members[1].name, interrupted);
    SweepRunner again(p, options);
    QCOMPARE(cvae::toString(again.members()[1].status), cvae::toString(MemberStatus::Failed));
    QCOMPARE(again.members()[1].note, std::string("exit code 3"));
  }

  // A member whose status.yaml is damaged is not resumed into the same failure (a completed
  // member was resumed, failed and marked failed for good): it is left, saying what to do.
  void aDamagedMemberRecordIsLeftWithWhatToDo() {
    const SweepPlan p = expandSweep(readSweepFile(sweepFile("seeds: [1, 2]\n", "damaged.yaml")));
    SweepRunOptions options;
    options.executable = "/bin/false";  // nothing may run
    options.out_dir = path("damaged-out");
    options.poll_seconds = 0.02;
    SyntheticRun run;
    run.config = p.members[0].config;
    run.state = RunState::Completed;
    const std::string dir = path("damaged-out/") + p.members[0].name;
    writeSyntheticRun(dir, run);
    writeText(dir + "/status.yaml", "state: [\n");
    writeText(path("damaged-out/sweep.yaml"), p.file.text);
    SweepRunner runner(p, options);
    const std::string note = runner.members()[0].note;
    QCOMPARE(cvae::toString(runner.members()[0].status), cvae::toString(MemberStatus::Failed));
    QVERIFY2(note.find("status.yaml:2:1: invalid YAML") != std::string::npos &&
                 note.find("; remove it, then `cvae-cli resume " + dir + "` continues") !=
                     std::string::npos,
             note.c_str());
    QCOMPARE(runner.run(), 1);  // the second member ran (and failed: /bin/false)
    QCOMPARE(cvae::toString(runner.members()[0].status), cvae::toString(MemberStatus::Failed));
    QCOMPARE(runner.members()[0].note, note);  // not launched
  }

  void aFailingMemberDoesNotStopTheOthers() {
    // A stand-in for cvae-cli that fails for one member and succeeds for the others, and notes
    // how many members run at once.
    const std::string fake = path("fake-cli.sh");
    writeText(
        fake,
        "#!/bin/sh\n"
        "case \"$*\" in *001-*) echo 'data.train: no such file' >&2; exit 1;; esac\n"
        "echo \"$OPENBLAS_NUM_THREADS\" > \"$(dirname \"$4\")/blas-$$\"\nsleep 0.2\nexit 0\n");
    fs::permissions(fake, fs::perms::owner_all);
    const SweepPlan p =
        expandSweep(readSweepFile(sweepFile("seeds: [1, 2, 3, 4]\n", "failing.yaml")));
    SweepRunOptions options;
    options.executable = fake;
    options.out_dir = path("failing-out");
    options.parallel = 2;
    options.blas_threads = 3;
    options.poll_seconds = 0.02;
    std::vector<std::string> events;
    options.on_event = [&](const std::string& e) { events.push_back(e); };
    {  // the runner holds the sweep folder until it is destroyed
      SweepRunner runner(p, options);
      QCOMPARE(runner.run(), 1);
      const auto& m = runner.members();
      QCOMPARE(cvae::toString(m[0].status), cvae::toString(MemberStatus::Completed));
      QCOMPARE(cvae::toString(m[1].status), cvae::toString(MemberStatus::Failed));
      QCOMPARE(m[1].note, std::string("exit code 1: data.train: no such file"));
      QCOMPARE(cvae::toString(m[2].status), cvae::toString(MemberStatus::Completed));
      QCOMPARE(cvae::toString(m[3].status), cvae::toString(MemberStatus::Completed));
      QVERIFY(readText(runner.logPath(1)).find("train " + base_) != std::string::npos);
      int blas_files = 0;
      for (const auto& entry : fs::directory_iterator(path("failing-out")))
        if (entry.path().filename().string().rfind("blas-", 0) == 0) {
          ++blas_files;
          QCOMPARE(readText(entry.path().string()), std::string("3\n"));
        }
      QCOMPARE(blas_files, 3);
      QVERIFY(readText(runner.summaryPath()).find("001-s2,failed,2,,,\n") != std::string::npos);
    }

    // Run again, the failed member is left failed with its old error: said so, with the way to
    // run it again (a fixed cause read as still there, with no word of --retry-failed).
    {
      events.clear();
      SweepRunner again(p, options);
      QCOMPARE(again.run(), 1);
      // (The stand-in writes no run folders, so the others start again.)
      QCOMPARE(events.front(), std::string("1 member failed in an earlier run and is not run again "
                                           "(001-s2); --retry-failed starts it anew"));
      QVERIFY(std::none_of(events.begin(), events.end(),
                           [](const std::string& e) { return e.rfind("started 001-s2", 0) == 0; }));
    }
    events.clear();
    options.retry_failed = true;
    SweepRunner retried(p, options);
    QCOMPARE(retried.run(), 1);  // the stand-in fails it again
    QVERIFY(std::none_of(events.begin(), events.end(), [](const std::string& e) {
      return e.find("earlier run") != std::string::npos;
    }));
    QVERIFY(std::any_of(events.begin(), events.end(),
                        [](const std::string& e) { return e.rfind("started 001-s2", 0) == 0; }));
  }

  // Four members anneal β over 1, 2, 3 and 9 of 10 epochs; a stand-in for cvae-cli writes each
  // one's score as a function of its schedule phase, the slow member a little better at every
  // phase. Compared at the same epoch it looks worst during its long warm-up and is stopped;
  // compared at the same phase (the default) it is kept.
  void theMedianRuleComparesMembersAtTheSamePhase_data() {
    QTest::addColumn<QString>("align");
    QTest::addColumn<bool>("slow_member_pruned");
    QTest::newRow("epoch") << "epoch" << true;
    QTest::newRow("warmup") << "warmup" << false;
  }
  void theMedianRuleComparesMembersAtTheSamePhase() {
    QFETCH(QString, align);
    QFETCH(bool, slow_member_pruned);
    const std::string scores_dir = path("phase-scores-" + align.toStdString());
    fs::create_directories(scores_dir);
    const std::string fake = path("phase-cli.sh");
    writeText(fake,
              "#!/bin/sh\ntrap 'exit 130' TERM\ndir=\"$4\"\nmkdir -p \"$dir\"\n"
              "cp '" +
                  base_ +
                  "' \"$dir/config.yaml\"\n"
                  "src='" +
                  scores_dir +
                  "'/$(basename \"$dir\").csv\n"
                  "head -n 1 \"$src\" > \"$dir/metrics.csv\"\n"
                  "for line in $(tail -n +2 \"$src\"); do\n"
                  "  echo \"$line\" >> \"$dir/metrics.csv\"\n  sleep 0.1 & wait\ndone\n");
    fs::permissions(fake, fs::perms::owner_all);
    const SweepPlan p = expandSweep(
        readSweepFile(sweepFile("set:\n  train.epochs: 10\n  kl_annealing.policy: monotonic\n"
                                "grid:\n  kl_annealing.ratio: [0.1, 0.2, 0.3, 0.9]\n"
                                "early_stop: {rule: median, score: bleu, align: " +
                                    align.toStdString() + ", min_members: 2}\n",
                                "phase-" + align.toStdString() + ".yaml")));
    QCOMPARE(p.members.size(), size_t(4));
    for (size_t i = 0; i < p.members.size(); ++i) {
      const auto& config = p.members[i].config;
      const double warmup = summarizeSchedules(config, RunLength{10, 10}).beta_warmup_end_epoch;
      const double bonus = i == 3 ? 0.05 : 0.01 * static_cast<double>(i);
      std::string csv = "record,epoch,step,elapsed_s,loss,kl,bleu\n";
      for (int e = 0; e < 10; ++e)
        csv += "eval," + std::to_string(e) + "," + std::to_string(10 * (e + 1)) + ",1,,," +
               formatShortest(schedulePhase(e + 1, warmup) + bonus) + "\n";
      writeText(scores_dir + "/" + p.members[i].name + ".csv", csv);
    }
    SweepRunOptions options;
    options.executable = fake;
    options.out_dir = path("phase-out-" + align.toStdString());
    options.parallel = 4;
    options.poll_seconds = 0.02;
    SweepRunner runner(p, options);
    runner.run();
    const auto& slow = runner.members()[3];
    QCOMPARE(slow.status == MemberStatus::Pruned, slow_member_pruned);
    if (slow_member_pruned) {
      QVERIFY2(slow.note.find("by the median rule after epoch") != std::string::npos,
               slow.note.c_str());
      QVERIFY2(slow.note.find("same phase") == std::string::npos, slow.note.c_str());
    } else {
      QCOMPARE(cvae::toString(slow.status), cvae::toString(MemberStatus::Completed));
    }
  }

  // Three members; a stand-in for cvae-cli writes each one's evaluations and collapse watch
  // row by row. The second member's active units fall to 0 after epoch 3: with
  // early_stop.collapse it is stopped there and marked, the others complete.
  void aCollapsedMemberIsStopped() {
    const std::string rows_dir = path("collapse-rows");
    fs::create_directories(rows_dir);
    const std::string fake = path("collapse-cli.sh");
    writeText(fake,
              "#!/bin/sh\ntrap 'exit 130' TERM\ndir=\"$4\"\nmkdir -p \"$dir\"\n"
              "cp '" +
                  base_ +
                  "' \"$dir/config.yaml\"\n"
                  "src='" +
                  rows_dir +
                  "'/$(basename \"$dir\")\n"
                  "head -n 1 \"$src.metrics\" > \"$dir/metrics.csv\"\n"
                  "head -n 1 \"$src.latent\" > \"$dir/latent.csv\"\n"
                  "for e in 2 3 4 5 6 7; do\n"
                  "  sed -n \"${e}p\" \"$src.metrics\" >> \"$dir/metrics.csv\"\n"
                  "  sed -n \"${e}p\" \"$src.latent\" >> \"$dir/latent.csv\"\n"
                  "  sleep 0.2 & wait\ndone\n");
    fs::permissions(fake, fs::perms::owner_all);
    const SweepPlan p = expandSweep(readSweepFile(
        sweepFile("set:\n  train.epochs: 6\ngrid:\n  kl_annealing.max_beta: [0.5, 1.0, 0.25]\n"
                  "early_stop: {collapse: true}\n",
                  "collapse.yaml")));
    QCOMPARE(p.members.size(), size_t(3));
    for (size_t i = 0; i < p.members.size(); ++i) {
      std::string metrics = "record,epoch,step,elapsed_s,loss,bleu\n";
      std::string latent = "record,epoch,step,elapsed_s,active_units,kl_total,kl_0,kl_1\n";
      for (int e = 0; e < 6; ++e) {
        const int active = i == 1 && e >= 2 ? 0 : 2;
        metrics += "eval," + std::to_string(e) + "," + std::to_string(10 * (e + 1)) + ",1,,0.5\n";
        latent += "eval," + std::to_string(e) + "," + std::to_string(10 * (e + 1)) + ",1," +
                  std::to_string(active) + (active ? ",0.9,0.5,0.4\n" : ",0.003,0.001,0.002\n");
      }
      writeText(rows_dir + "/" + p.members[i].name + ".metrics", metrics);
      writeText(rows_dir + "/" + p.members[i].name + ".latent", latent);
    }
    SweepRunOptions options;
    options.executable = fake;
    options.out_dir = path("collapse-out");
    options.parallel = 3;
    options.poll_seconds = 0.02;
    SweepRunner runner(p, options);
    runner.run();
    const auto& collapsed = runner.members()[1];
    QCOMPARE(cvae::toString(collapsed.status), cvae::toString(MemberStatus::Pruned));
    QVERIFY2(collapsed.note.find("posterior collapse after epoch 3: no active latent unit, KL "
                                 "0.003 nats") != std::string::npos,
             collapsed.note.c_str());
    for (size_t i : {size_t(0), size_t(2)})
      QCOMPARE(cvae::toString(runner.members()[i].status), cvae::toString(MemberStatus::Completed));

    // Without a latent to watch, or without anything to stop on, the file is refused.
    QVERIFY_THROWS_EXCEPTION(InputError,
                             readSweepFile(sweepFile("early_stop: {collapse: maybe}\n")));
    QVERIFY_THROWS_EXCEPTION(InputError,
                             readSweepFile(sweepFile("early_stop: {collapse: false}\n")));
    QVERIFY_THROWS_EXCEPTION(
        InputError, readSweepFile(sweepFile("early_stop: {collapse: true, score: bleu}\n")));
    for (const char* key : {"min_epochs: 5", "align: warmup", "min_members: 1"}) try {
        readSweepFile(sweepFile(std::string("early_stop: {collapse: true, ") + key + "}\n"));
        QFAIL(key);
      } catch (const InputError& e) {
        QVERIFY2(std::string(e.what()).find("is for the median rule") != std::string::npos,
                 e.what());
      }
    // With both, a median rule that can never decide is said to be the median rule's problem.
    const SweepPlan both = expandSweep(
        readSweepFile(sweepFile("grid:\n  kl_annealing.max_beta: [0.5, 1.0]\n"
                                "early_stop: {rule: median, score: bleu, collapse: true}\n")));
    QVERIFY(!both.warnings.empty());
    QVERIFY2(both.warnings[0].find("median rule (not its collapse watch) never stops") !=
                 std::string::npos,
             both.warnings[0].c_str());
  }

  void stopSignalStopsTheRunningAndLaunchesNoMore_data() {
    QTest::addColumn<QString>("script");
    // As cvae-cli: saves and exits 130 on SIGTERM.
    QTest::newRow("handler") << "#!/bin/sh\ntrap 'exit 130' TERM\nsleep 5 & wait\n";
    // A member stopped before its handler is set dies of the signal; still stopped, not
    // "killed from outside" (CI once caught the first script before its trap).
    QTest::newRow("no handler yet") << "#!/bin/sh\nexec sleep 5\n";
  }

  void stopSignalStopsTheRunningAndLaunchesNoMore() {
    QFETCH(QString, script);
    const std::string tag = QTest::currentDataTag()[0] == 'h' ? "handler" : "early";
    const std::string fake = path("slow-cli-" + tag + ".sh");
    writeText(fake, script.toStdString());
    fs::permissions(fake, fs::perms::owner_all);
    const SweepPlan p =
        expandSweep(readSweepFile(sweepFile("seeds: [1, 2, 3]\n", "stopping-" + tag + ".yaml")));
    std::atomic<bool> stop{false};
    SweepRunOptions options;
    options.executable = fake;
    options.out_dir = path("stopping-out-" + tag);
    options.parallel = 2;
    options.poll_seconds = 0.02;
    options.stop = &stop;
    options.on_change = [&](const std::vector<MemberState>& members) {
      if (members[0].status == MemberStatus::Running) stop = true;
    };
    std::vector<std::string> events;
    options.on_event = [&](const std::string& e) { events.push_back(e); };
    SweepRunner runner(p, options);
    QCOMPARE(runner.run(), 130);
    // The fake member writes no folder, as cvae-cli stopped while it loads its data: nothing
    // to resume from (it was said to resume from its last.pt).
    const std::string said =
        p.members[0].name + ": stopped before its first checkpoint; it starts anew on the next run";
    QVERIFY2(std::find(events.begin(), events.end(), said) != events.end(), said.c_str());
    QCOMPARE(cvae::toString(runner.members()[0].status), cvae::toString(MemberStatus::Stopped));
    QCOMPARE(cvae::toString(runner.members()[1].status), cvae::toString(MemberStatus::Stopped));
    QCOMPARE(cvae::toString(runner.members()[2].status), cvae::toString(MemberStatus::Pending));
  }

  void keysWithoutEffectOnMembersAreSaid() {
    const SweepPlan p = plan("set:\n  output.dir: elsewhere\nseeds: [1, 2]\n");
    QCOMPARE(p.warnings.size(), size_t(1));
    QVERIFY2(
        QString::fromStdString(p.warnings[0]).startsWith("'output.dir' (line 3) has no effect"),
        p.warnings[0].c_str());
    // A `set:` key idle in every member is said with the condition it needs; one that acts in
    // some member (the policy swept) is not.
    const SweepPlan cycles =
        plan("set:\n  kl_annealing.policy: monotonic\n  kl_annealing.cycles: 3\nseeds: [1, 2]\n");
    QCOMPARE(cycles.warnings.size(), size_t(1));
    QCOMPARE(cycles.warnings[0], std::string("'kl_annealing.cycles' (line 4) has no effect on the "
                                             "members: it applies when kl_annealing.policy is "
                                             "cyclical"));
    QVERIFY(plan("set:\n  kl_annealing.cycles: 3\ngrid:\n  kl_annealing.policy: [monotonic, "
                 "cyclical]\n")
                .warnings.empty());
    // A median rule that needs more members than the sweep has never stops anything.
    const SweepPlan idle = plan("seeds: [1, 2, 3]\nearly_stop: {rule: median, score: bleu}\n");
    QCOMPARE(idle.warnings.size(), size_t(1));
    QVERIFY2(idle.warnings[0].find("early_stop never stops a member: min_members 3") !=
                 std::string::npos,
             idle.warnings[0].c_str());
    QVERIFY(
        plan("seeds: [1, 2, 3, 4]\nearly_stop: {rule: median, score: bleu}\n").warnings.empty());
  }

  void parallelismFollowsCoresAndThreads() {
    const SweepPlan p = plan("seeds: [1, 2, 3, 4, 5]\n");
    auto c = chooseParallelism(p, 2, std::nullopt);
    QCOMPARE(c.parallel, 2);
    QCOMPARE(c.blas_threads, 1);
    c = chooseParallelism(p, 16, std::nullopt);
    QCOMPARE(c.parallel, 5);  // never more than the members
    QCOMPARE(c.blas_threads, 3);
    c = chooseParallelism(p, 8, 1);
    QCOMPARE(c.parallel, 1);
    QCOMPARE(c.blas_threads, 8);
    const SweepPlan threaded = plan("set:\n  train.threads: 4\nseeds: [1, 2, 3, 4, 5]\n");
    QCOMPARE(chooseParallelism(threaded, 8, std::nullopt).parallel, 2);
  }

  void slurmScriptRunsOneMemberPerTask() {
    const SweepPlan p = plan("seeds: [1, 2, 3]\n");
    SlurmOptions o;
    o.executable = "/opt/cvae/bin/cvae-cli";
    o.sweep_file = "/home/me/it's.yaml";
    o.out_dir = "/scratch/sweep";
    o.cpus_per_task = 8;
    const std::string script = slurmArrayScript(p, o);
    QVERIFY(script.find("#SBATCH --array=0-2\n") != std::string::npos);
    QVERIFY(script.find("#SBATCH --cpus-per-task=8\n") != std::string::npos);
    QVERIFY(script.find("SWEEP='/home/me/it'\\''s.yaml'\n") != std::string::npos);
    QVERIFY(script.find("--member \"$SLURM_ARRAY_TASK_ID\"") != std::string::npos);
    o.ranks_per_member = 2;
    const std::string ranks = slurmArrayScript(p, o);
    QVERIFY(ranks.find("#SBATCH --ntasks=2\n") != std::string::npos);
    QVERIFY(ranks.find("RANK=$SLURM_PROCID") != std::string::npos);
  }

  void findsRunFoldersOfSweepsAndRuns() {
    const std::string root = path("found");
    SyntheticRun run;
    writeSyntheticRun(root + "/a", run);
    writeSyntheticRun(root + "/sweep-1/000", run);
    writeSyntheticRun(root + "/sweep-1/001", run);
    fs::create_directories(root + "/sweep-1/logs");
    fs::create_directories(root + "/.hidden/x");
    writeSyntheticRun(root + "/deep/er/still/run", run);
    const auto found = findRunFolders(root, 3);
    QCOMPARE(found.size(), size_t(3));
    QCOMPARE(found[0], root + "/a");
    QCOMPARE(found[2], root + "/sweep-1/001");
  }
};

CVAE_TEST_GUILESS_MAIN(TestSweeps);
#include "test_sweeps.moc"
