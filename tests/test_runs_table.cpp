// The Runs dock (ui/runs): the table model over run folders (differing-column detection,
// sorting, filtering, live update as runs are written, added and deleted), overlays of the
// selected runs, and the HParams views.
// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QToolButton>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "SyntheticRuns.h"
#include "TestRegistry.h"
#include "core/config/SweepFile.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputError.h"
#include "core/sweeps/SweepPlan.h"
#include "ui/MainWindow.h"
#include "ui/MetricPlot.h"
#include "ui/QCustomPlotInclude.h"
#include "ui/runs/HParamsView.h"
#include "ui/runs/RunsFilterModel.h"
#include "ui/runs/RunsPanel.h"
#include "ui/runs/RunsTableModel.h"
#include "ui/settings/SweepDialog.h"
#endif

using namespace cvae;
using namespace cvae::ui;
namespace fs = std::filesystem;

namespace {

// Four runs: a sweep over the KL policy and cycles with different scores, and a lone run with
// another learning rate.
void writeRuns(const std::string& root) {
  auto base = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
  struct Spec {
    const char* dir;
    KlPolicy policy;
    int cycles;
    double bleu;
    RunState state;
  };
  const Spec specs[] = {
      {"sweep-1/000-monotonic", KlPolicy::Monotonic, 4, 0.62, RunState::Completed},
      {"sweep-1/001-cyclical-2", KlPolicy::Cyclical, 2, 0.71, RunState::Completed},
      {"sweep-1/002-cyclical-8", KlPolicy::Cyclical, 8, 0.55, RunState::Failed}};
  for (const auto& s : specs) {
    SyntheticRun run;
    run.config = base;
    run.config.kl.policy = s.policy;
    run.config.kl.cycles = s.cycles;
    run.state = s.state;
    run.scores = {{s.bleu / 2, 0.1}, {s.bleu, 0.2}, {s.bleu - 0.01, 0.3}};
    writeSyntheticRun(root + "/" + s.dir, run);
  }
  std::ofstream(root + "/sweep-1/sweep.yaml") << "base: x.yaml\nseeds: [1]\n";
  SyntheticRun lone;
  lone.config = base;
  lone.config.optimizer.learning_rate = 0.003;
  lone.scores = {{0.3, 0.05}};
  lone.epochs = 1;
  lone.started = "2026-11-30T12:00:00Z";
  writeSyntheticRun(root + "/lone", lone);
}

QStringList headers(const QAbstractItemModel& model) {
  QStringList out;
  for (int c = 0; c < model.columnCount(); ++c)
    out << model.headerData(c, Qt::Horizontal).toString();
  return out;
}

QString cell(const QAbstractItemModel& model, int row, const QString& column) {
  return model.index(row, static_cast<int>(headers(model).indexOf(column))).data().toString();
}

// Lists the runs under `root` in the window, selects `dirs` and opens the HParams views over
// them; null when the selection or the views did not come.
HParamsView* openHParams(MainWindow& window, const QString& root, const QStringList& dirs) {
  window.runsPanel()->setRoots({root});
  QSignalSpy selected(window.runsPanel(), &RunsPanel::selectionChanged);
  window.runsPanel()->selectRuns(dirs);
  if (!selected.wait(2000)) return nullptr;
  window.showHParams();
  return window.hparamsView();
}

// Whether the view has an importance result (keys, or the problem that kept them), waiting
// for the background fit.
bool importanceComputed(HParamsView* view, int timeout_ms) {
  const auto done = [view] {
    return !view->computingImportance() &&
           (!view->importance().keys.empty() || !view->importance().problem.empty());
  };
  if (done()) return true;
  QSignalSpy ready(view, &HParamsView::importanceReady);
  return ready.wait(timeout_ms) && done();
}

}  // namespace

class TestRunsTable : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void differingKeysBecomeColumns() {
    QTemporaryDir dir;
    writeRuns(dir.path().toStdString());
    RunsTableModel model;
    model.setRoots({dir.path()});
    QCOMPARE(model.rowCount(), 4);
    // Only the keys whose values differ; every score's best and last.
    QCOMPARE(model.differingKeys(),
             QStringList({"optimizer.learning_rate", "kl_annealing.policy", "kl_annealing.cycles",
                          "β warm-up end (epoch)", "mean β", "β rises"}));
    // The schedules summed up over the planned 100 epochs: a monotonic β rising over half of
    // them ends its rise at epoch 50; two cycles of 50 epochs rising over half at epoch 25.
    QCOMPARE(cell(model, 1, "β warm-up end (epoch)"), QString("50"));
    QCOMPARE(cell(model, 2, "β warm-up end (epoch)"), QString("25"));
    QCOMPARE(cell(model, 2, "β rises"), QString("2"));
    QCOMPARE(headers(model).mid(0, 13),
             QStringList({"run", "sweep", "experiment", "status", "started", "training time",
                          "tags", "notes", "fork of", "best bleu", "best gaussian", "last bleu",
                          "last gaussian"}));
    // Rows follow the folders' order: lone, then the sweep's members.
    QCOMPARE(cell(model, 0, "run"), QString("lone"));
    QCOMPARE(cell(model, 0, "sweep"), QString());
    QCOMPARE(cell(model, 2, "sweep"), QString("sweep-1"));
    QCOMPARE(cell(model, 2, "best bleu"), QString("0.71"));
    QCOMPARE(cell(model, 2, "last bleu"), QString("0.7"));
    QCOMPARE(cell(model, 3, "status"), QString("failed"));
    QCOMPARE(cell(model, 2, "kl_annealing.cycles"), QString("2"));
    QCOMPARE(cell(model, 0, "optimizer.learning_rate"), QString("0.003"));
    QCOMPARE(cell(model, 0, "training time"), QString("0:02"));

