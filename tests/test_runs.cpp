// Run folders (core/runs) and what rests on them: metrics.csv by column name, status records,
// and runs that are resumed or forked (training/RunStart, Trainer).
// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <torch/optim/adam.h>
#include <torch/serialize.h>
#include <torch/serialize/output-archive.h>
#include "ErrorOf.h"
#include "TestRegistry.h"
#include "TextFiles.h"
#include "TinyData.h"

#include "core/config/ConfigIo.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/io/NumberText.h"
#include "core/runs/ForkTree.h"
#include "core/runs/MetricsFile.h"
#include "core/runs/RunFolder.h"
#include "core/schedules/Schedules.h"
#include "core/training/CheckpointLoader.h"
#include "core/training/LatentLog.h"
#include "core/training/RunStart.h"
#include "core/training/Trainer.h"
#endif

using namespace cvae;
namespace fs = std::filesystem;

namespace {

// Every file of a folder with its bytes, to show that nothing in it changed.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename() != ".lock")  // the lock is no data
      files[entry.path().string()] = readText(entry.path().string());
  return files;
}

// Asks for a stop once the run has done `stop_at` steps.
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

// The first half of the tiny training rows (2 batches an epoch where the whole has 4), in DIR.
std::string halfTrainingFile(const QTemporaryDir& dir) {
  const std::string half = dir.filePath("half.txt").toStdString();
  auto rows = tinyTenseRows();
  rows.resize(rows.size() / 2);
  writeTenseTrainingFile(half, rows);
  return half;
}

// Keeps what a run says (onMessage), one entry a message.
class Messages : public TrainingObserver {
 public:
  void onMessage(const std::string& message) override { said.push_back(message); }
  // All of it, a line a message, for searching.
  std::string text() const {
    std::string all;
    for (const auto& m : said) all += m + "\n";
    return all;
  }
  std::vector<std::string> said;
};

RunResult train(const ExperimentConfig& config, const std::string& run_dir, int64_t stop_at = -1) {
  RunControl control;
  StopAt observer(control, stop_at);
  Trainer trainer(config, observer, control);
  trainer.setRunDirectory(run_dir);
  return trainer.run();
}

RunResult resume(const std::string& run_dir, const std::vector<std::string>& overrides = {}) {
  const auto prepared = prepareResume(run_dir, overrides);
  RunControl control;
  TrainingObserver quiet;
  Trainer trainer(prepared.config, quiet, control);
  trainer.setOrigin(prepared.origin);
  return trainer.run();
}

// What a resume of `run_dir` says when it runs, "" when its preparation refuses.
std::string resumeMessage(const std::string& run_dir) {
  try {
    return resume(run_dir).message;
  } catch (const std::exception&) {
    return "";
  }
}

// The largest difference between the two checkpoints' parameters; fails on differing counts.
double parameterDistance(const std::string& a_path, const std::string& b_path) {
  const auto a = loadExperimentFromCheckpoint(a_path);
  const auto b = loadExperimentFromCheckpoint(b_path);
  const auto pa = a.experiment->model().parameters();
  const auto pb = b.experiment->model().parameters();
  if (pa.size() != pb.size() || pa.empty()) return INFINITY;
  double worst = 0;
  for (size_t i = 0; i < pa.size(); ++i) {
    if (!pa[i].sizes().equals(pb[i].sizes())) return INFINITY;
    worst = std::max(worst, (pa[i] - pb[i]).abs().max().item<double>());
  }
  return worst;
}

// metrics.csv as (record, epoch, step, loss) rows: elapsed time and throughput differ by run.
std::vector<std::string> metricsWithoutTimes(const std::string& path) {
  MetricsColumns columns;
  std::vector<std::string> out;
  for (const auto& row : readMetricsFile(path, &columns)) {
    std::ostringstream line;
    line.precision(9);
    line << row.record << ' ' << row.epoch << ' ' << row.step << ' ' << columns.value(row, "loss")
         << ' ' << columns.value(row, "kl") << ' ' << columns.value(row, "bleu");
    out.push_back(line.str());
  }
  return out;
}

ExperimentConfig resumableConfig(const QTemporaryDir& dir) {
  auto config = tinyTenseConfig(dir);
  config.train.epochs = 4;  // 4 batches an epoch: 16 steps
  config.evaluation.every_epochs = 2;
  config.kl.policy = KlPolicy::Cyclical;
  config.kl.cycles = 2;
  config.teacher_forcing.initial = 0.7;  // random teacher forcing draws from torch's generator
  config.model.word_dropout = 0.1;
  return config;
}

void compareWithUninterrupted(const std::string& uninterrupted, const std::string& resumed) {
  const double distance = parameterDistance(uninterrupted + "/last.pt", resumed + "/last.pt");
  QVERIFY2(distance < 1e-6, qPrintable(QString("parameters differ by %1").arg(distance)));
  QCOMPARE(metricsWithoutTimes(resumed + "/metrics.csv"),
           metricsWithoutTimes(uninterrupted + "/metrics.csv"));
  // The collapse watch's rows too: cut back with metrics.csv, continued alike.
  auto latent = [](const std::string& dir) {
    MetricsColumns columns;
    std::vector<std::string> out;
    for (const auto& row : readMetricsFile(dir + "/latent.csv", &columns)) {
      std::ostringstream line;
      line.precision(9);
      line << row.epoch << ' ' << row.step;
      for (double v : row.values) line << ' ' << v;
      out.push_back(line.str());
    }
    return out;
  };
  QCOMPARE(latent(resumed).size(), size_t(2));  // evaluations after epochs 2 and 4
  QCOMPARE(latent(resumed), latent(uninterrupted));
  auto a = loadExperimentFromCheckpoint(uninterrupted + "/last.pt");
  auto b = loadExperimentFromCheckpoint(resumed + "/last.pt");
  const auto ea = a.experiment->evaluate(), eb = b.experiment->evaluate();
  QCOMPARE(eb.scores, ea.scores);
  QCOMPARE(eb.previews.size(), ea.previews.size());
  for (size_t t = 0; t < ea.previews.size(); ++t)
    QCOMPARE(eb.previews[t].rows, ea.previews[t].rows);
}

// A checkpoint as format 2 wrote it (no checksums; the model as a nested archive), with any
// embedded config text and format number: the config is not covered by a checksum in any format.
void writeUncheckedCheckpoint(const std::string& path, torch::nn::Module& weights,
                              const std::string& config_yaml, int64_t format = 2) {
  torch::serialize::OutputArchive archive, model;
  weights.save(model);
  archive.write("format_version", c10::IValue(format));
  archive.write("epoch", c10::IValue(int64_t(1)));
  archive.write("step", c10::IValue(int64_t(4)));
  archive.write("batches_into_epoch", c10::IValue(int64_t(0)));
  archive.write("elapsed_seconds", c10::IValue(1.5));
  archive.write("best_score", c10::IValue(0.5));
  archive.write("have_best", c10::IValue(true));
  archive.write("config", c10::IValue(config_yaml));
  archive.write("scores", c10::IValue(std::string("bleu=0.5\n")));
  archive.write("rng_state", c10::IValue(std::string()));
  archive.write("epoch_rng_state", c10::IValue(std::string()));
  archive.write("model", model);
  archive.save_to(path);
}

}  // namespace

