// Data-parallel training over c10d/Gloo on loopback: ranks run as threads of this process,
// each with its own Trainer and process group, exactly as separate processes would.
// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/nn/functional/loss.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

#include <filesystem>
#include <thread>

#include "SameTensors.h"
#include "TestRegistry.h"
#include "core/config/ConfigError.h"
#include "core/training/Checkpoint.h"
#include "core/training/RunStart.h"
#include "core/training/Trainer.h"
#endif

using namespace cvae;

namespace {

// Least squares on 32 fixed items, batches taken in order: batch b of size B holds items
// [bB, (b+1)B), so two ranks with B items each see exactly what one rank with 2B sees.
class RegressionExperiment : public Experiment {
 public:
  RegressionExperiment(int64_t batch, std::uint64_t init_seed, int crash_at_step)
      : batch_(batch), crash_at_step_(crash_at_step) {
    // Weights from the seed by formula, not from torch's global generator: the ranks of this
    // test are threads of one process and would race on it.
    linear_ = torch::nn::Linear(4, 1);
    torch::NoGradGuard no_grad;
    linear_->weight.copy_(torch::arange(4, torch::kFloat).view({1, 4}) * 0.1 +
                          static_cast<double>(init_seed % 7) * 0.05);
    linear_->bias.fill_(static_cast<double>(init_seed % 5) * 0.1);
    const auto i = torch::arange(32, torch::kFloat).unsqueeze(1);
    x_ = torch::cat({torch::sin(i), torch::cos(0.5 * i), i / 32, torch::ones_like(i)}, 1);
    y_ = x_.matmul(torch::tensor({{1.5f}, {-2.0f}, {0.5f}, {0.25f}}));
  }
  std::vector<std::string> scoreNames() const override { return {"fit"}; }
  double selectionScore(const Evaluation& e) const override { return e.scores.at("fit"); }
  int64_t batchesPerEpoch() const override { return 32 / batch_; }
  void startEpoch(std::mt19937_64&) override {}
  StepLoss trainStep(int64_t b, const StepSchedule&, std::mt19937_64&) override {
    if (++steps_ == crash_at_step_) throw std::runtime_error("simulated crash of this rank");
    const auto x = x_.slice(0, b * batch_, (b + 1) * batch_);
    const auto y = y_.slice(0, b * batch_, (b + 1) * batch_);
    StepLoss loss;
    loss.total = torch::nn::functional::mse_loss(linear_(x), y);
    loss.reconstruction = loss.total.item<double>();
    loss.items = batch_;
    return loss;
  }
  Evaluation evaluate() override {
    torch::NoGradGuard no_grad;
    Evaluation e;
    e.scores["fit"] = -torch::nn::functional::mse_loss(linear_(x_), y_).item<double>();
    return e;
  }
  torch::nn::Module& model() override { return *linear_; }

 private:
  int64_t batch_;
  int crash_at_step_;
  int steps_ = 0;
  torch::nn::Linear linear_{nullptr};
  torch::Tensor x_, y_;
};

ExperimentConfig regressionConfig(const QTemporaryDir& dir, int batch) {
  auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
  config.data.train = "unused";  // the stand-in experiment has its own data
  config.data.test = "unused";
  config.train.epochs = 3;
  config.train.batch_size = batch;
  config.train.device = "cpu";
  config.optimizer.name = "sgd";
  config.optimizer.learning_rate = 0.1;
  config.optimizer.momentum = 0.0;
  config.optimizer.grad_clip = 0.0;
  config.output.dir = dir.filePath("runs").toStdString();
  return config;
}

struct RankResult {
  RunResult run;
};

// Trains one rank; `init_seed` differs per rank so that only the broadcast makes them agree.
// Asks for a stop once `stop_at` steps are done (never when -1).
class StopAt : public TrainingObserver {
 public:
  StopAt(RunControl& control, int64_t stop_at) : control_(control), stop_at_(stop_at) {}
  void onProgress(const ProgressReport& r) override {
    if (r.step == stop_at_) control_.requestStop();
  }

