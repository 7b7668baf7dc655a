// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <clocale>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <torch/nn/modules/linear.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>

#include "ErrorOf.h"
#include "TestRegistry.h"
#include "TinyData.h"
#include "core/data/TenseData.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/runs/RunFolder.h"
#include "core/training/Checkpoint.h"
#include "core/training/LatentLog.h"
#include "core/training/PreviewFile.h"
#include "core/training/ScoresFile.h"
#include "core/training/Trainer.h"
#endif

using namespace cvae;
using namespace std::chrono_literals;

namespace {

// Records what the trainer reports, from the training thread.
class RecordingObserver : public TrainingObserver {
 public:
  void onProgress(const ProgressReport& r) override {
    std::lock_guard<std::mutex> lock(mutex);
    reports.push_back(r);
    steps = r.step;
  }
  void onEvaluation(const EvaluationReport& r) override {
    std::lock_guard<std::mutex> lock(mutex);
    evaluations.push_back(r);
  }
  void onScheduleChanged(int64_t step) override { changed_at = step; }
  std::mutex mutex;
  std::vector<ProgressReport> reports;
  std::vector<EvaluationReport> evaluations;
  std::atomic<int64_t> steps{0};
  std::atomic<int64_t> changed_at{-1};
};

// A stand-in experiment whose loss turns NaN at a chosen step.
class ExplodingExperiment : public Experiment {
 public:
  explicit ExplodingExperiment(int64_t explode_at) : explode_at_(explode_at) {
    model_->register_module("linear", linear_);
  }
  std::vector<std::string> scoreNames() const override { return {"bleu"}; }
  double selectionScore(const Evaluation& e) const override { return e.scores.at("bleu"); }
  int64_t batchesPerEpoch() const override { return 4; }
  void startEpoch(std::mt19937_64&) override {}
  StepLoss trainStep(int64_t, const StepSchedule&, std::mt19937_64&) override {
    StepLoss loss;
    auto out = linear_(torch::ones({1, 2})).sum();
    loss.total = ++steps_ >= explode_at_ ? out * std::numeric_limits<double>::quiet_NaN() : out;
    loss.items = 1;
    return loss;
  }
  Evaluation evaluate() override {
    Evaluation e;
    e.scores["bleu"] = 0.25;
    return e;
  }
  torch::nn::Module& model() override { return *model_; }

 private:
  int64_t explode_at_;
  int64_t steps_ = 0;
  std::shared_ptr<torch::nn::Module> model_ = std::make_shared<torch::nn::Module>();
  torch::nn::Linear linear_{2, 1};
};

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // The registry builds each experiment of the facts table once, under its own kind.
  void registryMatchesTheExperimentFacts() {
    QCOMPARE(experimentRegistry().size(), experimentFactsTable().size());
    for (const auto& facts : experimentFactsTable()) {
      const auto& entry = experimentEntry(facts.kind);
      QVERIFY(entry.kind == facts.kind);
      QCOMPARE(entry.title, facts.title);
      QCOMPARE(entry.score_names, facts.score_names);
      QCOMPARE(entry.score_labels.size(), facts.score_names.size());
      QVERIFY(entry.make_default_data && entry.create && entry.estimate_batches_per_epoch);
    }
  }