class TestRuns : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void forksFormATree() {
    // a ← b (at step 100) ← d; a/best.pt ← c (at step 50); e's parent is not listed; f and g
    // name each other (a hand-edited record): the cycle is broken at g.
    QTemporaryDir dir;
    auto p = [&](const char* name) { return dir.filePath(name).toStdString(); };
    for (const char* name : {"a", "b", "c", "d", "e", "f", "g"}) fs::create_directories(p(name));
    const std::vector<std::string> dirs = {p("a"), p("b"), p("c"), p("d"), p("e"), p("f"), p("g")};
    const std::vector<std::string> parents = {
        "", p("a"), p("a") + "/best.pt", p("b") + "/../b", p("nowhere"), p("g"), p("f")};
    const std::vector<std::int64_t> steps = {-1, 100, 50, 10, 5, 1, 1};
    const ForkTree tree = buildForkTree(dirs, parents, steps);
    QCOMPARE(tree.parent, (std::vector<int>{-1, 0, 0, 1, -1, 6, -1}));
    QCOMPARE(tree.order, (std::vector<int>{0, 2, 1, 3, 4, 6, 5}));  // children by fork step
    QCOMPARE(tree.depth, (std::vector<int>{0, 1, 1, 2, 0, 1, 0}));
    QCOMPARE(tree.children[0], (std::vector<int>{2, 1}));
    // No forks: every run a root, in the order given.
    const ForkTree flat = buildForkTree({p("a"), p("b")}, {"", ""}, {-1, -1});
    QCOMPARE(flat.order, (std::vector<int>{0, 1}));
  }

  void metricsAreReadByColumnName() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("metrics.csv").toStdString();
    {
      MetricsWriter writer(path, {"loss", "bleu"}, MetricsWriter::Mode::Create);
      writer.write({"train", 0, 1, 0.5, {2.25, std::nan("")}});
      writer.write({"eval", 0, 1, 0.75, {std::nan(""), 0.125}});
    }
    std::ofstream(path, std::ios::app) << "train,0,2,1.0,1.5,";  // not finished: no newline
    MetricsColumns columns;
    const auto rows = readMetricsFile(path, &columns);
    QCOMPARE(rows.size(), size_t(2));
    QCOMPARE(columns.value(rows[0], "loss"), 2.25);
    QVERIFY(std::isnan(columns.value(rows[0], "bleu")));
    QCOMPARE(columns.value(rows[1], "bleu"), 0.125);
    QVERIFY(std::isnan(columns.value(rows[1], "no-such-column")));
    QCOMPARE(readText(path).substr(0, 31), std::string("record,epoch,step,elapsed_s,los"));
    // The following reader picks the line up once it is finished.
    MetricsReader reader(path);
    QCOMPARE(reader.readNew().size(), size_t(2));
    std::ofstream(path, std::ios::app) << "\n";
    const auto more = reader.readNew();
    QCOMPARE(more.size(), size_t(1));
    QCOMPARE(more[0].step, int64_t(2));
  }

  void malformedMetricsNameFileAndLine() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("metrics.csv").toStdString();
    const std::string header = "record,epoch,step,elapsed_s,loss\n";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"epoch,record\n", "metrics.csv:1: not a metrics.csv header"},
        {header + "train,0,1,0.5\n", "metrics.csv:2: expected 5 columns, found 4"},
        {header + "train,0,1,0.5,1,5\n", "metrics.csv:2: expected 5 columns"},
        {header + "train,0,1,0.5,0,75\n", "expected 5 columns"},
        {header + "train,0,1,0.5,0;75\n", "metrics.csv:2: column 5: '0;75' is not a number"},
        {header + "train,x,1,0.5,1\n", "metrics.csv:2: epoch 'x'"},
        {header + "train,0,-3,0.5,1\n", "metrics.csv:2: step '-3'"},
        {header + "wat,0,1,0.5,1\n", "metrics.csv:2: unknown record 'wat'"},
        {"record,epoch,step,elapsed_s,loss\rtrain,0,1,0.5,1\r",
         "metrics.csv:1: lines end with CR alone"},
    };
    for (const auto& [text, expected] : cases) {
      writeText(path, text);
      const auto message = errorOf([&] { readMetricsFile(path); });
      QVERIFY2(message.find(expected) != std::string::npos,
               qPrintable(QString::fromStdString(text + " -> " + message)));
    }
    // A byte-order mark (Windows Notepad) and CRLF line ends are read as if absent.
    writeText(path, "\xEF\xBB\xBF" +
                        std::string("record,epoch,step,elapsed_s,loss\r\ntrain,0,1,0.5,2\r\n"));
    MetricsColumns bom_columns;
    const auto bom_rows = readMetricsFile(path, &bom_columns);
    QCOMPARE(bom_rows.size(), size_t(1));
    QCOMPARE(bom_columns.value(bom_rows[0], "loss"), 2.0);
    // inf and nan are numbers; the plots decide what to do with them.
    writeText(path, header + "train,0,1,0.5,inf\ntrain,0,2,0.6,nan\n");
    QCOMPARE(readMetricsFile(path).size(), size_t(2));
  }

  void truncationKeepsWhatTheCheckpointCovers() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("metrics.csv").toStdString();
    writeText(path,
              "record,epoch,step,elapsed_s,loss\n"
              "train,0,1,0.1,1\ntrain,0,2,0.2,1\neval,0,2,0.3,\nedit,1,2,0.4,\n"
              "train,1,3,0.5,1\ntrain,1,4,0.6,1\ntrain,1,5");
    bool cut = false;
    QCOMPARE(truncateMetricsFile(path, 2, &cut), int64_t(3));  // the edit at 2, steps 3 and 4
    QVERIFY(cut);                                              // and half a line
    MetricsColumns columns;
    const auto rows = readMetricsFile(path, &columns);
    QCOMPARE(rows.size(), size_t(3));
    QCOMPARE(rows.back().record, std::string("eval"));
    QCOMPARE(columns.names(), std::vector<std::string>{"loss"});
  }

  // A run begun before its experiment scored more (video's psnr_best, ssim_best) is continued
  // with the new columns added on the end, empty in its older rows; other headers are refused.
  void appendingWidensAnOlderHeaderByNewScoresOnly() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("metrics.csv").toStdString();
    writeText(path,
              "record,epoch,step,elapsed_s,loss,psnr\ntrain,0,1,0.1,2,\neval,0,1,0.2,,21.5\n");
    {
      MetricsWriter writer(path, {"loss", "psnr", "psnr_best", "ssim_best"},
                           MetricsWriter::Mode::Append);
      writer.write({"eval", 1, 2, 0.3, {std::nan(""), 22.0, 23.0, 0.8}});
    }
    MetricsColumns columns;
    const auto rows = readMetricsFile(path, &columns);
    QCOMPARE(columns.names(), (std::vector<std::string>{"loss", "psnr", "psnr_best", "ssim_best"}));
    QCOMPARE(rows.size(), size_t(3));
    QCOMPARE(columns.value(rows[1], "psnr"), 21.5);
    QVERIFY(std::isnan(columns.value(rows[1], "psnr_best")));
    QCOMPARE(columns.value(rows[2], "psnr_best"), 23.0);
    QCOMPARE(columns.value(rows[2], "ssim_best"), 0.8);
    const std::string before = readText(path);
    // Fewer columns, or the same ones in another order: refused, the file untouched.
    for (const std::vector<std::string>& other :
         {std::vector<std::string>{"loss"}, {"psnr", "loss", "psnr_best", "ssim_best"}}) {
      QVERIFY(errorOf([&] {
                MetricsWriter(path, other, MetricsWriter::Mode::Append);
              }).find("its columns do not match") != std::string::npos);
      QCOMPARE(readText(path), before);
    }
  }

  void statusRecordRoundTripsAndDeadProcessesReadAsInterrupted() {
    QTemporaryDir dir;
    const auto folder = RunFolder::create(dir.filePath("run").toStdString(), false);
    RunRecord record;
    record.started = utcTimestamp();
    record.host = hostName();
    record.pid = ::getpid();
    record.parent = "/runs/parent \"quoted\": yes";
    record.fork_step = 120;
    record.message = "stopped at epoch 2: saved last.pt";
    folder.writeRecord(record);
    const auto back = folder.readRecord();
    QVERIFY(back.has_value());
    QCOMPARE(back->parent, record.parent);
    QCOMPARE(back->fork_step, int64_t(120));
    QCOMPARE(back->message, record.message);
    QVERIFY(folder.observedState() == RunState::Running);
    QVERIFY(!folder.isLive());  // this process: not another one
    record.pid = 2147483600;    // no such process
    folder.writeRecord(record);
    QVERIFY(folder.observedState() == RunState::Interrupted);
    record.pid = ::getppid();  // alive, and not us
    folder.writeRecord(record);
    QVERIFY(folder.isLive());
    writeText(folder.recordPath(), "pid: 3\n");
    QVERIFY(errorOf([&] { folder.readRecord(); }).find("key 'state': expected running") !=
            std::string::npos);
    QVERIFY(errorOf([&] { folder.readRecord(); }).find("but it is missing") != std::string::npos);
    writeText(folder.notesPath(), "tagz: [a]\nnotes: x\n");
    QVERIFY(errorOf([&] {
              folder.readNotes();
            }).find("notes.yaml:1:1: unknown key 'tagz' (a notes file has tags and notes)") !=
            std::string::npos);
    writeText(folder.notesPath(), "tags: [a]\nnotes: x\n");
    QCOMPARE(folder.readNotes().tags, std::vector<std::string>{"a"});
    writeText(folder.recordPath(), "state: sleeping\n");
    QVERIFY(errorOf([&] { folder.readRecord(); }).find("key 'state'") != std::string::npos);
    writeText(folder.recordPath(), "state: running\npid: twelve\n");
    QVERIFY(errorOf([&] {
              folder.readRecord();
            }).find("status.yaml:2:6: key 'pid': expected a whole number in [0, ") !=
            std::string::npos);
    // A process id is an int (4294967297 would wrap to 1, always alive: "still running").
    writeText(folder.recordPath(), "state: running\npid: 4294967297\n");
    QVERIFY(errorOf([&] {
              folder.readRecord();
            }).find("key 'pid': expected a whole number in [0, 2147483647]") != std::string::npos);
    writeText(folder.recordPath(), "state: running\nsteps_done: {a: 1}\n");
    QVERIFY(errorOf([&] { folder.readRecord(); })
                .find("key 'steps_done': expected a whole number in [0, 9007199254740992], got a "
                      "mapping") != std::string::npos);
    // A hand-edited edits.yaml: each value named where it is.
    auto editsError = [&](const std::string& text) {
      writeText(folder.editsPath(), text);
      return errorOf([&] { folder.readEdits(); });
    };
    std::string msg = editsError("- {epoch: x, step: 3, changes: {a: {from: 1, to: 2}}}\n");
    QVERIFY2(msg.find("edits.yaml:1:11: key 'epoch': expected a whole number in [0, ") !=
                 std::string::npos,
             msg.c_str());
    msg = editsError("- {epoch: 1, step: -3, changes: {a: {from: 1, to: 2}}}\n");
    QVERIFY2(msg.find("key 'step': expected a whole number in [0, ") != std::string::npos,
             msg.c_str());
    msg = editsError("- {epoch: 1, step: 3, elapsed_s: soon, changes: {a: {from: 1, to: 2}}}\n");
    QVERIFY2(msg.find("key 'elapsed_s': expected a number, got 'soon'") != std::string::npos,
             msg.c_str());
    msg = editsError("- {epoch: 1, step: 3, elapsed_s: -5, changes: {a: {from: 1, to: 2}}}\n");
    QVERIFY2(msg.find("key 'elapsed_s': expected seconds, 0 or more, got -5") != std::string::npos,
             msg.c_str());
    msg = editsError("- {epoch: 1, step: [3], changes: {a: {from: 1, to: 2}}}\n");
    QVERIFY2(msg.find("key 'step': expected a whole number in [0, 9007199254740992], got a list") !=
                 std::string::npos,
             msg.c_str());
    msg = editsError("- {epoch: 1, step: 3, changes: {a: {from: [1], to: 2}}}\n");
    QVERIFY2(msg.find("key 'from': expected a single value") != std::string::npos, msg.c_str());
    msg = editsError("- {epoch: 1, step: 3, changes: {[a]: {from: 1, to: 2}}}\n");
    QVERIFY2(msg.find("a changed key's name must be a plain name") != std::string::npos,
             msg.c_str());
    QVERIFY(editsError("- {epoch: 1, step: 3, changes: {a: {from: 1, to: 2}}}\n").empty());
    const auto edits = folder.readEdits();
    QCOMPARE(edits.size(), size_t(1));
    QCOMPARE(edits[0].elapsed_s, 0.0);  // not written: none
    QCOMPARE(edits[0].changes[0].to, std::string("2"));
  }

  // Two writers of one run folder: the second is refused while the first holds it, whatever
  // it is doing, and the lock goes with its holder.
  void aRunFolderHasOneWriterAtATime() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 1;
    const std::string run = dir.filePath("run").toStdString();
    {
      RunLock holder(run);  // as another process would hold it
      const auto second = train(config, run);
      QCOMPARE(second.status, RunStatus::Failed);
      QVERIFY2(second.message.find("the run folder is in use by pid ") != std::string::npos,
               second.message.c_str());
      QVERIFY(!RunFolder::holdsRun(run));  // nothing was written
    }
    QCOMPARE(train(config, run, 2).status, RunStatus::Stopped);
    {
      RunLock holder(run);
      const auto prepared = prepareResume(run, {});
      RunControl control;
      TrainingObserver quiet;
      Trainer trainer(prepared.config, quiet, control);
      trainer.setOrigin(prepared.origin);
      const auto resumed = trainer.run();
      QCOMPARE(resumed.status, RunStatus::Failed);
      QVERIFY(resumed.message.find("in use by") != std::string::npos);
    }
    QCOMPARE(resume(run).status, RunStatus::Completed);
  }

  void aFolderHoldingARunIsNeverOverwritten() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 1;
    const std::string run = dir.filePath("keep").toStdString();
    QCOMPARE(train(config, run).status, RunStatus::Completed);
    const auto before = snapshot(run);
    const auto again = train(config, run);
    QCOMPARE(again.status, RunStatus::Failed);
    QVERIFY2(again.message.find("holds a run already") != std::string::npos &&
                 again.message.find("cvae-cli resume") != std::string::npos &&
                 again.message.find("--overwrite") != std::string::npos,
             again.message.c_str());
    QCOMPARE(snapshot(run), before);
    // A run stopped before its first checkpoint has nothing to resume: the refusal says so
    // (it sent the user to resume, which sent them back).
    const std::string early = dir.filePath("early").toStdString();
    QVERIFY(std::filesystem::create_directories(early));
    std::filesystem::copy(run + "/config.yaml", early + "/config.yaml");
    std::filesystem::copy(run + "/metrics.csv", early + "/metrics.csv");
    const auto refused = train(config, early);
    QVERIFY2(refused.message.find("stopped before its first checkpoint (no last.pt)") !=
                     std::string::npos &&
                 refused.message.find("pass --overwrite to start it again") != std::string::npos,
             refused.message.c_str());
    QVERIFY(errorOf([&] { prepareResume(early, {}); }).find("--overwrite)") != std::string::npos);
    RunControl control;
    TrainingObserver quiet;
    Trainer trainer(config, quiet, control);
    trainer.setRunDirectory(run, /*overwrite=*/true);
    QCOMPARE(trainer.run().status, RunStatus::Completed);
    QVERIFY(RunFolder::open(run).readRecord()->state == RunState::Completed);
  }

  // A hand-edited config.yaml is told apart from what the run itself changes in it.
  void anEditedRunConfigIsNoticed() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 1;
    const std::string run = dir.filePath("edited").toStdString();
    QCOMPARE(train(config, run).status, RunStatus::Completed);
    const RunFolder folder = RunFolder::open(run);
    const ExperimentConfig trained = checkpointConfig(folder.lastCheckpointPath());
    QVERIFY(runConfigFileDrift(run, trained).empty());
    // A schedule key typed into the file is an edit (a resume would drop it without a word)...
    auto own = trained;
    own.kl.max_beta = 0.5;
    folder.writeConfig(own);
    QCOMPARE(runConfigFileDrift(run, trained).changes.size(), size_t(1));
    // ... but not where a pause-edit changed it (edits.yaml says so: the checkpoint carries the
    // edit, config.yaml the start), nor what a resume may change (epochs, data paths).
    folder.appendEdit({0, 2, 1.0, {{"kl_annealing.max_beta", "0.5", "1.0"}}});
    own.train.epochs = 7;
    own.data.test = "elsewhere.txt";
    folder.writeConfig(own);
    QVERIFY(runConfigFileDrift(run, trained).empty());
    // A model size typed into the file is one.
    auto edited = own;
    edited.model.hidden_size = trained.model.hidden_size * 2;
    folder.writeConfig(edited);
    const auto drift = runConfigFileDrift(run, trained);
    QCOMPARE(drift.changes.size(), size_t(1));
    QCOMPARE(drift.changes[0].key, std::string("model.hidden_size"));
    const std::string note = describeRunConfigDrift(run, "last.pt", drift, "so be it");
    QVERIFY2(note.find("model.hidden_size " + std::to_string(edited.model.hidden_size) +
                       " in the file, " + std::to_string(trained.model.hidden_size) +
                       " in the checkpoint") != std::string::npos &&
                 note.find("; so be it") != std::string::npos,
             note.c_str());
    // A file that cannot be read says why.
    writeText(folder.configPath(), "experiment: tense\nmodel:\n  hidden_size: 8\n");
    const auto unreadable = runConfigFileDrift(run, trained);
    QVERIFY2(unreadable.unreadable.find("ends before output.dir") != std::string::npos,
             unreadable.unreadable.c_str());
  }

  void resumeAfterStopEqualsTheUninterruptedRun() {
    QTemporaryDir dir;
    const auto config = resumableConfig(dir);
    const std::string whole = dir.filePath("whole").toStdString();
    QCOMPARE(train(config, whole).status, RunStatus::Completed);
    // Stopped inside epoch 2 (after its second batch) and at the start of epoch 3.
    for (int64_t stop_at : {6, 8}) {
      const std::string run = dir.filePath(QString("stopped-%1").arg(stop_at)).toStdString();
      const auto stopped = train(config, run, stop_at);
      QCOMPARE(stopped.status, RunStatus::Stopped);
      QCOMPARE(stopped.steps_done, stop_at);
      QVERIFY(RunFolder::open(run).observedState() == RunState::Stopped);
      QCOMPARE(readCheckpointInfo(run + "/last.pt").step, stop_at);
      const auto resumed = resume(run);
      QVERIFY2(resumed.status == RunStatus::Completed, resumed.message.c_str());
      compareWithUninterrupted(whole, run);
      const auto record = RunFolder::open(run).readRecord();
      QVERIFY(record->state == RunState::Completed);
      QCOMPARE(record->resumes, 1);
    }
  }

  // A resume that cannot go on (a damaged checkpoint, a malformed metrics.csv) leaves the run's
  // files and record as they were.
  void aFailedResumeChangesNothing() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run, 3).status, RunStatus::Stopped);
    const auto before = snapshot(run);
    const std::string good = readText(run + "/last.pt");
    std::string bad = good;
    for (size_t i = good.size() / 2; i < good.size() / 2 + 64; ++i)
      bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    writeText(run + "/last.pt", bad);
    const auto damaged = resume(run);
    QCOMPARE(damaged.status, RunStatus::Failed);
    writeText(run + "/last.pt", good);
    QVERIFY(snapshot(run) == before);

    const std::string metrics = readText(run + "/metrics.csv");
    std::string edited = metrics;
    edited.replace(edited.find("train,0,2,"), 10, "train,0,ZZ,");
    writeText(run + "/metrics.csv", edited);
    const auto malformed = resume(run);
    QCOMPARE(malformed.status, RunStatus::Failed);
    QVERIFY2(malformed.message.find("metrics.csv:3: step 'ZZ'") != std::string::npos,
             malformed.message.c_str());
    QCOMPARE(readText(run + "/metrics.csv"), edited);
    QVERIFY(RunFolder::open(run).readRecord()->state == RunState::Stopped);

    // A collapse-watch file made for another latent size is named before anything trains
    // (per-frame columns, a video model's, are not dimensions).
    writeText(run + "/metrics.csv", metrics);
    writeText(run + "/latent.csv",
              "record,epoch,step,elapsed_s,active_units,kl_total,kl_0,kl_1,kl_2,kl_3,kl_frame_3,"
              "kl_frame_4\n");
    const auto other_size = resume(run);
    QCOMPARE(other_size.status, RunStatus::Failed);
    QVERIFY2(other_size.message.find("latent.csv:1: its columns are not this model's (4 latent "
                                     "dimensions where the model has 8)") != std::string::npos,
             other_size.message.c_str());
    QCOMPARE(readText(run + "/metrics.csv"), metrics);  // nothing trained
    QVERIFY(RunFolder::open(run).readRecord()->state == RunState::Stopped);
    // An empty one (a crash before its header) is written anew.
    writeText(run + "/latent.csv", "");
    const auto empty = resume(run);
    QVERIFY2(empty.status == RunStatus::Completed, empty.message.c_str());
    QVERIFY(readText(run + "/latent.csv").rfind("record,epoch,step,elapsed_s,active_units", 0) ==
            0);
  }

  void latentColumnsFitTheirModel() {
    QVERIFY(LatentLog::columnsFit(LatentLog::columns(4), 4));
    QVERIFY(LatentLog::columnsFit(LatentLog::columns(4, {3, 4, 5}), 4));
    QCOMPARE(LatentLog::columns(2, {3}),
             (std::vector<std::string>{"active_units", "kl_total", "kl_0", "kl_1", "kl_frame_3"}));
    QVERIFY(!LatentLog::columnsFit(LatentLog::columns(4), 3));
    QVERIFY(!LatentLog::columnsFit(LatentLog::columns(3, {4}), 4));  // kl_frame_4 is not kl_3
    auto extra = LatentLog::columns(4);
    extra.push_back("loss");
    QVERIFY(!LatentLog::columnsFit(extra, 4));
  }

  void resumeAfterAKillEqualsTheUninterruptedRun() {
    QTemporaryDir dir;
    const auto config = resumableConfig(dir);
    const std::string whole = dir.filePath("whole").toStdString();
    QCOMPARE(train(config, whole).status, RunStatus::Completed);
    // A kill -9 at step 10: last.pt from the stop at step 10, then rows the dead process
    // wrote after it, half a line, and a record that still says running.
    const std::string run = dir.filePath("killed").toStdString();
    QCOMPARE(train(config, run, 10).status, RunStatus::Stopped);
    std::string later;
    for (const auto& line : QString::fromStdString(readText(whole + "/metrics.csv")).split('\n'))
      if (line.startsWith("train,2,11,") || line.startsWith("train,2,12,"))
        later += line.toStdString() + "\n";
    QVERIFY(!later.empty());
    std::ofstream(run + "/metrics.csv", std::ios::app) << later << "train,3,13,9.9,0.";
    // A collapse-watch row the dead process wrote after its checkpoint, and half of another.
    std::ofstream(run + "/latent.csv", std::ios::app)
        << "eval,2,12,9.5,0,0.001,0,0,0,0,0,0,0,0\neval,3,1";
    const auto folder = RunFolder::open(run);
    auto record = *folder.readRecord();
    record.state = RunState::Running;
    record.pid = 2147483600;  // no such process
    folder.writeRecord(record);
    QVERIFY(folder.observedState() == RunState::Interrupted);
    const auto resumed = resume(run);
    QVERIFY2(resumed.status == RunStatus::Completed, resumed.message.c_str());
    compareWithUninterrupted(whole, run);
  }

  // An emptied or removed metrics.csv (a crash before its header line) is begun again from the
  // checkpoint, with a warning: it was refused as "its columns are not this experiment's", or
  // as a file that cannot be opened, with no way forward. A binary or UTF-16 one is said as such.
  void anEmptyOrMissingMetricsFileIsBegunAgainOnResume() {
    for (const std::string how : {"empty", "missing"}) {
      QTemporaryDir dir;
      auto config = resumableConfig(dir);
      config.train.epochs = 2;
      const std::string run = dir.filePath("run").toStdString();
      QCOMPARE(train(config, run, 3).status, RunStatus::Stopped);
      const std::string metrics = run + "/metrics.csv";
      const std::string kept = readText(metrics);
      // What a resume says, whether its preparation or the run refuses.
      auto refusal = [&] {
        const std::string prepared = errorOf([&] { prepareResume(run, {}); });
        return prepared.empty() ? resume(run).message : prepared;
      };
      writeText(metrics, std::string("\xFF\xFEr\0e\0c\0", 8));
      QCOMPARE(refusal(), metrics + ": UTF-16 text; save the file as UTF-8");
      writeText(metrics, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
      QCOMPARE(refusal(), metrics + ": holds a NUL byte: a binary file, not a metrics file");
      writeText(metrics, "record,epo");
      QVERIFY(refusal().find("header line is cut short") != std::string::npos);
      QCOMPARE(readText(metrics), std::string("record,epo"));  // refused: left as it was
      if (how == "empty")
        writeText(metrics, "");
      else
        fs::remove(metrics);
      const auto prepared = prepareResume(run, {});
      RunControl control;
      Messages observer;
      Trainer trainer(prepared.config, observer, control);
      trainer.setOrigin(prepared.origin);
      const auto resumed = trainer.run();
      QVERIFY2(resumed.status == RunStatus::Completed, resumed.message.c_str());
      const std::string warning = "metrics.csv: warning: it was " + how +
                                  "; it starts again at step 3 (the rows before are lost)";
      QVERIFY2(std::count(observer.said.begin(), observer.said.end(), warning) == 1,
               warning.c_str());
      MetricsColumns columns;
      const auto rows = readMetricsFile(metrics, &columns);
      QCOMPARE(readText(metrics).substr(0, kept.find('\n')), kept.substr(0, kept.find('\n')));
      QVERIFY(!rows.empty());
      QCOMPARE(rows.front().step, int64_t(4));
      QCOMPARE(rows.back().step, int64_t(8));
    }
  }

  void resumeCanExtendARun() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string run = dir.filePath("short").toStdString();
    QCOMPARE(train(config, run).status, RunStatus::Completed);
    const auto finished = errorOf([&] { prepareResume(run, {}); });
    QVERIFY2(finished.find("finished all 2 epochs") != std::string::npos &&
                 finished.find("train.epochs") != std::string::npos,
             finished.c_str());
    const auto extended = resume(run, {"train.epochs=3"});
    QVERIFY2(extended.status == RunStatus::Completed, extended.message.c_str());
    QCOMPARE(extended.steps_done, int64_t(12));
    QCOMPARE(readCheckpointInfo(run + "/last.pt").epoch, 3);
  }

  void badResumesAreNamedAndChangeNothing() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run, 3).status, RunStatus::Stopped);
    const auto before = snapshot(run);

    fs::create_directories(dir.filePath("empty").toStdString());
    QVERIFY(errorOf([&] {
              prepareResume(dir.filePath("empty").toStdString(), {});
            }).find("not a run folder (no config.yaml or metrics.csv)") != std::string::npos);
    QVERIFY(errorOf([&] {
              prepareResume(dir.filePath("missing").toStdString(), {});
            }).find("no such run folder") != std::string::npos);
    const auto schedule = errorOf([&] { prepareResume(run, {"kl_annealing.max_beta=0.5"}); });
    QVERIFY2(schedule.find("fork it") != std::string::npos, schedule.c_str());
    // The message lists what a resume may change: every path key (files move), not a summary.
    for (const char* key :
         {"train.epochs", "data.train", "data.lexicon", "data.common_words", "output.dir"})
      QVERIFY2(schedule.find(key) != std::string::npos, schedule.c_str());
    QVERIFY(errorOf([&] { prepareResume(run, {"train.epochs=zero"}); }).find("train.epochs") !=
            std::string::npos);
    // A key a resume may not change: a bad value is reported as a bad value (not "fork it",
    // which would fail on it next), and the run's own value is no change at all.
    for (const char* bad : {"kl_annealing.max_beta=lots", "kl_annealing.max_beta=-1",
                            "kl_annealing.policy=sometimes", "model.no_such_key=1"}) {
      const auto message = errorOf([&] { prepareResume(run, {bad}); });
      QVERIFY2(!message.empty() && message.find("fork it") == std::string::npos, message.c_str());
    }
    const std::string same = "kl_annealing.max_beta=" + formatGeneral(config.kl.max_beta, 17);
    QVERIFY2(errorOf([&] { prepareResume(run, {same}); }).empty(), same.c_str());

    // Still running in another process: its record says so and it holds the lock.
    const auto folder = RunFolder::open(run);
    auto record = *folder.readRecord();
    auto live = record;
    live.state = RunState::Running;
    live.pid = ::getppid();
    folder.writeRecord(live);
    {
      RunLock holder(run);
      QVERIFY(errorOf([&] { prepareResume(run, {}); }).find("still running") != std::string::npos);
    }
    // The same record with nobody holding the lock is a killed run (its pid may be reused by
    // an unrelated process): it can be continued.
    QVERIFY(errorOf([&] { prepareResume(run, {}); }).empty());
    folder.writeRecord(record);

    // A damaged checkpoint: cut in half, and not a checkpoint at all.
    const std::string good = readText(run + "/last.pt");
    writeText(run + "/last.pt", good.substr(0, good.size() / 2));
    QVERIFY(errorOf([&] { prepareResume(run, {}); }).find("last.pt: not a") != std::string::npos);
    writeText(run + "/last.pt", "epoch: 3\n");
    QVERIFY(errorOf([&] { prepareResume(run, {}); }).find("last.pt: not a") != std::string::npos);
    // The config text and random state are checksummed too: a config edited inside last.pt
    // loaded silently, and the resume trained at the edited learning rate.
    std::string edited = good;
    const auto rate = edited.find("learning_rate: ");
    QVERIFY(rate != std::string::npos);
    edited[rate + 15] = edited[rate + 15] == '9' ? '8' : '9';
    writeText(run + "/last.pt", edited);
    QVERIFY(errorOf([&] {
              prepareResume(run, {});
            }).find("last.pt: record 'state' (position, config and random state) is damaged") !=
            std::string::npos);
    writeText(run + "/last.pt", good);
    QCOMPARE(snapshot(run), before);

    fs::remove(run + "/last.pt");
    QVERIFY(errorOf([&] { prepareResume(run, {}); }).find("no last.pt") != std::string::npos);
  }

  // A damaged status.yaml: resume says how to go on; --overwrite replaces the run (it refused
  // for good). A killed run whose record says running is replaced too: the trainer's own lock
  // made it read as "still running".
  void aDamagedOrStaleRecordIsNoDeadEnd() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 1;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run, 2).status, RunStatus::Stopped);
    writeText(run + "/status.yaml", "state: [\n");
    const std::string said = errorOf([&] { prepareResume(run, {}); }) + resumeMessage(run);
    QVERIFY2(said.find("status.yaml:2:1: invalid YAML") != std::string::npos &&
                 said.find("remove status.yaml to continue the run") != std::string::npos,
             said.c_str());
    auto replace = [&] {
      RunControl control;
      TrainingObserver quiet;
      Trainer trainer(config, quiet, control);
      trainer.setRunDirectory(run, /*overwrite=*/true);
      return trainer.run();
    };
    const auto replaced = replace();
    QVERIFY2(replaced.status == RunStatus::Completed, replaced.message.c_str());
    const auto folder = RunFolder::open(run);
    auto record = *folder.readRecord();
    QVERIFY(record.state == RunState::Completed);
    record.state = RunState::Running;
    record.pid = 2147483600;  // killed: no such process
    folder.writeRecord(record);
    const auto again = replace();
    QVERIFY2(again.status == RunStatus::Completed, again.message.c_str());
    // A folder in the lock file's place is a refusal to mend (exit 2), not a failed run.
    fs::remove(run + "/.lock");
    fs::create_directory(run + "/.lock");
    const auto locked = resume(run, {"train.epochs=2"});
    QVERIFY2(locked.input_error && locked.message == run +
                                                         "/.lock: a folder, not a file (in the "
                                                         "place of the run's lock file); remove it",
             locked.message.c_str());
  }

  // A sweep's folder given where a run goes says what it is (it read as "no config.yaml or
  // metrics.csv").
  void aSweepFolderIsNotTakenForARun() {
    QTemporaryDir dir;
    const std::string sweep = dir.filePath("sweep").toStdString();
    fs::create_directories(sweep + "/000-s1");
    writeText(sweep + "/sweep.yaml", "seeds: [1]\n");
    QCOMPARE(errorOf([&] { RunFolder::open(sweep); }),
             sweep +
                 ": a sweep's folder, not a run: its members' folders in it are the runs (the "
                 "GUI lists them all with --runs " +
                 sweep + ")");
  }

  void forkStartsFromTheParentAndLeavesItAlone() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string parent = dir.filePath("parent").toStdString();
    QCOMPARE(train(config, parent).status, RunStatus::Completed);
    const auto before = snapshot(parent);

    auto child_config = config;
    child_config.train.epochs = 3;
    child_config.kl.policy = KlPolicy::Monotonic;
    child_config.kl.max_beta = 0.25;
    const auto origin = prepareFork(child_config, parent);
    QCOMPARE(origin.step, int64_t(8));
    RunControl control;
    TrainingObserver quiet;
    Trainer trainer(child_config, quiet, control);
    const std::string child = dir.filePath("child").toStdString();
    trainer.setRunDirectory(child);
    trainer.setOrigin(origin);
    const auto result = trainer.run();
    QVERIFY2(result.status == RunStatus::Completed, result.message.c_str());
    QCOMPARE(result.steps_done, int64_t(12));
    QCOMPARE(snapshot(parent), before);

    const auto record = RunFolder::open(child).readRecord();
    QCOMPARE(record->parent, fs::weakly_canonical(parent).string());
    QCOMPARE(record->fork_step, int64_t(8));
    MetricsColumns columns;
    const auto rows = readMetricsFile(child + "/metrics.csv", &columns);
    QCOMPARE(rows.front().step, int64_t(9));  // steps continue from the parent's
    QCOMPARE(rows.front().epoch, 2);
    QVERIFY(columns.value(rows.front(), "beta") <= 0.25);
    QCOMPARE(RunFolder::open(child).readConfig().kl.max_beta, 0.25);
  }

  // A fork with another batch size takes another number of steps an epoch than its parent. It
  // counted on from the parent's step, so β was planned over one scale and applied on another:
  // a β rising over the whole run never reached max_beta, and the run ended at "epoch 6.3 of 5".
  // It now counts on its own scale from its epoch's start; a stop inside an epoch begins that
  // epoch anew.
  void aForkWithAnotherBatchSizeCountsOnItsOwnScale() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string parent = dir.filePath("parent").toStdString();
    QCOMPARE(train(config, parent).status, RunStatus::Completed);  // 4 batches an epoch
    for (const bool inside_an_epoch : {false, true}) {
      std::string from = parent;
      if (inside_an_epoch) {  // stopped after step 10: 2 batches into epoch 3
        const std::string stopped = dir.filePath("stopped").toStdString();
        auto longer = config;
        longer.train.epochs = 3;
        QCOMPARE(train(longer, stopped, 10).status, RunStatus::Stopped);
        QCOMPARE(readCheckpointInfo(stopped + "/last.pt").batches_into_epoch, int64_t(2));
        from = stopped;
      }
      auto child_config = config;
      child_config.train.epochs = 4;
      child_config.train.batch_size = 4;  // 8 batches an epoch
      child_config.kl.policy = KlPolicy::Monotonic;
      child_config.kl.ratio = 1.0;  // β rises over the whole run
      child_config.kl.max_beta = 0.5;
      RunControl control;
      Messages log;
      Trainer trainer(child_config, log, control);
      const std::string child = dir.filePath(inside_an_epoch ? "child2" : "child").toStdString();
      trainer.setRunDirectory(child);
      trainer.setOrigin(prepareFork(child_config, from));
      const auto result = trainer.run();
      QVERIFY2(result.status == RunStatus::Completed, result.message.c_str());
      QCOMPARE(result.steps_done, int64_t(32));  // 4 epochs of 8, as its plan says
      const std::string said = log.text();
      QVERIFY2(said.find("the parent trained 4 batches an epoch, this fork trains 8") !=
                   std::string::npos,
               said.c_str());
      QVERIFY2(said.find("from step 16 of 32") != std::string::npos, said.c_str());
      QCOMPARE(said.find("epoch 3 begins anew (the parent had trained 2 of its batches)") !=
                   std::string::npos,
               inside_an_epoch);
      // The fork is recorded at the parent's step, on the parent's scale.
      QCOMPARE(RunFolder::open(child).readRecord()->fork_step, int64_t(inside_an_epoch ? 10 : 8));
      MetricsColumns columns;
      const auto rows = readMetricsFile(child + "/metrics.csv", &columns);
      QCOMPARE(rows.front().step, int64_t(17));
      QCOMPARE(rows.front().epoch, 2);
      int train_rows = 0;
      for (const auto& row : rows) {
        if (row.record != "train") continue;
        ++train_rows;
        QCOMPARE(row.step, int64_t(16 + train_rows));
        QCOMPARE(row.epoch, static_cast<int>((row.step - 1) / 8));
        const double planned =
            klBeta(child_config.kl, RunPosition{row.epoch, row.step - 1}, RunLength{4, 8});
        QVERIFY2(std::abs(columns.value(row, "beta") - planned) < 1e-6,
                 qPrintable(QString("step %1: beta %2, planned %3")
                                .arg(row.step)
                                .arg(columns.value(row, "beta"))
                                .arg(planned)));
      }
      QCOMPARE(train_rows, 16);
      const auto last_train = std::find_if(rows.rbegin(), rows.rend(),
                                           [](const auto& row) { return row.record == "train"; });
      QCOMPARE(columns.value(*last_train, "beta"), 0.5 * 31 / 32);  // not 0.5 * 23 / 32
    }
  }

  // Inside epoch 1 the steps show no scale: a fork with another batch size begins epoch 1 anew
  // (it continued at the parent's batch number, 89 % of one epoch read as 44 % of another, or
  // was refused after writing a failed folder).
  void aForkInsideTheFirstEpochWithAnotherBatchSizeBeginsItAnew() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 3;
    const std::string parent = dir.filePath("parent").toStdString();
    QCOMPARE(train(config, parent, 3).status, RunStatus::Stopped);  // 3 of epoch 1's 4 batches
    QCOMPARE(readCheckpointInfo(parent + "/last.pt").batches_into_epoch, int64_t(3));
    for (const int batch_size : {16, 4}) {  // 2 and 8 batches an epoch
      auto child_config = config;
      child_config.train.batch_size = batch_size;
      RunControl control;
      Messages log;
      Trainer trainer(child_config, log, control);
      const std::string child = dir.filePath(QString("child%1").arg(batch_size)).toStdString();
      trainer.setRunDirectory(child);
      trainer.setOrigin(prepareFork(child_config, parent));
      const auto result = trainer.run();
      QVERIFY2(result.status == RunStatus::Completed, result.message.c_str());
      const int64_t per_epoch = 32 / batch_size;
      QCOMPARE(result.steps_done, 3 * per_epoch);
      QVERIFY2(log.text().find("the parent trained another batch size or training file: the "
                               "fork's steps count on its own scale, from step 0 of " +
                               std::to_string(3 * per_epoch)) != std::string::npos,
               log.text().c_str());
      QVERIFY2(log.text().find("epoch 1 begins anew (the parent had trained 3 of its batches)") !=
                   std::string::npos,
               log.text().c_str());
    }
  }

  // A fork into the folder of the run it forks from replaced the parent (its steps, scores and
  // best.pt gone; status.yaml naming the run as its own parent): refused, the parent untouched.
  void aForkIntoItsParentsFolderIsRefused() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string parent = dir.filePath("parent").toStdString();
    QCOMPARE(train(config, parent).status, RunStatus::Completed);
    const auto before = snapshot(parent);
    auto child_config = config;
    child_config.train.epochs = 3;
    for (const std::string& from : {parent, parent + "/best.pt"}) {
      RunControl control;
      TrainingObserver quiet;
      Trainer trainer(child_config, quiet, control);
      trainer.setRunDirectory(parent + "/", /*overwrite=*/true);
      trainer.setOrigin(prepareFork(child_config, from));
      const auto result = trainer.run();
      QVERIFY2(result.input_error, result.message.c_str());
      QVERIFY2(result.message.find(": the folder of the run it forks from (") != std::string::npos,
               result.message.c_str());
      QCOMPARE(snapshot(parent), before);
    }
  }

  // A resume refused for its data (an epoch that now has fewer batches than the run had
  // trained of it) leaves the run as it was: it had rewritten status.yaml as failed, with
  // epochs_done 0, and config.yaml with the refused path.
  void aRefusedResumeWritesNothing() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run, 3).status, RunStatus::Stopped);  // 3 of epoch 1's 4 batches
    const std::string half = halfTrainingFile(dir);
    const auto before = snapshot(run);
    const auto refused = resume(run, {"data.train=" + half});
    QVERIFY2(refused.input_error, refused.message.c_str());
    QVERIFY2(refused.message.find("stopped after batch 3 of an epoch that now has 2") !=
                 std::string::npos,
             refused.message.c_str());
    QCOMPARE(snapshot(run), before);
  }

  // A resume on another number of batches an epoch (a training file of another size, fewer
  // ranks) goes on from the checkpoint's step, as a multi-rank run continued on one process
  // does; its schedules then do not end where they were planned, which is said.
  void aResumeOnAnotherNumberOfBatchesIsSaid() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 2;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run).status, RunStatus::Completed);
    const std::string half = halfTrainingFile(dir);
    const auto prepared = prepareResume(run, {"train.epochs=3", "data.train=" + half});
    RunControl control;
    Messages log;
    Trainer trainer(prepared.config, log, control);
    trainer.setOrigin(prepared.origin);
    const auto result = trainer.run();
    QVERIFY2(result.status == RunStatus::Completed, result.message.c_str());
    QCOMPARE(result.steps_done, int64_t(10));  // 8, then one epoch of 2
    QVERIFY2(log.text().find(
                 "warning: the run trained 4 batches an epoch and now trains 2 (another "
                 "number of ranks, or a training file of another size)") != std::string::npos,
             log.text().c_str());
  }

  // A checkpoint changed after it was written (disk or copy corruption) never loads silently:
  // 64 bytes changed anywhere give a named error, or, where they hit only padding, the same
  // weights and optimizer state as before.
  void damagedCheckpointsAreNamedNeverLoadedSilently() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 1;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run).status, RunStatus::Completed);
    const std::string path = run + "/last.pt";
    const std::string good = readText(path);
    // The weights and Adam's moments, in parameter order.
    auto contentOf = [](Experiment& e, torch::optim::Optimizer& optimizer) {
      std::vector<at::Tensor> out;
      for (const auto& p : e.model().parameters()) {
        out.push_back(p.detach().clone());
        // LibTorch keys the state by the parameter's address as text.
        std::ostringstream key;
        key << p.unsafeGetTensorImpl();
        const auto it = optimizer.state().find(key.str());
        if (it == optimizer.state().end()) continue;
        const auto& adam = static_cast<const torch::optim::AdamParamState&>(*it->second);
        out.push_back(adam.exp_avg().clone());
        out.push_back(adam.exp_avg_sq().clone());
      }
      return out;
    };
    auto same = [](const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (!torch::equal(a[i], b[i])) return false;
      return true;
    };
    const auto original = loadExperimentFromCheckpoint(path);
    auto reference_optimizer =
        makeOptimizer(config.optimizer, original.experiment->model().parameters());
    loadCheckpoint(path, original.experiment->model(), reference_optimizer.get());
    const auto reference = contentOf(*original.experiment, *reference_optimizer);
    QVERIFY(reference.size() > original.experiment->model().parameters().size());
    int named = 0, unchanged = 0;
    const size_t positions = 40;
    for (size_t k = 0; k < positions; ++k) {
      std::string bad = good;
      const size_t at = (bad.size() - 64) * k / (positions - 1);
      for (size_t i = at; i < at + 64; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
      writeText(path, bad);
      auto experiment = experimentEntry(config.kind).create(config, c10::Device(c10::kCPU));
      auto optimizer = makeOptimizer(config.optimizer, experiment->model().parameters());
      const auto message = errorOf([&] {
        readCheckpointInfo(path);
        loadCheckpoint(path, experiment->model(), optimizer.get());
      });
      if (!message.empty()) {
        QVERIFY2(message.find(path + ": ") == 0, message.c_str());
        ++named;
      } else {
        QVERIFY2(
            same(contentOf(*experiment, *optimizer), reference),
            qPrintable(QString("bytes %1-%2 changed the content silently").arg(at).arg(at + 63)));
        ++unchanged;
      }
    }
    QVERIFY2(named > static_cast<int>(positions / 2),
             qPrintable(QString("%1 named, %2 unchanged").arg(named).arg(unchanged)));
    // The checksum names the record whose bytes changed.
    std::string bad = good;
    const size_t middle = good.size() / 2;
    for (size_t i = middle; i < middle + 64; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    writeText(path, bad);
    auto experiment = experimentEntry(config.kind).create(config, c10::Device(c10::kCPU));
    auto optimizer = makeOptimizer(config.optimizer, experiment->model().parameters());
    const auto message =
        errorOf([&] { loadCheckpoint(path, experiment->model(), optimizer.get()); });
    QVERIFY2(message.find("is damaged: its checksum does not match") != std::string::npos,
             message.c_str());
    writeText(path, good);
  }

  // Checkpoints written before checksums (format 2: the model as a nested archive) still load.
  void olderCheckpointsStillLoad() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 1;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run).status, RunStatus::Completed);
    const auto current = loadExperimentFromCheckpoint(run + "/last.pt");
    const std::string old = dir.filePath("old.pt").toStdString();
    writeUncheckedCheckpoint(old, current.experiment->model(), configToYaml(current.config));
    const auto info = readCheckpointInfo(old);
    QCOMPARE(info.format_version, 2);
    const auto loaded = loadExperimentFromCheckpoint(old);
    const auto a = current.experiment->model().parameters();
    const auto b = loaded.experiment->model().parameters();
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) QVERIFY(torch::equal(a[i], b[i]));
  }

  void forksThatCannotFitAreNamedByKey() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 1;
    const std::string parent = dir.filePath("parent").toStdString();
    QCOMPARE(train(config, parent).status, RunStatus::Completed);
    auto wider = config;
    wider.train.epochs = 2;
    wider.model.hidden_size = 32;
    const auto size = errorOf([&] { prepareFork(wider, parent); });
    QVERIFY2(size.find("model.hidden_size: 48 vs 32") != std::string::npos, size.c_str());
    // The attention path and the copy gate add weights; copy without the path adds none.
    auto attended = config;
    attended.model.attention = true;
    const auto path = architectureMismatches(config, attended);
    QVERIFY(path.size() == 1 && path[0].text() == "model.attention: false vs true");
    auto copying = attended;
    copying.model.copy = true;
    const auto gate = architectureMismatches(attended, copying);
    QVERIFY(gate.size() == 1 && gate[0].text() == "model.copy: false vs true");
    auto copy_without_path = config;
    copy_without_path.model.copy = true;
    QVERIFY(architectureMismatches(config, copy_without_path).empty());
    // An encoder size of 0 means the hidden size: naming it builds the same tensors.
    auto named_encoder = config;
    named_encoder.model.encoder_hidden_size = config.model.hidden_size;
    QVERIFY(config.model.encoder_hidden_size == 0);
    QVERIFY(architectureMismatches(config, named_encoder).empty());
    named_encoder.model.encoder_hidden_size = config.model.hidden_size + 8;
    const auto encoder = architectureMismatches(config, named_encoder);
    QVERIFY(encoder.size() == 1 &&
            encoder[0].text() == "model.encoder_hidden_size: 0 (the hidden size, 48) vs 56");
    // Position maps without the spatial condition add no weights either.
    auto plain_video = ExperimentConfig::defaultsFor(ExperimentKind::Video);
    plain_video.video.spatial_condition = false;
    auto mapped_video = plain_video;
    mapped_video.video.position_maps = !plain_video.video.position_maps;
    QVERIFY(architectureMismatches(plain_video, mapped_video).empty());
    mapped_video.video.spatial_condition = true;
    plain_video.video.spatial_condition = true;
    QCOMPARE(architectureMismatches(plain_video, mapped_video).size(), size_t(1));
    auto other = ExperimentConfig::defaultsFor(ExperimentKind::Spelling);
    const auto kind = errorOf([&] { prepareFork(other, parent + "/last.pt"); });
    QVERIFY2(kind.find("experiment: tense vs spelling") != std::string::npos, kind.c_str());
    auto sgd = config;
    sgd.train.epochs = 2;
    sgd.optimizer.name = "sgd";
    QVERIFY(errorOf([&] { prepareFork(sgd, parent); }).find("optimizer.name") != std::string::npos);
    const auto length = errorOf([&] { prepareFork(config, parent); });
    QVERIFY2(length.find("train.epochs=1") != std::string::npos, length.c_str());
    QVERIFY(errorOf([&] {
              prepareFork(wider, dir.filePath("nowhere.pt").toStdString());
            }).find("no such checkpoint") != std::string::npos);
  }

  // Files that are not our checkpoints, or whose embedded config does not describe their
  // tensors, are named errors, never a LibTorch backtrace later in a forward pass.
  void foreignAndMisfittingCheckpointsAreNamed() {
    QTemporaryDir dir;
    auto config = resumableConfig(dir);
    config.train.epochs = 1;
    const std::string run = dir.filePath("run").toStdString();
    QCOMPARE(train(config, run).status, RunStatus::Completed);
    const auto current = loadExperimentFromCheckpoint(run + "/last.pt");
    auto& model = current.experiment->model();

    const std::string future = dir.filePath("future.pt").toStdString();
    writeUncheckedCheckpoint(future, model, configToYaml(current.config), 99);
    const auto format = errorOf([&] { loadExperimentFromCheckpoint(future); });
    QVERIFY2(
        format.find(future + ": checkpoint format 99 is not supported (this build reads 1 to") == 0,
        format.c_str());

    const std::string text = dir.filePath("notes.pt").toStdString();
    writeText(text, "these are my notes, not a model\n");
    const std::string tensor = dir.filePath("tensor.pt").toStdString();
    torch::save(torch::ones({3}), tensor);  // a valid LibTorch file, but not ours
    const auto notes = errorOf([&] { loadExperimentFromCheckpoint(text); });
    QVERIFY2(notes.find(text + ": not a checkpoint (a checkpoint is a ZIP archive") == 0,
             notes.c_str());
    const std::string empty = dir.filePath("empty.pt").toStdString();
    writeText(empty, "");
    const auto nothing = errorOf([&] { loadExperimentFromCheckpoint(empty); });
    QCOMPARE(nothing, empty + ": an empty file (0 bytes), not a checkpoint");
    // A ZIP archive that is no LibTorch file is still named by LibTorch's reason.
    const std::string zip = dir.filePath("zip.pt").toStdString();
    writeText(zip, std::string("PK\x03\x04") + std::string(40, '\0'));
    const auto damaged = errorOf([&] { loadExperimentFromCheckpoint(zip); });
    QVERIFY2(damaged.find(zip + ": not a readable checkpoint (") == 0, damaged.c_str());
    const auto foreign = errorOf([&] { loadExperimentFromCheckpoint(tensor); });
    QVERIFY2(foreign.find(tensor + ": not a workbench checkpoint") == 0, foreign.c_str());

    // The embedded config edited to another hidden size: the tensors are 48 wide.
    auto edited = current.config;
    edited.model.hidden_size = 32;
    const std::string misfit = dir.filePath("misfit.pt").toStdString();
    writeUncheckedCheckpoint(misfit, model, configToYaml(edited));
    const auto shapes = errorOf([&] { loadExperimentFromCheckpoint(misfit); });
    QVERIFY2(shapes.find(misfit + ": the checkpoint does not fit this model: ") == 0,
             shapes.c_str());
    QVERIFY2(shapes.find("in the checkpoint but [") != std::string::npos, shapes.c_str());
    // LSTM input weights hold 4 gates: 4 × 48 rows stored, 4 × 32 built from the edited config.
    QVERIFY2(shapes.find(" is [192, 16] in the checkpoint but [128, 16] for the config") !=
                 std::string::npos,
             shapes.c_str());

    // An embedded config that fails validation names the key.
    std::string yaml = configToYaml(current.config);
    const auto at = yaml.find("hidden_size: 48");
    QVERIFY(at != std::string::npos);
    yaml.replace(at, 15, "hidden_size: -3");
    const std::string invalid = dir.filePath("invalid.pt").toStdString();
    writeUncheckedCheckpoint(invalid, model, yaml);
    const auto key = errorOf([&] { loadExperimentFromCheckpoint(invalid); });
    QVERIFY2(key.find(invalid + " (embedded config)") == 0, key.c_str());
    QVERIFY2(key.find("hidden_size") != std::string::npos, key.c_str());
  }
};

CVAE_TEST_GUILESS_MAIN(TestRuns);
#include "test_runs.moc"
