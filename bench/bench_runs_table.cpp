// How the Runs dock copes with many runs: writes N synthetic run folders shaped like real ones
// (a train row per step, an eval row per evaluated epoch, status and config files; half of them
// as members of sweeps), then times loading them into the runs table, a refresh with nothing
// new, sorting by a score and by a config key, filtering, and the parameter importance over all
// of them. Prints "name value unit" lines.
//   bench_runs_table [RUNS] [EPOCHS] [STEPS_PER_EPOCH] [DIR]
// Defaults: 500 runs of 60 epochs of 77 steps (the tense preset's epoch on the course data).
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/analysis/RunImportance.h"
#include "tests/SyntheticRuns.h"
#include "ui/runs/RunsFilterModel.h"
#include "ui/runs/RunsPanel.h"
#include "ui/runs/RunsTableModel.h"

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM",
          qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
  QApplication app(argc, argv);
  const int runs = argc > 1 ? std::atoi(argv[1]) : 500;
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 60;
  const int steps = argc > 3 ? std::atoi(argv[3]) : 77;
  QTemporaryDir temporary;
  const std::string root = argc > 4 ? argv[4] : temporary.path().toStdString();

  using namespace cvae;
  QElapsedTimer timer;
  timer.start();
  if (!std::filesystem::exists(root + "/.made")) {
    for (int i = 0; i < runs; ++i) {
      SyntheticRun run;
      run.config.kl.cycles = 1 + i % 8;
      run.config.optimizer.learning_rate = 1e-3 * (1 + i % 5);
      run.config.train.seed = static_cast<std::uint64_t>(i);
      run.epochs = epochs;
      run.steps_per_epoch = steps;
      for (int e = 0; e < epochs; e += 5) run.scores.push_back({0.5 + 0.4 * std::sin(i + e), 0.3});
      run.scores.resize(static_cast<size_t>(epochs));
      const std::string dir =
          i % 2 ? root + "/sweep-" + std::to_string(i % 10) + "/" + std::to_string(i)
                : root + "/run-" + std::to_string(i);
      writeSyntheticRun(dir, run);
      if (i % 2) std::ofstream(root + "/sweep-" + std::to_string(i % 10) + "/sweep.yaml") << "x";
    }
    std::ofstream(root + "/.made") << "";
    std::printf("made %d runs of %d steps in %.1f s\n", runs, epochs * steps,
                timer.elapsed() / 1000.0);
  }

  cvae::ui::RunsPanel panel;
  panel.resize(1200, 400);
  panel.show();
  QCoreApplication::processEvents();
  timer.restart();
  panel.setRoots({QString::fromStdString(root)});
  QCoreApplication::processEvents();
  std::printf("load_runs %.0f ms (%d runs)\n", static_cast<double>(timer.elapsed()),
              panel.model()->rowCount());
  timer.restart();
  panel.refresh();
  QCoreApplication::processEvents();
  std::printf("refresh_unchanged %.0f ms\n", static_cast<double>(timer.elapsed()));
  auto* proxy = panel.proxy();
  for (const char* column : {"best bleu", "kl_annealing.cycles", "run"}) {
    timer.restart();
    proxy->sort(panel.model()->column(column), Qt::DescendingOrder);
    panel.view()->viewport()->repaint();
    std::printf("sort_by[%s] %.1f ms\n", column, static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  timer.restart();
  panel.setFilterText("sweep-3 completed");
  panel.view()->viewport()->repaint();
  std::printf("filter %.1f ms (%d rows)\n", static_cast<double>(timer.nsecsElapsed()) / 1e6,
              proxy->rowCount());
  timer.restart();
  for (int i = 0; i < 50; ++i) {
    panel.view()->verticalScrollBar()->setValue(i * 10);
    panel.view()->viewport()->repaint();
  }
  std::printf("scroll_repaint %.2f ms per page\n",
              static_cast<double>(timer.nsecsElapsed()) / 1e6 / 50);
  // The HParams importance over every listed run (the forest fits run off the GUI thread in the
  // app; timed here directly): the differing keys against best BLEU.
  std::vector<RunSummary> summaries;
  for (int r = 0; r < panel.model()->runCount(); ++r)
    summaries.push_back(panel.model()->summary(r));
  timer.restart();
  const ImportanceResult importance = importanceOverRuns(summaries, "bleu", ScoreSummary::Best);
  std::printf("importance %.0f ms (%d runs, %zu keys)\n", static_cast<double>(timer.elapsed()),
              importance.runs, importance.keys.size());
  return 0;
}