 private:
  RunControl& control_;
  int64_t stop_at_;
};

RankResult trainRank(const ExperimentConfig& config, const std::string& run_dir,
                     const DistributedSettings* distributed, std::uint64_t init_seed,
                     int crash_at_step = -1, const RunOrigin* origin = nullptr,
                     int64_t stop_at = -1) {
  RunControl control;
  StopAt quiet(control, stop_at);
  Trainer trainer(config, quiet, control);
  if (origin)
    trainer.setOrigin(*origin);
  else
    trainer.setRunDirectory(run_dir);
  RegressionExperiment* experiment = nullptr;
  trainer.setExperimentFactory([&](const ExperimentConfig& c, c10::Device) {
    auto e = std::make_unique<RegressionExperiment>(c.train.batch_size, init_seed, crash_at_step);
    experiment = e.get();
    return std::unique_ptr<Experiment>(std::move(e));
  });
  if (distributed) trainer.setDistributed(*distributed);
  RankResult result;
  result.run = trainer.run();
  return result;
}

int freePort() {
  // Tests may run in parallel: spread the ports by process id.
  return 20000 + static_cast<int>(QCoreApplication::applicationPid() % 20000);
}

// Rank `rank` of two over loopback, at freePort() + `port_offset` (each test its own port).
DistributedSettings twoRanks(int port_offset, int timeout_seconds, int rank = 0) {
  DistributedSettings settings;
  settings.world_size = 2;
  settings.rank = rank;
  settings.master_port = freePort() + port_offset;
  settings.timeout_seconds = timeout_seconds;
  return settings;
}

std::vector<torch::Tensor> lastParameters(const std::string& run_dir) {
  RegressionExperiment experiment(8, 0, -1);
  loadCheckpoint(run_dir + "/last.pt", experiment.model());
  std::vector<torch::Tensor> out;
  for (const auto& p : experiment.model().parameters()) out.push_back(p.detach().clone());
  return out;
}

}  // namespace

