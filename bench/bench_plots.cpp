// How the workbench's live plots cope with long runs: feeds the main window's metric store the
// way the training worker does (batches of progress reports, the event loop running between
// them, so each batch costs an append and one queued replot of every plot) until each series
// holds 100,000 points, and reports the time a batch takes as the plots fill up. The GUI gets at
// most ~30 batches a second, so a batch must stay well under 33 ms for the plots to keep up.
// Runs offscreen unless QT_QPA_PLATFORM says otherwise. Prints "name value unit" lines.
//   bench_plots [POINTS] [REPORTS_PER_BATCH]
#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/CrossThreadTypes.h"
#include "ui/MainWindow.h"
#include "ui/MetricPlot.h"

namespace {

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

// A plausible loss curve with noise, so adaptive sampling sees real variation.
cvae::ProgressReport fakeReport(int64_t step, int64_t batches_per_epoch) {
  cvae::ProgressReport r;
  r.step = step;
  r.epoch = static_cast<int>(step / batches_per_epoch);
  r.batches_per_epoch = batches_per_epoch;
  const double t = static_cast<double>(step);
  const double noise = 0.05 * std::sin(t * 12.9898) * std::sin(t * 0.37);
  r.reconstruction = 2.0 * std::exp(-t / 20000.0) + 0.1 + noise;
  r.kl = 0.5 + 0.2 * std::sin(t / 3000.0) + noise;
  r.beta = std::fmod(t / 25000.0, 1.0);
  r.loss = r.reconstruction + r.beta * r.kl;
  r.teacher_forcing = std::max(0.0, 1.0 - t / 100000.0);
  r.learning_rate = 1e-3;
  r.items_per_second = 2300 + 100 * noise;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const int64_t points = argc > 1 ? std::stoll(argv[1]) : 100000;
  const int64_t per_batch = argc > 2 ? std::stoll(argv[2]) : 20;
  cvae::ui::registerCrossThreadTypes();
  cvae::ui::MainWindow window;
  window.resize(1280, 800);
  window.show();
  QApplication::processEvents();

  // Counts the loss plot's actual redraws, to show that every batch was drawn.
  int64_t replots = 0;
  QObject::connect(window.lossPlot(), &QCustomPlot::afterReplot, [&replots] { ++replots; });
  constexpr int64_t kBatchesPerEpoch = 1000;
  int64_t batches = 0;
  std::vector<double> first_tenth, last_tenth;
  QElapsedTimer total;
  total.start();
  for (int64_t step = 1; step <= points; step += per_batch) {
    QVector<cvae::ProgressReport> batch;
    for (int64_t s = step; s < std::min(points + 1, step + per_batch); ++s)
      batch.push_back(fakeReport(s, kBatchesPerEpoch));
    QElapsedTimer timer;
    timer.start();
    window.store().addProgress(batch);
    QApplication::processEvents();  // the queued replots run here
    ++batches;
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (step <= points / 10) first_tenth.push_back(ms);
    if (step > points - points / 10) last_tenth.push_back(ms);
  }
  const double total_s = static_cast<double>(total.nsecsElapsed()) / 1e9;
  std::printf("plots_points_per_series %lld points\n", static_cast<long long>(points));
  std::printf("plots_reports_per_batch %lld reports\n", static_cast<long long>(per_batch));
  std::printf("plots_batches %lld batches\n", static_cast<long long>(batches));
  std::printf("plots_loss_plot_redraws %lld redraws\n", static_cast<long long>(replots));
  std::printf("plots_batch_median_first_10pct %.2f ms\n", percentile(first_tenth, 0.5));
  std::printf("plots_batch_median_last_10pct %.2f ms\n", percentile(last_tenth, 0.5));
  std::printf("plots_batch_p99_last_10pct %.2f ms\n", percentile(last_tenth, 0.99));
  std::printf("plots_batch_max_last_10pct %.2f ms\n", percentile(last_tenth, 1.0));
  std::printf("plots_total %.2f s\n", total_s);
  return 0;
}