  void completedRunWritesItsDirectory() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 6;
    config.evaluation.every_epochs = 2;
    RecordingObserver observer;
    RunControl control;
    Trainer trainer(config, observer, control);
    const auto result = trainer.run();
    QCOMPARE(result.status, RunStatus::Completed);
    namespace fs = std::filesystem;
    for (const char* file : {"config.yaml", "metrics.csv", "best.pt", "last.pt", "previews.tsv"})
      QVERIFY2(fs::exists(fs::path(result.run_dir) / file), file);
    QCOMPARE(observer.reports.size(), size_t(6 * 4));  // 8 rows x 4 tenses / batch 8, 6 epochs
    QCOMPARE(observer.evaluations.size(), size_t(3));  // every 2 epochs
    auto epochMean = [&](int epoch) {
      double sum = 0;
      for (int i = 0; i < 4; ++i) sum += observer.reports[epoch * 4 + i].reconstruction;
      return sum / 4;
    };
    QVERIFY2(epochMean(5) < 0.8 * epochMean(0),
             qPrintable(QString("%1 -> %2").arg(epochMean(0)).arg(epochMean(5))));
    QFile csv(QString::fromStdString(result.run_dir + "/metrics.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const auto lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QVERIFY(lines[0].startsWith("record,epoch,step,elapsed_s,loss"));
    QVERIFY(lines[0].endsWith(",bleu,gaussian"));
    QCOMPARE(lines.size(), 1 + 24 + 3);

    // The collapse watch: one row per evaluation, the KL of each latent dimension.
    MetricsColumns latent_columns;
    const auto latent = readMetricsFile(result.run_dir + "/latent.csv", &latent_columns);
    QCOMPARE(latent.size(), size_t(3));
    QCOMPARE(latent_columns.names(), LatentLog::columns(config.model.latent_size));
    QCOMPARE(latent[2].step, int64_t(24));
    double sum = 0;
    for (int j = 0; j < config.model.latent_size; ++j) {
      const double kl = latent_columns.value(latent[2], "kl_" + std::to_string(j));
      QVERIFY(kl >= 0);
      sum += kl;
    }
    QVERIFY(std::abs(sum - latent_columns.value(latent[2], "kl_total")) < 1e-6);
    const double active = latent_columns.value(latent[2], "active_units");
    QVERIFY(active >= 0 && active <= config.model.latent_size);
  }

  void pauseEditResumeAndStopFromAnotherThread() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 100000;  // runs until stopped
    config.evaluation.every_epochs = 1000000;
    RecordingObserver observer;
    RunControl control;
    Trainer trainer(config, observer, control);
    RunResult result;
    std::thread worker([&] { result = trainer.run(); });

    QVERIFY(waitFor([&] { return observer.steps >= 3; }, 60s));
    control.pause();
    QVERIFY(waitFor([&] { return control.isPaused(); }, 1s));
    std::this_thread::sleep_for(100ms);  // let a step in flight finish
    const int64_t paused_at = observer.steps;
    std::this_thread::sleep_for(600ms);
    QCOMPARE(observer.steps.load(), paused_at);

    ScheduleEdit edit;
    edit.kl.policy = KlPolicy::Constant;
    edit.kl.max_beta = 0.125;
    edit.teacher_forcing = {0.5, 0, 0.0, 0.5};
    edit.learning_rate = 5e-4;
    control.submitEdit(edit);
    control.resume();
    QVERIFY(waitFor([&] { return observer.steps >= paused_at + 3; }, 60s));
    QCOMPARE(observer.changed_at.load(), paused_at);
    {
      std::lock_guard<std::mutex> lock(observer.mutex);
      const auto& last = observer.reports.back();
      QCOMPARE(last.beta, 0.125);
      QCOMPARE(last.teacher_forcing, 0.5);
      QCOMPARE(last.learning_rate, 5e-4);
      // The 700 ms paused are not training time: the step after the pause adds only its own.
      double before = -1, after = -1;
      for (const auto& r : observer.reports) {
        if (r.step == paused_at) before = r.elapsed_seconds;
        if (r.step == paused_at + 1) after = r.elapsed_seconds;
      }
      QVERIFY(before >= 0 && after >= 0);
      QVERIFY2(after - before < 0.3,
               qPrintable(QString("%1 s across the pause").arg(after - before)));
    }

    const auto stop_pressed = std::chrono::steady_clock::now();
    control.requestStop();
    worker.join();
    QVERIFY(std::chrono::steady_clock::now() - stop_pressed < 1s);
    QCOMPARE(result.status, RunStatus::Stopped);
    QVERIFY(std::filesystem::exists(result.run_dir + "/last.pt"));

    // The edit is recorded in the run folder: when, and which keys from what to what; the
    // checkpoint carries the schedule as it ran.
    const auto edits = RunFolder::open(result.run_dir).readEdits();
    QCOMPARE(edits.size(), size_t(1));
    QCOMPARE(edits[0].step, paused_at);
    std::map<std::string, std::pair<std::string, std::string>> changed;
    for (const auto& c : edits[0].changes) changed[c.key] = {c.from, c.to};
    QVERIFY(changed.size() >= 5);
    QCOMPARE(changed["kl_annealing.policy"],
             std::make_pair(std::string("cyclical"), std::string("constant")));
    QCOMPARE(changed["kl_annealing.max_beta"],
             std::make_pair(std::string("1.0"), std::string("0.125")));
    QCOMPARE(changed["optimizer.learning_rate"],
             std::make_pair(std::string("0.01"), std::string("0.0005")));
    QVERIFY(changed.count("teacher_forcing.initial") && changed.count("teacher_forcing.floor"));
    const auto ran = checkpointConfig(result.run_dir + "/last.pt");
    QCOMPARE(ran.kl.max_beta, 0.125);
    QCOMPARE(RunFolder::open(result.run_dir).readConfig().kl.max_beta, 1.0);  // as it started
  }