class TestDistributed : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { at::set_num_threads(1); }

  void twoRanksMatchOneRankWithTheirCombinedBatch() {
    QTemporaryDir dir;
    const auto single =
        trainRank(regressionConfig(dir, 8), dir.filePath("single").toStdString(), nullptr, 1);
    QCOMPARE(single.run.status, RunStatus::Completed);

    auto settings = twoRanks(0, 30);
    RankResult ranks[2];
    std::thread other([&] {
      auto s = settings;
      s.rank = 1;
      ranks[1] = trainRank(regressionConfig(dir, 4), dir.filePath("rank1").toStdString(), &s, 2);
    });
    ranks[0] =
        trainRank(regressionConfig(dir, 4), dir.filePath("rank0").toStdString(), &settings, 1);
    other.join();
    QVERIFY2(ranks[0].run.status == RunStatus::Completed, ranks[0].run.message.c_str());
    QVERIFY2(ranks[1].run.status == RunStatus::Completed, ranks[1].run.message.c_str());
    QCOMPARE(ranks[0].run.steps_done, single.run.steps_done);

    const auto expected = lastParameters(dir.filePath("single").toStdString());
    const auto got = lastParameters(dir.filePath("rank0").toStdString());
    const auto difference = tensorListDifference(expected, got, 1e-5, 1e-6);
    QVERIFY2(difference.empty(), difference.c_str());
    // Only rank 0 writes the run folder.
    QVERIFY(std::filesystem::exists(dir.filePath("rank0/metrics.csv").toStdString()));
    QVERIFY(!std::filesystem::exists(dir.filePath("rank1").toStdString()));
  }

  // A two-rank run stopped after 3 steps and resumed (rank 0 reads last.pt and sends it to
  // rank 1) ends with the weights of the same two-rank run left alone.
  void aStoppedTwoRankRunResumesExactly() {
    QTemporaryDir dir;
    auto settings = twoRanks(1, 30);
    auto trainBoth = [&](const std::string& run_dir, const RunOrigin* origin, int64_t stop_at) {
      RankResult ranks[2];
      std::thread other([&] {
        auto s = settings;
        s.rank = 1;
        ranks[1] = trainRank(regressionConfig(dir, 4), "", &s, 2, -1, origin, stop_at);
      });
      ranks[0] = trainRank(regressionConfig(dir, 4), run_dir, &settings, 1, -1, origin, stop_at);
      other.join();
      return std::make_pair(ranks[0].run, ranks[1].run);
    };
    const auto whole = trainBoth(dir.filePath("whole").toStdString(), nullptr, -1);
    QVERIFY2(whole.first.status == RunStatus::Completed, whole.first.message.c_str());
    const std::string run = dir.filePath("stopped").toStdString();
    const auto stopped = trainBoth(run, nullptr, 3);
    QVERIFY2(stopped.first.status == RunStatus::Stopped, stopped.first.message.c_str());
    QVERIFY2(stopped.second.status == RunStatus::Stopped, stopped.second.message.c_str());
    QCOMPARE(readCheckpointInfo(run + "/last.pt").step,
             int64_t(4));  // stopped with the step agreed on
    const auto prepared = prepareResume(run, {});
    const auto resumed = trainBoth(run, &prepared.origin, -1);
    QVERIFY2(resumed.first.status == RunStatus::Completed, resumed.first.message.c_str());
    QVERIFY2(resumed.second.status == RunStatus::Completed, resumed.second.message.c_str());
    const auto expected = lastParameters(dir.filePath("whole").toStdString());
    const auto got = lastParameters(run);
    const auto difference = tensorListDifference(expected, got);
    QVERIFY2(difference.empty(), difference.c_str());
  }

  void aRankThatDiesStopsTheOthers() {
    QTemporaryDir dir;
    auto settings = twoRanks(1, 5);
    RankResult ranks[2];
    QElapsedTimer clock;
    clock.start();
    std::thread other([&] {
      auto s = settings;
      s.rank = 1;
      ranks[1] = trainRank(regressionConfig(dir, 4), dir.filePath("rank1").toStdString(), &s, 1,
                           /*crash_at_step=*/3);
    });
    ranks[0] =
        trainRank(regressionConfig(dir, 4), dir.filePath("rank0").toStdString(), &settings, 1);
    other.join();
    QCOMPARE(ranks[1].run.status, RunStatus::Failed);
    QVERIFY(ranks[1].run.message.find("simulated crash") != std::string::npos);
    QCOMPARE(ranks[0].run.status, RunStatus::Failed);
    QVERIFY2(ranks[0].run.message.find("rank 0: lost contact with the other ranks") == 0,
             ranks[0].run.message.c_str());
    QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
  }

  // One batch an epoch cannot be shared by two ranks: both say so and nothing is written.
  void fewerBatchesThanRanksIsNamed() {
    QTemporaryDir dir;
    auto settings = twoRanks(4, 30);
    RankResult ranks[2];
    std::thread other([&] {
      auto s = settings;
      s.rank = 1;
      ranks[1] = trainRank(regressionConfig(dir, 32), dir.filePath("rank1").toStdString(), &s, 2);
    });
    ranks[0] =
        trainRank(regressionConfig(dir, 32), dir.filePath("rank0").toStdString(), &settings, 1);
    other.join();
    for (const auto& rank : ranks) {
      QCOMPARE(rank.run.status, RunStatus::Failed);
      QVERIFY2(rank.run.message.find("the training set gives 1 batches per epoch, fewer than the "
                                     "2 ranks") != std::string::npos,
               rank.run.message.c_str());
    }
    QVERIFY(!std::filesystem::exists(dir.filePath("rank0/last.pt").toStdString()));
  }

  void aRankThatNeverJoinsTimesOut() {
    QTemporaryDir dir;
    auto settings = twoRanks(2, 2);
    QElapsedTimer clock;
    clock.start();
    const auto alone =
        trainRank(regressionConfig(dir, 4), dir.filePath("rank0").toStdString(), &settings, 1);
    QCOMPARE(alone.run.status, RunStatus::Failed);
    QVERIFY2(alone.run.message.find("rank 0 of 2: cannot join the group at 127.0.0.1:") == 0,
             alone.run.message.c_str());
    QVERIFY2(clock.elapsed() < 15000, qPrintable(QString::number(clock.elapsed())));
  }

  // A stop asked while a rank waits for the others ends the wait at once (it held for the
  // whole timeout): rank 0 whose peers never come, a rank whose rank 0 never comes.
  void aStopEndsTheWaitToJoin_data() {
    QTest::addColumn<int>("rank");
    QTest::addColumn<QString>("expected");
    QTest::newRow("rank 0 alone")
        << 0 << "stopped while waiting for the other ranks to join (1 of 2 have)";
    QTest::newRow("rank 1 alone") << 1 << "stopped while waiting for rank 0 to start";
  }

  void aStopEndsTheWaitToJoin() {
    QFETCH(int, rank);
    QFETCH(QString, expected);
    auto settings = twoRanks(3, 60, rank);
    QElapsedTimer clock;
    clock.start();
    std::string message;
    try {
      DataParallelGroup group(settings, [&] { return clock.elapsed() > 500; });
    } catch (const JoinStopped& e) {
      message = e.what();
    }
    QCOMPARE(QString::fromStdString(message), expected);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
  }

  // The trainer reports such a stop as stopped, not failed, and writes no run folder.
  void aRunStoppedBeforeItsRanksJoinedIsStopped() {
    QTemporaryDir dir;
    auto settings = twoRanks(4, 60);
    RunControl control;
    control.requestStop();
    StopAt quiet(control, -1);
    Trainer trainer(regressionConfig(dir, 4), quiet, control);
    trainer.setRunDirectory(dir.filePath("run").toStdString());
    trainer.setExperimentFactory([](const ExperimentConfig& c, c10::Device) {
      return std::unique_ptr<Experiment>(
          std::make_unique<RegressionExperiment>(c.train.batch_size, 1, -1));
    });
    trainer.setDistributed(settings);
    const auto result = trainer.run();
    QCOMPARE(result.status, RunStatus::Stopped);
    QCOMPARE(result.message, std::string("stopped while waiting for the other ranks to join (1 of "
                                         "2 have); nothing was trained"));
    QVERIFY(!std::filesystem::exists(dir.filePath("run").toStdString()));
  }

  void settingsComeFromTheEnvironmentAndOptions() {
    qputenv("WORLD_SIZE", "4");
    qputenv("RANK", "3");
    qputenv("MASTER_ADDR", "node7");
    qputenv("MASTER_PORT", "1234");
    auto s = distributedSettingsFromEnvironment();
    QCOMPARE(s.world_size, 4);
    QCOMPARE(s.rank, 3);
    QCOMPARE(s.master_addr, std::string("node7"));
    QCOMPARE(s.master_port, 1234);
    parseMaster("10.0.0.2:29600", s);
    QCOMPARE(s.master_addr, std::string("10.0.0.2"));
    QCOMPARE(s.master_port, 29600);
    qputenv("RANK", "x");
    bool threw = false;
    try {
      distributedSettingsFromEnvironment();
    } catch (const InputError& e) {
      threw = std::string(e.what()).find("RANK='x'") != std::string::npos;
    }
    QVERIFY(threw);
    s.rank = 4;
    QVERIFY_THROWS_EXCEPTION(InputError, validateDistributedSettings(s));
    qunsetenv("WORLD_SIZE");
    qunsetenv("RANK");
    qunsetenv("MASTER_ADDR");
    qunsetenv("MASTER_PORT");
  }
};

CVAE_TEST_GUILESS_MAIN(TestDistributed);
#include "test_distributed.moc"
