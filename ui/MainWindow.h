#pragma once
// The workbench window: it composes the panels and wires them to the training controller; the
// panels own their widgets, the MetricStore owns the history, the controller owns the thread.

#include <QAction>
#include <QDateTime>
#include <QLabel>
#include <QMainWindow>
#include <QTimer>

#include <QPointer>
#include <QProgressBar>
#include <QSlider>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/schedules/Schedules.h"
#include "ui/MetricPlot.h"
#include "ui/MetricStore.h"
#include "ui/RunHistory.h"
#include "ui/TrainingController.h"

namespace cvae::ui {

class ForkDifferenceDialog;
class TryItDialog;

class ExperimentPanel;
class HParamsView;
class RunsPanel;
class SweepDialog;
class MetricPlot;
class PreviewPanel;
class SchedulePanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  // Sizes the window and its panels for a screen with `available` room: 1280x800 at most, the
  // side panels about a quarter of the width each, the runs table about 30 % of the height. The
  // constructor calls it with the primary screen's room.
  void fitToScreen(const QSize& available);
  ~MainWindow() override;

  const ExperimentConfig& config() const { return config_; }
  // Replaces the config shown in every panel (tests, Open, the experiment selector).
  void setConfig(const ExperimentConfig& config);
  // Loads a YAML config; on error shows a dialog, keeps the current config, returns false.
  bool openConfig(const QString& path);
  // Shows a run folder's curves and previews; with `follow`, keeps reading what another
  // process (a distributed rank 0, a CLI run) appends, once a second, until another run opens.
  // A folder of previews alone (`cvae-cli evaluate --save-previews DIR`) shows its previews.
  bool openRun(const QString& run_dir, bool follow = false);
  bool isFollowing() const { return follow_ != nullptr; }
  // The previews of an `evaluate --save-previews` folder (previews.tsv, and for video its
  // preview-frames/): no run around them, so the plots are cleared. On error shows a dialog
  // and returns false.
  bool openSavedPreviews(const QString& dir);
  bool openSweepFolder(const QString& dir);
  // Draws a finished run's curves, dashed, over the plots to compare it with the current one
  // (another schedule, say). On error shows a dialog and returns false.
  bool overlayRun(const QString& run_dir, bool quiet = false);
  // Overlays these runs (the Runs table's selection), each in its own colour, replacing the
  // overlays shown; at most kMaxOverlays, said in the status bar when more are given.
  // With the Runs table grouping seeds, the runs of one group are drawn as its mean inside a
  // ± standard deviation band instead (one colour per group).
  void overlayRuns(const QStringList& run_dirs);
  // Draws `run_dirs` (a seed group) as one mean line with a band, named `label`.
  bool overlayGroup(const QString& label, const QStringList& run_dirs);
  static constexpr int kMaxOverlays = 8;
  /// The least width of the side panels (experiment, schedules, previews), in pixels.
  static constexpr int kSidePanelLeastWidth = 220;
  /// The dock layout's version in the saved window state; a state of another version is not
  /// restored (the window opens with the default layout). Raise it when the default changes.
  /// 1: the runs table under the plots and settings only, the previews the whole height.
  static constexpr int kWindowStateVersion = 1;
  // The HParams views over the selected runs of the Runs table (all listed when none).
  void showHParams();
  // Every plot back to spanning its data (View → Reset plot zoom).
  void resetPlotZoom();
  // The export dialogs start in the run in view and suggest names after it.
  void updateExportSuggestions();
  // The loss plots' smoothing (0 raw .. 0.99), kept in the settings (toolbar slider).
  void setSmoothing(double weight);
  // Asked before quitting during a run (a dialog by default; tests answer for the user).
  void setQuitConfirmation(std::function<bool()> confirm) { confirm_quit_ = std::move(confirm); }
  // Schedules → Sweep…: a dialog over the current config; a launched sweep shows in the Runs
  // table, filtered to it.
  SweepDialog* openSweepDialog();
  void clearOverlays();
  int overlayCount() const { return static_cast<int>(overlays_.size()); }

  // Parts, for tests and screenshots.
  TrainingController& controller() { return controller_; }
  MetricStore& store() { return store_; }
  SchedulePanel* schedulePanel() const { return schedules_; }
  ExperimentPanel* experimentPanel() const { return experiment_; }
  PreviewPanel* previewPanel() const { return previews_; }
  RunsPanel* runsPanel() const { return runs_; }
  HParamsView* hparamsView() const { return hparams_; }
  MetricPlot* lossPlot() const { return loss_plot_; }
  MetricPlot* scorePlot() const { return score_plot_; }
  MetricPlot* schedulePlot() const { return schedule_plot_; }
  MetricPlot* latentPlot() const { return latent_plot_; }
  QAction* startAction() const { return start_; }
  QAction* pauseAction() const { return pause_; }
  QAction* stopAction() const { return stop_; }
  QAction* continueAction() const { return continue_; }
  QAction* forkAction() const { return fork_; }
  QAction* linkXAction() const { return link_x_; }
  const QString& runDirectory() const { return run_dir_; }
  QString lastError() const { return last_error_; }
  // The status bar's lasting text (what is shown, where from).
  QString statusText() const;
  // The run in view is a fork whose parent is overlaid: View → Difference to the parent.
  bool canShowForkDifference() const { return fork_parent_ != nullptr; }
  // The posterior-collapse warning in the status bar (hidden until the watch says collapse).
  const QLabel* collapseWarning() const { return collapse_label_; }
  // Opens the fork − parent plots (non-modal); nullptr, with a status message, when the run
  // in view is not a fork with its parent loaded.
  ForkDifferenceDialog* showForkDifference();
  // Run → Try it…: probes of the run in view's checkpoint (ui/TryItDialog); nullptr, with a
  // status message, when there is none.
  TryItDialog* tryIt();
  // View → X axis: every plot, overlays included, in epochs, steps or training time.
  void setXAxis(XAxis axis);
  XAxis xAxisMode() const { return x_axis_; }