  void stopWhilePausedEndsTheRun() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 100000;
    RecordingObserver observer;
    RunControl control;
    control.pause();
    Trainer trainer(config, observer, control);
    RunResult result;
    std::thread worker([&] { result = trainer.run(); });
    std::this_thread::sleep_for(200ms);
    control.requestStop();
    worker.join();
    QCOMPARE(result.status, RunStatus::Stopped);
    QCOMPARE(observer.steps.load(), int64_t(0));
  }

  void nonFiniteLossStopsAndKeepsTheLastGoodCheckpoint() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 10;
    RecordingObserver observer;
    RunControl control;
    // A run whose loss becomes NaN at step `at` (0-based).
    const auto explodingRun = [&](const ExperimentConfig& c, int at) {
      Trainer trainer(c, observer, control);
      trainer.setExperimentFactory([at](const ExperimentConfig&, c10::Device) {
        return std::unique_ptr<Experiment>(new ExplodingExperiment(at));
      });
      return trainer.run();
    };
    const auto result = explodingRun(config, 10);
    QCOMPARE(result.status, RunStatus::Failed);
    QVERIFY2(result.message.find("the loss became nan at epoch 3, step 10") != std::string::npos,
             result.message.c_str());
    QVERIFY2(result.message.find("last.pt") != std::string::npos, result.message.c_str());
    QCOMPARE(observer.reports.size(), size_t(9));
    const auto info = readCheckpointInfo(result.run_dir + "/last.pt");
    QCOMPARE(info.step, int64_t(8));  // written after epoch 2, before the loss exploded
    QVERIFY2(result.message.find("lower learning rate") != std::string::npos,
             result.message.c_str());

    // At the first step no update has happened yet: the message points at the data instead.
    auto first_config = config;
    first_config.name = "exploding-at-once";
    const auto at_once = explodingRun(first_config, 0);
    QCOMPARE(at_once.status, RunStatus::Failed);
    QVERIFY2(at_once.message.find("At the first step this points at the data") != std::string::npos,
             at_once.message.c_str());
  }

  void previewFileRoundTripAndErrors() {
    QTemporaryDir dir;
    SavedPreviews saved;
    saved.epoch = 4;
    saved.step = 99;
    saved.evaluation.notes = {"a note"};
    PreviewTable table;
    table.title = "T";
    table.columns = {"a", "b"};
    table.rows = {{"x", "y\tz"}, {"", "w"}};
    table.row_ok = {true, false};
    saved.evaluation.previews = {table};
    const std::string path = dir.filePath("p.tsv").toStdString();
    writePreviewFile(path, saved);
    const auto back = readPreviewFile(path);
    QCOMPARE(back.epoch, 4);
    QCOMPARE(back.step, int64_t(99));
    QCOMPARE(back.evaluation.notes, saved.evaluation.notes);
    QCOMPARE(back.evaluation.previews[0].rows[0][1], std::string("y z"));  // tabs cannot survive
    QCOMPARE(back.evaluation.previews[0].rows[1][0], std::string(""));
    QCOMPARE(back.evaluation.previews[0].row_ok, (std::vector<bool>{true, false}));

    QFile bad(dir.filePath("bad.tsv"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("## T\na\tok\nx\ty\t1\n");
    bad.close();
    const auto message = errorOf([&] { readPreviewFile(dir.filePath("bad.tsv").toStdString()); });
    QVERIFY2(message.find("bad.tsv:3: expected 2 cells") != std::string::npos, message.c_str());
  }

  // evaluate --save-previews' scores.yaml: every score and spread read back as written, in a
  // comma-decimal locale too; a malformed file named with its line and key.
  void scoresFileRoundTrip() {
    QTemporaryDir dir;
    SavedScores scores;
    scores.checkpoint = "/runs/a b/best.pt";
    scores.test_file = "test: one.txt";  // needs quoting
    scores.epoch = 7;
    scores.step = 1234;
    scores.scores = {{"bleu4", 0.123456789}, {"gaussian", 0.74}};
    scores.spread["gaussian"] = MeanStd{3, 0.74, 0.0312, 0.7, 0.77};
    const std::string path = dir.filePath("scores.yaml").toStdString();
    const char* before = std::setlocale(LC_NUMERIC, nullptr);
    const std::string saved_locale = before ? before : "C";
    std::setlocale(LC_NUMERIC, "de_DE.UTF-8");  // where installed; C otherwise
    writeScoresFile(path, scores);
    const auto back = readScoresFile(path);
    std::setlocale(LC_NUMERIC, saved_locale.c_str());
    QCOMPARE(back.checkpoint, scores.checkpoint);
    QCOMPARE(back.test_file, scores.test_file);
    QCOMPARE(back.epoch, 7);
    QCOMPARE(back.step, int64_t(1234));
    QCOMPARE(back.scores, scores.scores);
    QCOMPARE(back.spread.size(), size_t(1));
    QCOMPARE(back.spread.at("gaussian").std, 0.0312);
    QCOMPARE(back.spread.at("gaussian").min, 0.7);
    QCOMPARE(back.spread.at("gaussian").max, 0.77);
    QCOMPARE(back.spread.at("gaussian").n, 3);
    QCOMPARE(back.spread.at("gaussian").mean, 0.74);
  }

  void scoresFileErrorsNameTheLineAndKey_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const QString head = "checkpoint: a.pt\ntest: t.txt\nepoch: 2\nstep: 10\n";
    QTest::newRow("score not a number")
        << head + "scores:\n  bleu4: high\n"
        << "s.yaml:6:10: key 'bleu4': expected a number, got 'high'";
    QTest::newRow("comma decimal") << head + "scores:\n  bleu4: 0,5\n"
                                   << "s.yaml:6:10: key 'bleu4': expected a number, got '0,5'";
    QTest::newRow("scores a list") << head + "scores: [1, 2]\n"
                                   << "s.yaml:5:9: key 'scores': expected a mapping";
    QTest::newRow("step missing") << "checkpoint: a.pt\nepoch: 2\nscores: {}\n"
                                  << "s.yaml:1:1: key 'step' is missing";
    QTest::newRow("negative epoch") << "epoch: -1\nstep: 3\n"
                                    << "s.yaml:1:8: key 'epoch': expected a whole number in [0, ";
    QTest::newRow("spread of no score")
        << head + "scores: {bleu4: 0.5}\nspread:\n  gaussian: {sd: 0.1, min: 0, max: 1, seeds: 3}\n"
        << "s.yaml:7:3: key 'spread': 'gaussian' is not one of the scores";
    QTest::newRow("spread without seeds")
        << head + "scores: {g: 0.5}\nspread:\n  g: {sd: 0.1, min: 0, max: 1}\n"
        << "s.yaml:7:6: key 'seeds' is missing";
    QTest::newRow("a list as a score's name") << head + "scores:\n  ? [a]\n  : 1\n"
                                              << "s.yaml:6:5: a score's name must be a plain name";
    QTest::newRow("negative sd")
        << head + "scores: {g: 0.5}\nspread:\n  g: {sd: -3, min: 0, max: 1, seeds: 3}\n"
        << "s.yaml:7:11: key 'sd': a standard deviation is 0 or more, not -3";
    QTest::newRow("min above max")
        << head + "scores: {g: 0.5}\nspread:\n  g: {sd: 0.1, min: 2, max: 1, seeds: 3}\n"
        << "s.yaml:7:6: key 'g': min 2 is above max 1";
    QTest::newRow("not a mapping") << "- 1\n- 2\n"
                                   << "s.yaml: not a scores file (expected a mapping)";
    QTest::newRow("malformed YAML") << "epoch: [1\n"
                                    << "s.yaml:2:1: ";
  }

  void scoresFileErrorsNameTheLineAndKey() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QFile file(dir.filePath("s.yaml"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text.toUtf8());
    file.close();
    const auto message = errorOf([&] { readScoresFile(dir.filePath("s.yaml").toStdString()); });
    const std::string want = dir.filePath(expected).toStdString();
    QVERIFY2(message.find(want) == 0, ("got: " + message + "\nwant: " + want).c_str());
  }

  void badDataFailsWithTheFileNamed() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.data.train = dir.filePath("missing.txt").toStdString();
    TrainingObserver quiet;
    RunControl control;
    const auto result = Trainer(config, quiet, control).run();
    QCOMPARE(result.status, RunStatus::Failed);
    QVERIFY2(result.message.rfind("data.train: ", 0) == 0 &&
                 result.message.find("missing.txt: cannot open") != std::string::npos,
             result.message.c_str());
  }

  // A word longer than model.max_length fails the run before training, naming the key, the
  // file and its line; a test file's too. The experiment itself is made (a probe of a trained
  // model may lower the bound on purpose).
  void aWordLongerThanTheModelWritesFailsTheRun() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.model.max_length = 6;
    TrainingObserver quiet;
    RunControl control;
    const auto result = Trainer(config, quiet, control).run();
    QCOMPARE(result.status, RunStatus::Failed);
    QVERIFY2(result.message.rfind("data.train: " + config.data.train + ":", 0) == 0 &&
                 result.message.find("letters; this model writes words of at most 6 "
                                     "(model.max_length)") != std::string::npos,
             result.message.c_str());
    QVERIFY(!std::filesystem::exists(config.output.dir));  // refused before the run folder
    const auto experiment = experimentEntry(config.kind).create(config, torch::kCPU);
    QVERIFY(errorOf([&] { experiment->requireTrainableData(); }) == result.message);
    config.model.max_length = 9;  // the training words fit ("beginning")
    writeTenseTestFile(config.data.test,
                       {{"abet", "abetted", Tense::SimplePresent, Tense::SimplePast},
                        {"go", "overtaking", Tense::SimplePresent, Tense::Progressive}});
    const auto test = Trainer(config, quiet, control).run();
    QCOMPARE(test.status, RunStatus::Failed);
    QCOMPARE(test.message, "data.test: " + config.data.test +
                               ":2: word 'overtaking' has 10 letters; this model writes words of "
                               "at most 9 (model.max_length)");
  }

  // A stop asked for while the data loads ends the run before its folder is made (it trained a
  // step and wrote a run of it); a resumed run's folder is left as it was.
  void aStopWhileTheDataLoadsMakesNoRun() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    TrainingObserver quiet;
    RunControl control;
    Trainer trainer(config, quiet, control);
    trainer.setExperimentFactory([&](const ExperimentConfig& c, c10::Device device) {
      control.requestStop();  // as SIGTERM's handler does, while the files are read
      return experimentEntry(c.kind).create(c, device);
    });
    const auto result = trainer.run();
    QCOMPARE(result.status, RunStatus::Stopped);
    QCOMPARE(result.message, std::string("stopped before the first step; nothing was trained"));
    QCOMPARE(result.steps_done, int64_t(0));
    QVERIFY(!std::filesystem::exists(config.output.dir));
  }

  // A run that fails in its third epoch says how far it got: status.yaml had epochs_done 0.
  void aFailedRunRecordsHowFarItGot() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 5;
    config.evaluation.every_epochs = 1;
    struct FailAtThirdEvaluation : TrainingObserver {
      void onEvaluation(const EvaluationReport& report) override {
        if (report.epoch == 2) throw std::runtime_error("a frame cannot be read");
      }
    } failing;
    RunControl control;
    const auto result = Trainer(config, failing, control).run();
    QCOMPARE(result.status, RunStatus::Failed);
    QCOMPARE(result.epochs_done, 2);
    QVERIFY(result.steps_done > 0);
    const auto record = RunFolder::open(result.run_dir).readRecord();
    QVERIFY(record);
    QVERIFY(record->state == RunState::Failed);
    QCOMPARE(record->epochs_done, 2);
    QCOMPARE(record->steps_done, result.steps_done);
  }

  // optimizer.name: adamw decouples the weight decay from the gradient (Loshchilov & Hutter
  // 2019): with a zero gradient, a step shrinks each weight by lr·wd exactly, where Adam's
  // L2 decay would move it by about lr.
  void adamwDecaysTheWeightsDecoupled() {
    OptimizerConfig c;
    c.name = "adamw";
    c.learning_rate = 0.01;
    c.weight_decay = 0.1;
    auto weight = torch::ones({3}, torch::requires_grad());
    weight.mutable_grad() = torch::zeros({3});
    auto optimizer = makeOptimizer(c, {weight});
    QVERIFY(dynamic_cast<torch::optim::AdamW*>(optimizer.get()));
    optimizer->step();
    optimizer->step();
    QVERIFY(torch::allclose(weight.detach(), torch::full({3}, 0.999 * 0.999), 1e-6, 1e-7));
    c.name = "adam";
    auto adam_weight = torch::ones({3}, torch::requires_grad());
    adam_weight.mutable_grad() = torch::zeros({3});
    auto adam = makeOptimizer(c, {adam_weight});
    QVERIFY(!dynamic_cast<torch::optim::AdamW*>(adam.get()));
    adam->step();
    QVERIFY(adam_weight.detach()[0].item<double>() < 0.991);  // about 1 − lr
  }

  // Where the embedded data sets go: CVAE_DATA_DIR, else $XDG_DATA_HOME/cvae-workbench/data,
  // else ~/.local/share/cvae-workbench/data; empty data paths are filled from there, making
  // the data set the first time only.
  void embeddedDataGoesToTheUsersDataFolder() {
    const QByteArray saved_data = qgetenv("CVAE_DATA_DIR"), saved_xdg = qgetenv("XDG_DATA_HOME"),
                     saved_home = qgetenv("HOME");
    qunsetenv("CVAE_DATA_DIR");
    qputenv("XDG_DATA_HOME", "/x/share");
    qputenv("HOME", "/h");
    QCOMPARE(embeddedDataDir(), std::string("/x/share/cvae-workbench/data"));
    qunsetenv("XDG_DATA_HOME");
    QCOMPARE(embeddedDataDir(), std::string("/h/.local/share/cvae-workbench/data"));
    QCOMPARE(embeddedDataFiles(ExperimentKind::Spelling).train,
             std::string("/h/.local/share/cvae-workbench/data/spelling/train.json"));
    QTemporaryDir dir;
    qputenv("CVAE_DATA_DIR", dir.filePath("data").toUtf8());
    QCOMPARE(embeddedDataDir(), dir.filePath("data").toStdString());

    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    config.data.train.clear();
    config.data.test.clear();
    std::vector<std::string> messages;
    QVERIFY(resolveDataPaths(config, [&](const std::string& m) { messages.push_back(m); }));
    QCOMPARE(config.data.train, dir.filePath("data/tense/train.txt").toStdString());
    QCOMPARE(config.data.test, dir.filePath("data/tense/test.txt").toStdString());
    QCOMPARE(readTenseTrainingFile(config.data.train).size(), size_t(2000));
    QVERIFY(!messages.empty());
    auto again = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    again.data.train.clear();
    again.data.test = "my/test.txt";    // a path the user gave is kept
    QVERIFY(!resolveDataPaths(again));  // made already
    QCOMPARE(again.data.train, config.data.train);
    QCOMPARE(again.data.test, std::string("my/test.txt"));

    auto restore = [](const char* name, const QByteArray& value) {
      if (value.isNull())
        qunsetenv(name);
      else
        qputenv(name, value);
    };
    restore("CVAE_DATA_DIR", saved_data);
    restore("XDG_DATA_HOME", saved_xdg);
    restore("HOME", saved_home);
  }
};

CVAE_TEST_GUILESS_MAIN(TestTrainer);
#include "test_trainer.moc"