    // β at a chosen step: 100 epochs of 4 steps, so step 100 is a quarter of the run. The
    // monotonic β (rising over 200 steps) is half-way; the 2-cycle one (rising over the first
    // 100 steps of each 200) is at its top; the 8-cycle one (periods of 50) starts its third
    // cycle there, at 0, as the lone run (cyclical, 4 cycles of 100) starts its second.
    model.setScheduleStep(100);
    QVERIFY(model.differingKeys().contains("β at step 100"));
    QVERIFY(!model.differingKeys().contains("teacher forcing at step 100"));  // the same in all
    QCOMPARE(cell(model, 1, "β at step 100"), QString("0.5"));
    QCOMPARE(cell(model, 2, "β at step 100"), QString("1"));
    QCOMPARE(cell(model, 3, "β at step 100"), QString("0"));
    QCOMPARE(cell(model, 3, "β at step 130"), QString());  // only the step asked for
    QCOMPARE(cell(model, 0, "β at step 100"), QString("0"));
    model.setScheduleStep(-1);
    QVERIFY(!headers(model).contains("β at step 100"));

    // The run the window shows is tinted (given by a path of another spelling), the others
    // not; none when none is shown.
    auto tinted = [&](int row) {
      return model.data(model.index(row, 0), Qt::BackgroundRole).isValid();
    };
    const QString lone = model.data(model.index(0, 0), RunsTableModel::RunDirRole).toString();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setShownRun(lone + "/./");
    QCOMPARE(changed.count(), 1);
    QVERIFY(tinted(0));
    QVERIFY(!tinted(1) && !tinted(2) && !tinted(3));
    // Through a symbolic link to the same folder.
    const QString link = QDir::temp().filePath("cvae-runs-link-" +
                                               QString::number(QCoreApplication::applicationPid()));
    QFile::remove(link);
    QVERIFY(QFile::link(QFileInfo(lone).absolutePath(), link));
    model.setShownRun({});
    model.setShownRun(link + "/" + QFileInfo(lone).fileName());
    QVERIFY(tinted(0));
    QFile::remove(link);
    model.setShownRun({});
    QVERIFY(!tinted(0));
  }

  void sortsNumbersAsNumbersAndFiltersByWords() {
    QTemporaryDir dir;
    writeRuns(dir.path().toStdString());
    RunsTableModel model;
    model.setRoots({dir.path()});
    RunsFilterModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(model.column("kl_annealing.cycles"), Qt::AscendingOrder);
    // 2 < 4 < 8 as numbers (as text, "8" would sort after "4" but so would "10" before "2").
    QCOMPARE(cell(proxy, 0, "kl_annealing.cycles"), QString("2"));
    QCOMPARE(cell(proxy, 3, "kl_annealing.cycles"), QString("8"));
    proxy.sort(model.column("best bleu"), Qt::DescendingOrder);
    QCOMPARE(cell(proxy, 0, "run"), QString("001-cyclical-2"));
    QCOMPARE(cell(proxy, 3, "run"), QString("lone"));
    proxy.setFilterWords("cyclical");  // the preset's policy: the lone run too
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setFilterWords("CYCLICAL completed sweep-1");
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(cell(proxy, 0, "run"), QString("001-cyclical-2"));
    proxy.setFilterWords("");
    QCOMPARE(proxy.rowCount(), 4);
  }

  void followsRunsAsTheyAreWrittenAddedAndDeleted() {
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    writeRuns(root);
    RunsTableModel model;
    model.setRoots({dir.path()});
    // A run another process is writing: it shows as running, and its new evaluation appears.
    SyntheticRun live;
    live.state = RunState::Running;
    live.scores = {{0.2, 0.0}};
    live.epochs = 1;
    writeSyntheticRun(root + "/live", live);
    // Its record names this process, which holds the lock as a trainer would.
    RunLock lock(root + "/live");
    auto record = *RunFolder::open(root + "/live").readRecord();
    record.pid = QCoreApplication::applicationPid();
    RunFolder::open(root + "/live").writeRecord(record);
    model.refresh();
    QCOMPARE(model.rowCount(), 5);
    int live_row = -1;
    for (int r = 0; r < model.rowCount(); ++r)
      if (model.runDir(r).endsWith("/live")) live_row = r;
    QVERIFY(live_row >= 0);
    QCOMPARE(cell(model, live_row, "status"), QString("running"));
    QCOMPARE(cell(model, live_row, "best bleu"), QString("0.2"));
    {
      std::ofstream out(root + "/live/metrics.csv", std::ios::app);
      out << "eval,1,8,4,,,,,,,,0.45,0.1\n";
    }
    model.refresh();
    QCOMPARE(cell(model, live_row, "best bleu"), QString("0.45"));
    // A deleted run goes; the columns follow what the remaining runs differ in.
    fs::remove_all(root + "/lone");
    model.refresh();
    QCOMPARE(model.rowCount(), 4);
    QVERIFY(!model.differingKeys().contains("optimizer.learning_rate"));
  }

  void selectingRunsOverlaysThemAndHParamsDrawsThem() {
    QTemporaryDir dir;
    writeRuns(dir.path().toStdString());
    MainWindow window;
    RunsPanel* panel = window.runsPanel();
    panel->setRoots({dir.path()});
    QCOMPARE(panel->proxy()->rowCount(), 4);
    QSignalSpy selected(panel, &RunsPanel::selectionChanged);
    panel->selectRuns({panel->model()->runDir(1), panel->model()->runDir(2)});
    QVERIFY(selected.wait(2000));
    QCOMPARE(window.overlayCount(), 2);
    // Two runs' BLEU and Gaussian scores in the score plot, each run its own colour.
    QCOMPARE(window.scorePlot()->overlayGraphCount(), 4);

    // Diff: the keys that differ between the two selected runs (the monotonic member with 4
    // cycles and the cyclical one with 2), nothing else.
    QDialog* diff = panel->showConfigDiff();
    QVERIFY(diff);
    auto* table = diff->findChild<QTableWidget*>("diffTable");
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->verticalHeaderItem(0)->text(), QString("kl_annealing.policy"));
    QCOMPARE(table->item(0, 0)->text(), QString("monotonic"));
    QCOMPARE(table->item(0, 1)->text(), QString("cyclical"));
    QCOMPARE(table->verticalHeaderItem(1)->text(), QString("kl_annealing.cycles"));
    diff->close();

    window.showHParams();
    HParamsView* view = window.hparamsView();
    QVERIFY(view);
    QCOMPARE(view->runCount(), 2);
    // Axes: the two keys that differ among all runs and apply to these, plus two best scores;
    // one line per run.
    QCOMPARE(view->parallelPlot()->plottableCount(), 2);
    QVERIFY(view->scatterPlot()->graphCount() == 1);
    QCOMPARE(view->scatterPlot()->graph(0)->dataCount(), 2);
  }

  // Seven axes or more tilt their names, and the last one runs right of its axis: QCustomPlot
  // left it out where the widget's edge would cut it, so the last axis had no name.
  void theParallelPlotNamesItsLastAxis() {
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    QStringList dirs;
    for (int i = 0; i < 4; ++i) {
      SyntheticRun run;
      run.config.optimizer.learning_rate = 0.001 * (1 + i);
      run.config.kl.cycles = 2 + i;
      run.config.kl.max_beta = 0.5 + 0.1 * i;
      run.config.train.batch_size = 16 + 16 * i;
      run.config.model.hidden_size = 32 + 32 * (i % 2);
      run.scores = {{0.1 + 0.1 * i, 0.3 - 0.05 * i}};
      run.epochs = 1;
      writeSyntheticRun(root + "/r" + std::to_string(i), run);
      dirs << QString::fromStdString(root + "/r" + std::to_string(i));
    }
    MainWindow window;
    HParamsView* view = openHParams(window, dir.path(), dirs);
    QVERIFY(view);
    QCustomPlot* plot = view->parallelPlot();
    auto* tabs = view->findChild<QTabWidget*>();
    QVERIFY(tabs);
    tabs->setCurrentWidget(plot);
    view->resize(800, 500);
    view->show();
    QVERIFY(QTest::qWaitForWindowExposed(view));
    plot->replot();
    const auto ticker = plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    const int axes = static_cast<int>(ticker->ticks().size());
    QVERIFY2(axes > 6, qPrintable(QString("%1 axes").arg(axes)));
    QCOMPARE(ticker->ticks().last(), QString("best gaussian"));
    // Dark pixels below the axis line, right of the last axis: its name.
    const QImage image = plot->grab().toImage();
    const int x0 = static_cast<int>(plot->xAxis->coordToPixel(axes - 1)) + 4;
    const int y0 = plot->axisRect()->bottom() + 4;
    int dark = 0;
    for (int y = y0; y < image.height(); ++y)
      for (int x = x0; x < image.width(); ++x) dark += qGray(image.pixel(x, y)) < 110;
    QVERIFY2(dark > 20, qPrintable(QString("%1 dark pixels right of the last axis").arg(dark)));
    // Four runs are too few for an importance: said, and no empty 0..5 axes beside it.
    QVERIFY(importanceComputed(view, 60000));
    QVERIFY(view->importance().problem.find("needs at least 5 runs") != std::string::npos);
    QVERIFY(!view->importancePlot()->xAxis->visible());
    QVERIFY(!view->importancePlot()->yAxis->visible());
  }

  void hparamsImportanceRanksTheKeyThatDrivesTheScore() {
    // Eight runs: the learning rate sets the best BLEU, the KL cycles vary without effect.
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    QStringList dirs;
    for (int i = 0; i < 8; ++i) {
      SyntheticRun run;
      run.config.optimizer.learning_rate = 0.001 * (1 + i);
      run.config.kl.cycles = 2 + (i * 3) % 4;
      run.scores = {{0.1 + 50 * run.config.optimizer.learning_rate, 0.2}};
      run.epochs = 1;
      writeSyntheticRun(root + "/r" + std::to_string(i), run);
      dirs << QString::fromStdString(root + "/r" + std::to_string(i));
    }
    MainWindow window;
    HParamsView* view = openHParams(window, dir.path(), dirs);
    QVERIFY(view);
    QVERIFY(importanceComputed(view, 120000));
    const ImportanceResult& result = view->importance();
    QVERIFY2(result.problem.empty(), result.problem.c_str());
    QVERIFY(view->importancePlot()->xAxis->visible());
    QCOMPARE(result.runs, 8);
    QCOMPARE(result.keys.front().key, std::string("optimizer.learning_rate"));
    QVERIFY(*result.keys.front().correlation > 0.9);
    // One bar set with its spread, a label beside each bar.
    QCOMPARE(view->importancePlot()->plottableCount(), 2);
    QVERIFY(view->importancePlot()->itemCount() >= 2);
    // Curves: a series against another, one curve per run; the loss against the step has a
    // point per train row (4 steps here).
    QCOMPARE(view->curvesPlot()->plottableCount(), 8);
    view->showCurves("step", "loss");
    QCOMPARE(view->curvesPlot()->plottableCount(), 8);
    auto* curve = qobject_cast<QCPCurve*>(view->curvesPlot()->plottable(0));
    QVERIFY(curve);
    QCOMPARE(curve->dataCount(), 4);
    QCOMPARE(view->curvesPlot()->xAxis->label(), QString("step"));

    // Linked views: brushing the top of the learning-rate axis selects those runs in the table.
    QList<int> all_rows;
    for (int r = 0; r < window.runsPanel()->model()->rowCount(); ++r) all_rows << r;
    const auto axes = hparamsAxes(*window.runsPanel()->model(), all_rows);
    int lr_axis = -1;
    for (int a = 0; a < static_cast<int>(axes.size()); ++a)
      if (axes[a].name == "optimizer.learning_rate") lr_axis = a;
    QVERIFY(lr_axis >= 0);
    QSignalSpy brushed(view, &HParamsView::runsBrushed);
    // lr 0.001..0.008 spans the axis: 0.006, 0.007 and 0.008 sit at 5/7 and above.
    view->brushAxis(lr_axis, 0.7, 1.0);
    QCOMPARE(brushed.count(), 1);
    QCOMPARE(view->brushedRunCount(), 3);
    QTRY_COMPARE(window.runsPanel()->selectedRuns().size(), 3);
    view->clearBrush();
    QCOMPARE(view->brushedRunCount(), 0);
  }

  void seedGroupsShowMeanAndStd() {
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    auto base = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    const double bleu_a[] = {0.6, 0.7, 0.8};
    for (int seed = 1; seed <= 3; ++seed) {
      SyntheticRun run;
      run.config = base;
      run.config.train.seed = static_cast<std::uint64_t>(seed);
      run.scores = {{bleu_a[seed - 1], 0.2}};
      run.epochs = 1;
      writeSyntheticRun(root + "/a-s" + std::to_string(seed), run);
    }
    for (int seed = 1; seed <= 2; ++seed) {
      SyntheticRun run;
      run.config = base;
      run.config.kl.cycles = 8;
      run.config.train.seed = static_cast<std::uint64_t>(seed);
      run.scores = {{0.5, 0.1}};
      run.epochs = 1;
      if (seed == 2) run.state = RunState::Failed;
      writeSyntheticRun(root + "/b-s" + std::to_string(seed), run);
    }
    RunsPanel panel;
    panel.setRoots({dir.path()});
    RunsTableModel& model = *panel.model();
    QCOMPARE(model.rowCount(), 5);
    panel.selectRuns({QString::fromStdString(root + "/a-s2")});
    model.setGroupSeeds(true);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.runCount(), 5);
    // By hand: mean 0.7, sample standard deviation sqrt((0.01 + 0 + 0.01) / 2) = 0.1.
    QCOMPARE(cell(model, 0, "run"), QString("a ×3"));  // the seed suffix differs: left out
    QCOMPARE(cell(model, 0, "best bleu"), QString("0.7 ± 0.1 (3)"));
    QCOMPARE(model.index(0, model.column("best bleu")).data(RunsTableModel::SortRole).toDouble(),
             0.7);
    QCOMPARE(cell(model, 0, "train.seed"), QString("1, 2, 3"));
    QCOMPARE(cell(model, 1, "best bleu"), QString("0.5 ± 0 (2)"));
    QCOMPARE(cell(model, 1, "status"), QString("1 completed, 1 failed"));
    QCOMPARE(cell(model, 1, "kl_annealing.cycles"), QString("8"));
    QCOMPARE(model.index(1, 0).data(RunsTableModel::RunDirsRole).toStringList().size(), 2);
    // Exported, a group's scores are mean, std and n in columns of their own, numbers in full.
    const QString csv_path = dir.filePath("runs.csv");
    QString error;
    QVERIFY2(panel.exportCsv(csv_path, &error), qPrintable(error));
    QFile csv_file(csv_path);
    QVERIFY(csv_file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv_file.readAll()).split('\n');
    const QStringList header = lines[0].split(',');
    const int mean = static_cast<int>(header.indexOf("best bleu mean"));
    QVERIFY(mean > 0);
    QCOMPARE(header[mean + 1], QString("best bleu std"));
    QCOMPARE(header[mean + 2], QString("best bleu n"));
    QCOMPARE(header.last(), QString("folders"));
    QCOMPARE(lines.size(), 4);  // header, two groups, the final newline
    int group_a_rows = 0;
    for (int l = 1; l <= 2; ++l) {
      const QStringList row = lines[l].split(',');
      if (!row[0].startsWith("a ×3")) continue;
      ++group_a_rows;
      QVERIFY(std::abs(row[mean].toDouble() - 0.7) < 1e-12);
      QVERIFY(std::abs(row[mean + 1].toDouble() - 0.1) < 1e-12);
      QCOMPARE(row[mean + 2], QString("3"));
    }
    QCOMPARE(group_a_rows, 1);
    // A folder that cannot be written is said, not a crash.
    QVERIFY(!panel.exportCsv(dir.filePath("runs.csv/inside.csv"), &error));

    // A sweep's members: their index and seed differ, so the group is named by what they
    // share; a name that is only a seed suffix keeps it.
    QTemporaryDir sweep_dir;
    const std::string sweep = sweep_dir.path().toStdString() + "/policy";
    std::filesystem::create_directories(sweep);
    writeFileAtomically(sweep + "/sweep.yaml", "name: policy\n");
    for (int seed = 1; seed <= 2; ++seed) {
      SyntheticRun run;
      run.config = base;
      run.config.train.seed = static_cast<std::uint64_t>(seed);
      run.scores = {{0.5, 0.1}};
      writeSyntheticRun(
          sweep + "/00" + std::to_string(seed + 1) + "-cyclical-s" + std::to_string(seed), run);
      run.config.kl.cycles = 8;
      writeSyntheticRun(sweep_dir.path().toStdString() + "/s" + std::to_string(seed), run);
    }
    RunsPanel sweep_panel;
    sweep_panel.setRoots({sweep_dir.path()});
    sweep_panel.model()->setGroupSeeds(true);
    QStringList names;
    for (int r = 0; r < sweep_panel.model()->rowCount(); ++r)
      names << sweep_panel.model()->index(r, 0).data().toString();
    names.sort();
    QCOMPARE(names, QStringList({"cyclical ×2", "s1 ×2"}));
    // The count says "1 run", not "1 runs".
    QTemporaryDir one_dir;
    writeSyntheticRun(one_dir.path().toStdString() + "/only", SyntheticRun{});
    RunsPanel one_panel;
    one_panel.setRoots({one_dir.path()});
    auto* count = one_panel.findChild<QLabel*>();
    QVERIFY(count);
    QVERIFY2(count->text().startsWith("1 run in "), qPrintable(count->text()));
    one_panel.setGroupSeeds(true);
    QVERIFY2(count->text().startsWith("1 group in "), qPrintable(count->text()));
    QVERIFY2(error.contains("runs.csv/inside.csv"), qPrintable(error));
    // A live refresh keeps the groups; ungrouping gives the runs back.
    model.refresh();
    QCOMPARE(model.rowCount(), 2);
    model.setGroupSeeds(false);
    QCOMPARE(model.rowCount(), 5);
  }

  void aSelectedSeedGroupIsDrawnAsAMeanWithABand() {
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    const double bleu[3][2] = {{0.2, 0.6}, {0.4, 0.7}, {0.3, 0.8}};
    QStringList dirs;
    for (int seed = 1; seed <= 3; ++seed) {
      SyntheticRun run;
      run.config.train.seed = static_cast<std::uint64_t>(seed);
      run.epochs = 2;
      run.scores = {{bleu[seed - 1][0], 0.1}, {bleu[seed - 1][1], 0.2}};
      writeSyntheticRun(root + "/g-s" + std::to_string(seed), run);
      dirs << QString::fromStdString(root + "/g-s" + std::to_string(seed));
    }
    MainWindow window;
    window.runsPanel()->setRoots({dir.path()});
    window.runsPanel()->model()->setGroupSeeds(true);
    QCOMPARE(window.runsPanel()->model()->rowCount(), 1);
    window.overlayRuns(dirs);
    // BLEU and the Gaussian score: a mean line and two band edges each, one legend entry.
    QCOMPARE(window.scorePlot()->overlayGraphCount(), 6);
    const QCPGraph* mean = nullptr;
    for (int g = 0; g < window.scorePlot()->graphCount(); ++g)
      if (window.scorePlot()->graph(g)->name() == "g ×3" ||
          window.scorePlot()->graph(g)->name().startsWith("BLEU (g ×3)"))
        if (!mean) mean = window.scorePlot()->graph(g);
    QVERIFY(mean);
    // By hand: epoch 1 mean (0.2 + 0.4 + 0.3) / 3 = 0.3; epoch 2 mean 0.7, std 0.1.
    QCOMPARE(mean->dataCount(), 2);
    QVERIFY(std::abs(mean->data()->at(0)->value - 0.3) < 1e-9);
    QVERIFY(std::abs(mean->data()->at(1)->value - 0.7) < 1e-9);
    bool upper_found = false;
    for (int g = 0; g < window.scorePlot()->graphCount(); ++g) {
      const QCPGraph* graph = window.scorePlot()->graph(g);
      if (graph->channelFillGraph() && graph->dataCount() == 2 &&
          std::abs(graph->data()->at(1)->value - 0.8) < 1e-9)
        upper_found = true;  // 0.7 + 0.1
    }
    QVERIFY(upper_found);
    // Ungrouped, the same runs are three dashed overlays again.
    window.runsPanel()->model()->setGroupSeeds(false);
    window.overlayRuns(dirs);
    QCOMPARE(window.scorePlot()->overlayGraphCount(), 6);
    QCOMPARE(window.overlayCount(), 3);
  }

  void forksShowAsATree() {
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    // base ← fork-late (step 8), base ← fork-early (step 4) ← fork-of-fork (step 6); other.
    auto write = [&](const std::string& name, const std::string& parent, std::int64_t step,
                     const std::string& started) {
      SyntheticRun run;
      run.epochs = 1;
      run.started = started;
      writeSyntheticRun(root + "/" + name, run);
      if (parent.empty()) return;
      const RunFolder folder = RunFolder::open(root + "/" + name);
      auto record = *folder.readRecord();
      record.parent = root + "/" + parent;
      record.fork_step = step;
      folder.writeRecord(record);
    };
    write("base", "", -1, "2026-11-30T10:00:00Z");
    write("fork-late", "base", 8, "2026-11-30T11:00:00Z");
    write("fork-early", "base/best.pt", 4, "2026-11-30T12:00:00Z");
    write("fork-of-fork", "fork-early", 6, "2026-11-30T13:00:00Z");
    write("other", "", -1, "2026-11-30T09:00:00Z");
    RunsPanel panel;
    panel.setRoots({dir.path()});
    RunsTableModel& model = *panel.model();
    const int fork_of = model.column("fork of");
    QVERIFY(fork_of >= 0);
    model.setForkTree(true);
    panel.proxy()->sort(-1);
    QStringList names;
    for (int r = 0; r < panel.proxy()->rowCount(); ++r)
      names << panel.proxy()->index(r, 0).data().toString();
    QCOMPARE(names, (QStringList{"base", QString::fromUtf8("└ fork-early"),
                                 QString::fromUtf8("    └ fork-of-fork"),
                                 QString::fromUtf8("└ fork-late"), "other"}));
    int early = -1;
    for (int r = 0; r < model.rowCount(); ++r)
      if (model.index(r, 0).data(RunsTableModel::RunDirRole).toString().endsWith("fork-early"))
        early = r;
    QCOMPARE(model.index(early, fork_of).data().toString(), QString("base/best.pt @ step 4"));
    // Seed groups and the tree exclude each other.
    model.setGroupSeeds(true);
    QVERIFY(!model.forkTree());
    model.setForkTree(true);
    QVERIFY(!model.groupSeeds());
    // A new fork appears under its parent on refresh.
    write("fork-late-2", "fork-late", 2, "2026-11-30T14:00:00Z");
    model.refresh();
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.index(4, 0).data().toString(), QString::fromUtf8("    └ fork-late-2"));
  }

  void valuesAtTheBestEvaluationOfAScore() {
    QTemporaryDir dir;
    SyntheticRun run;
    run.epochs = 3;
    run.scores = {{0.2, 0.1}, {0.5, 0.05}, {0.4, 0.3}};
    writeSyntheticRun(dir.filePath("r").toStdString(), run);
    RunsPanel panel;
    panel.setRoots({dir.path()});
    RunsTableModel& model = *panel.model();
    QVERIFY(model.column("best bleu") >= 0);
    model.setValuesAtBestOf("bleu");
    QCOMPARE(model.column("best bleu"), -1);
    // BLEU was best after epoch 1, at step 8: the loss then (1 / step) and the Gaussian score.
    QCOMPARE(cell(model, 0, "loss @ best bleu"), QString("0.125"));
    QCOMPARE(cell(model, 0, "kl @ best bleu"), QString("0.1"));
    QCOMPARE(cell(model, 0, "gaussian @ best bleu"), QString("0.05"));
    QCOMPARE(cell(model, 0, "bleu @ best bleu"), QString("0.5"));
    QCOMPARE(model.column("items_per_s @ best bleu"), -1);  // a speed, not a result
    model.setValuesAtBestOf("gaussian");
    QCOMPARE(cell(model, 0, "bleu @ best gaussian"), QString("0.4"));
    // The HParams views take these as scores.
    const auto axes = hparamsAxes(model, {0});
    bool found = false;
    for (const auto& axis : axes) found = found || axis.name == "kl @ best gaussian";
    QVERIFY(found);
    model.setValuesAtBestOf(QString());
    QCOMPARE(cell(model, 0, "best bleu"), QString("0.5"));
  }

  void thePanelsControlsDriveTheTable() {
    // The dock's own check boxes, menu, combo and spin box, as a user clicks them (the tests
    // above call the model directly).
    QTemporaryDir dir;
    writeRuns(dir.path().toStdString());
    SyntheticRun live;
    live.state = RunState::Running;
    live.scores = {{0.2, 0.1}};
    live.started = "2026-11-30T15:00:00Z";
    writeSyntheticRun(dir.filePath("live").toStdString(), live);
    RunsPanel panel;
    panel.setRoots({dir.path()});
    RunsTableModel& model = *panel.model();
    QCheckBox *fork_tree = nullptr, *group_seeds = nullptr;
    for (auto* box : panel.findChildren<QCheckBox*>())
      (box->text() == "Fork tree" ? fork_tree : group_seeds) = box;
    QVERIFY(fork_tree && group_seeds && group_seeds->text() == "Group seeds");
    auto* label = panel.findChild<QLabel*>();
    QVERIFY(label);

    // The tree and seed groups exclude each other; the tree turns sorting off, and back on.
    fork_tree->setChecked(true);
    QVERIFY(model.forkTree());
    QVERIFY(!panel.view()->isSortingEnabled());
    group_seeds->setChecked(true);
    QVERIFY(model.groupSeeds());
    QVERIFY(!fork_tree->isChecked());
    QVERIFY(!model.forkTree());
    QVERIFY(panel.view()->isSortingEnabled());
    QVERIFY2(label->text().contains("groups in "), qPrintable(label->text()));
    fork_tree->setChecked(true);
    QVERIFY(!group_seeds->isChecked());
    QVERIFY(!model.groupSeeds());
    fork_tree->setChecked(false);
    QVERIFY(panel.view()->isSortingEnabled());
    QCOMPARE(panel.view()->horizontalHeader()->sortIndicatorSection(), 4);  // newest first
    QCOMPARE(panel.proxy()->index(0, 0).data().toString(), QString("live"));

    // The value columns: best & last, or every value at one score's best.
    auto* values = panel.findChild<QComboBox*>();
    QVERIFY(values);
    QCOMPARE(values->count(), 3);
    QCOMPARE(values->itemText(1), QString("at best bleu"));
    values->setCurrentIndex(1);
    Q_EMIT values->activated(1);
    QCOMPARE(model.valuesAtBestOf(), QString("bleu"));
    QVERIFY(model.column("kl @ best bleu") >= 0);

    // β at a step, from the spin box.
    auto* step = panel.findChild<QSpinBox*>();
    QVERIFY(step);
    step->setValue(100);
    QCOMPARE(model.scheduleStep(), std::int64_t(100));
    QVERIFY(model.differingKeys().contains("β at step 100"));
    step->setValue(-1);
    QVERIFY(!model.differingKeys().contains("β at step 100"));

    // A selected run that is being written is asked for again at each refresh, so its overlay
    // follows it; a finished one is not.
    QSignalSpy selected(&panel, &RunsPanel::selectionChanged);
    panel.selectRuns({dir.filePath("live")});
    QTRY_COMPARE(selected.count(), 1);
    QVERIFY2(label->text().contains("1 selected"), qPrintable(label->text()));
    panel.refresh();
    QCOMPARE(selected.count(), 2);
    QCOMPARE(selected.last().at(0).toStringList(), QStringList{dir.filePath("live")});
    panel.selectRuns({dir.filePath("lone")});
    QTRY_COMPARE(selected.count(), 3);
    panel.refresh();
    QCOMPARE(selected.count(), 3);

    // Diff, probe and notes want the right number of runs, and say so.
    QVERIFY(panel.showConfigDiff() == nullptr);
    QVERIFY2(label->text().startsWith("Select two or more runs"), qPrintable(label->text()));
    QVERIFY(panel.showPairedProbe() == nullptr);
    QVERIFY2(label->text().startsWith("Select exactly two runs"), qPrintable(label->text()));
    auto* notes = panel.editNotes();  // the selected lone run's
    QVERIFY(notes);
    notes->findChild<QLineEdit*>("tagsEdit")->setText("kept, , lr ");
    notes->findChild<QPlainTextEdit*>("notesEdit")->setPlainText("from the dialog");
    notes->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save)->click();
    QCOMPARE(RunFolder::open(dir.filePath("lone").toStdString()).readNotes().tags,
             std::vector<std::string>({"kept", "lr"}));
    panel.selectRuns({});
    QTRY_COMPARE(selected.count(), 4);
    QVERIFY(panel.editNotes() == nullptr);
    QVERIFY2(label->text().startsWith("Select a run"), qPrintable(label->text()));

    // The Folders menu: removing the folder empties the table and the score choices (the
    // value columns fall back to best & last); adding it back, once, restores them.
    QSignalSpy roots(&panel, &RunsPanel::rootsChanged);
    QMenu* menu = panel.findChild<QPushButton*>("foldersButton")->menu();
    QVERIFY(menu);
    QAction* remove = nullptr;
    for (auto* action : menu->actions())
      if (action->text() == "Remove " + dir.path()) remove = action;
    QVERIFY(remove);
    remove->trigger();
    QCOMPARE(roots.count(), 1);
    QVERIFY(roots.last().at(0).toStringList().isEmpty());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(values->count(), 1);
    QCOMPARE(model.valuesAtBestOf(), QString());
    QVERIFY2(label->text().contains("no folder (Folders → Add folder…)"),
             qPrintable(label->text()));
    panel.addRoot(dir.path());
    panel.addRoot(dir.path());
    panel.addRoot(QString());
    QCOMPARE(roots.count(), 2);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(values->count(), 3);
    // A folder that is gone is listed as such.
    panel.addRoot(dir.filePath("nowhere"));
    QVERIFY2(label->text().contains("nowhere (not found)"), qPrintable(label->text()));
  }

  void notesAndTagsRoundTripAndFilter() {
    QTemporaryDir dir;
    writeRuns(dir.path().toStdString());
    RunsPanel panel;
    panel.setRoots({dir.path()});
    const QString run = panel.model()->runDir(2);
    QString error;
    QVERIFY(
        panel.saveNotes(run, " best, cyclical-2 ,best", "Kept z in use.\nTry 3 seeds.", &error));
    const RunNotes notes = RunFolder::open(run.toStdString()).readNotes();
    QCOMPARE(notes.tags, std::vector<std::string>({"best", "cyclical-2"}));
    QCOMPARE(notes.text, std::string("Kept z in use.\nTry 3 seeds."));
    QCOMPARE(cell(*panel.model(), 2, "tags"), QString("best, cyclical-2"));
    QCOMPARE(cell(*panel.model(), 2, "notes"), QString("Kept z in use. Try 3 seeds."));
    panel.setFilterText("best");
    QCOMPARE(panel.proxy()->rowCount(), 1);
    panel.setFilterText("");
    // Notes written by hand are read too; a malformed file is named, not fatal.
    std::ofstream(run.toStdString() + "/notes.yaml") << "tags: {a: 1}\n";
    const std::string message = [&] {
      try {
        RunFolder::open(run.toStdString()).readNotes();
      } catch (const InputError& e) {
        return std::string(e.what());
      }
      return std::string();
    }();
    QVERIFY2(QString::fromStdString(message).contains("notes.yaml:1: 'tags' must be a list"),
             message.c_str());
    // Tags the table could not list are refused by the writer.
    RunNotes bad;
    bad.tags = {"a,b"};
    QVERIFY_THROWS_EXCEPTION(InputError, RunFolder::open(run.toStdString()).writeNotes(bad));
    bad.tags = {"  "};
    QVERIFY_THROWS_EXCEPTION(InputError, RunFolder::open(run.toStdString()).writeNotes(bad));
    std::ofstream(run.toStdString() + "/notes.yaml") << "";
  }

  void sweepDialogPlansShowsAndLaunches() {
    QTemporaryDir dir;
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    config.output.dir = dir.filePath("runs").toStdString();
    config.train.epochs = 10;
    SweepDialog dialog(config, 20);
    QVERIFY(!dialog.plan());  // nothing to sweep yet: a hint, not an error in red
    QVERIFY2(dialog.problem().startsWith("Nothing to sweep yet"), qPrintable(dialog.problem()));
    auto* status = dialog.findChild<QLabel*>("sweepStatus");
    QVERIFY(status);
    QVERIFY(!status->styleSheet().contains("color"));
    for (const char* example : {"0.001, 0.003", "log 0.0001..0.01 x3"}) {  // the hint's
      dialog.setValues("optimizer.learning_rate", example);
      QVERIFY2(dialog.plan(), qPrintable(dialog.problem()));
    }
    dialog.setValues("optimizer.learning_rate", "");
    dialog.setValues("kl_annealing.policy", "monotonic, cyclical");
    dialog.setValues("kl_annealing.ratio", "0.25..0.75 x3");
    dialog.setSeeds("1, 2");
    QVERIFY2(dialog.plan(), qPrintable(dialog.problem()));
    QCOMPARE(dialog.plan()->members.size(), size_t(12));
    // Every member's β and teacher-forcing curves, before anything runs.
    QCOMPARE(dialog.preview()->graphCount(), 24);
    QCOMPARE(dialog.plan()->members[2].config.kl.ratio, 0.5);  // seeds vary fastest
    // A bad value names its key, and nothing can be launched.
    dialog.setValues("kl_annealing.ratio", "0.5, 2");
    QVERIFY(!dialog.plan());
    QVERIFY2(dialog.problem().startsWith("kl_annealing.ratio: expected a number in [0, 1]"),
             qPrintable(dialog.problem()));
    QCOMPARE(dialog.preview()->graphCount(), 0);
    dialog.setValues("kl_annealing.ratio", "0.25..0.75 x");
    QVERIFY(dialog.problem().contains("A..B xN"));
    QVERIFY(status->styleSheet().contains("color"));  // a mistake is in red
    dialog.setValues("kl_annealing.ratio", "");

    // Launch: the folder holds the base config and a sweep file that cvae-cli reads back.
    const QString fake = dir.filePath("fake-cli.sh");
    QFile script(fake);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(("#!/bin/sh\necho \"$@\" > " + dir.filePath("args.txt") + "\n").toUtf8());
    script.close();
    script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    dialog.setExecutable(fake);
    dialog.setName("kl");
    QSignalSpy launched(&dialog, &SweepDialog::launched);
    const QString sweep_dir = dialog.launch();
    QVERIFY2(!sweep_dir.isEmpty(), qPrintable(dialog.problem()));
    QCOMPARE(launched.count(), 1);
    QVERIFY(QFileInfo(sweep_dir).fileName().startsWith("kl-"));
    const auto plan = expandSweep(readSweepFile((sweep_dir + "/sweep.yaml").toStdString()));
    QCOMPARE(plan.members.size(), size_t(4));
    QCOMPARE(plan.base.train.epochs, 10);
    QTRY_VERIFY(QFileInfo(dir.filePath("args.txt")).size() > 0);
    QFile args(dir.filePath("args.txt"));
    QVERIFY(args.open(QIODevice::ReadOnly));
    QCOMPARE(QString(args.readAll()).trimmed(),
             "sweep " + sweep_dir + "/sweep.yaml --out " + sweep_dir + " --parallel " +
                 QString::number(std::max(1, QThread::idealThreadCount())));
  }

  void hparamsAxesScaleNumbersAndSpaceCategories() {
    QTemporaryDir dir;
    writeRuns(dir.path().toStdString());
    RunsTableModel model;
    model.setRoots({dir.path()});
    const auto axes = hparamsAxes(model, {0, 1, 2, 3});
    QStringList names;
    for (const auto& a : axes) names << a.name;
    QCOMPARE(names, QStringList({"optimizer.learning_rate", "kl_annealing.policy",
                                 "kl_annealing.cycles", "β warm-up end (epoch)", "mean β",
                                 "β rises", "best bleu", "best gaussian"}));
    const HParamsAxis& policy = axes[1];
    QVERIFY(!policy.numeric);
    QCOMPARE(policy.categories, QStringList({"cyclical", "monotonic"}));
    QCOMPARE(policy.position(1), 1.0);  // row 1 is the monotonic member
    QCOMPARE(policy.position(2), 0.0);
    const HParamsAxis& bleu = axes[6];
    QVERIFY(bleu.numeric);
    QCOMPARE(bleu.min, 0.3);
    QCOMPARE(bleu.max, 0.71);
    QCOMPARE(bleu.position(0), 0.0);
    QCOMPARE(bleu.position(2), 1.0);
    QCOMPARE(bleu.label(1.0), QString("0.71"));
  }
};

CVAE_TEST_MAIN(TestRunsTable);
#include "test_runs_table.moc"