 public Q_SLOTS:
  void startTraining();
  // Continues the run in view (stopped, interrupted, or finished with more epochs in the form)
  // from its last.pt, in place.
  void continueRun();
  // Starts a new run from the run in view with the panels' schedules; a paused run is stopped
  // first (saving its last.pt). The original run's folder is not changed.
  void forkRun();
  void togglePause();
  void stopTraining();
  void setDarkPalette(bool dark);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildActions();
  void buildLayout();
  void connectController();
  void updateControls();
  void refreshSchedulePreview();
  // Runs core validateConfig on the forms' values and shows a failing relation (a floor above
  // the initial ratio) in the form that has its key, so Start is disabled before it is pressed.
  void checkFormRelations();
  void showError(const QString& title, const QString& text);
  void makeDefaultData();
  void rememberRecent(const QString& path);
  void rebuildRecentMenu();
  QString statusText(const ProgressReport& r) const;
  void setStatus(const QString& text);
  int64_t batchesPerEpochEstimate() const;
  // Adds `folder` to the runs table's folders unless a listed one already finds `run_dir` (a run
  // or a sweep member's place) within findRunFolders' depth: a run opened from elsewhere was
  // shown but not listed.
  void listInRunsTable(const QString& run_dir, const QString& folder);
  // The run in view's last.pt, empty when the folder is not a run.
  QString lastCheckpoint() const;

  ExperimentConfig config_;
  MetricStore store_;
  std::vector<std::unique_ptr<MetricStore>> overlays_;  // other runs drawn over the plots
  int overlay_colours_ = 0;
  std::function<bool()> confirm_quit_;
  QStringList overlay_dirs_;  // what is overlaid, to draw again when the smoothing changes
  QSlider* smoothing_ = nullptr;
  QAction* link_x_ = nullptr;
  QLabel* smoothing_value_ = nullptr;  // runs and groups overlaid, each its own colour
  TrainingController controller_;
  ExperimentPanel* experiment_ = nullptr;
  SchedulePanel* schedules_ = nullptr;
  PreviewPanel* previews_ = nullptr;
  RunsPanel* runs_ = nullptr;
  HParamsView* hparams_ = nullptr;
  MetricPlot* loss_plot_ = nullptr;
  MetricPlot* schedule_plot_ = nullptr;
  MetricPlot* score_plot_ = nullptr;
  MetricPlot* latent_plot_ = nullptr;  // the collapse watch (tense, video)
  static constexpr int kMaxLatentLines = 64;
  void updateLatentTitle();
  QList<PlotSeries> loss_series_, score_series_;  // as the plots name and colour them
  const MetricStore* fork_parent_ = nullptr;      // in overlays_, while the view is a fork
  double fork_x_ = 0;                             // the fork step, in epochs
  QString fork_parent_dir_;                       // the parent's folder, while a fork is in view
  XAxis x_axis_ = XAxis::Epoch;
  // The Schedules plot's plan: the run's schedules from step 0, then each edit made while
  // paused from its step on (live: as resumed; an opened run: config.yaml and edits.yaml).
  std::vector<PlanSegment> plan_segments_;
  mutable QString estimate_key_;  // what estimate_ was computed for
  mutable int64_t estimate_ = 1;
  int64_t plan_batches_per_epoch_ = 0;  // drawn for this many steps per epoch (0: redraw)
  void planFromRunFolder();
  void drawFormPlan(const ExperimentConfig& form);
  bool showsFormPlan() const;
  bool noRunInView() const;
  void clearFormPlanUnderOverlays();
  void drawSchedulePlan();
  // Draws `curves` as the Schedules plot's planned β and teacher forcing.
  void showPlan(const ScheduleCurves& curves);
  QAction *start_ = nullptr, *pause_ = nullptr, *stop_ = nullptr, *dark_ = nullptr;
  QAction *continue_ = nullptr, *fork_ = nullptr;
  bool fork_after_stop_ = false;  // Fork from here while paused: stop, then fork
  QMenu* recent_menu_ = nullptr;
  QMenu* view_menu_ = nullptr;
  QLabel* status_label_ = nullptr;  // set through setStatus()
  QLabel* collapse_label_ = nullptr;
  QProgressBar* progress_bar_ = nullptr;
  QString last_error_;
  QString run_dir_;
  std::unique_ptr<MetricsCsvTail> follow_;  // set while following a run folder
  QTimer follow_timer_;
  QDateTime follow_previews_time_;
  void followTick();
  void stopFollowing();
  QPointer<QThread> data_maker_;  // making the embedded data set, if under way
};

}  // namespace cvae::ui
