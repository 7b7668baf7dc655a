#include "ui/MainWindow.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QThread>
#include <QToolBar>

#include <algorithm>
#include <cmath>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/config/Presets.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/runs/MetricsFile.h"
#include "core/runs/RunFolder.h"
#include "core/training/Checkpoint.h"
#include "core/training/PreviewFile.h"
#include "core/training/RunStart.h"
#include "core/training/ScoresFile.h"
#include "ui/ExperimentPanel.h"
#include "ui/ForkDifferenceDialog.h"
#include "ui/MetricPlot.h"
#include "ui/PlotTheme.h"
#include "ui/PreviewPanel.h"
#include "ui/RunHistory.h"
#include "ui/SaveDialog.h"
#include "ui/SchedulePanel.h"
#include "ui/TryItDialog.h"
#include "ui/WheelGuard.h"
#include "ui/runs/HParamsView.h"
#include "ui/runs/RunsPanel.h"
#include "ui/runs/RunsTableModel.h"
#include "ui/settings/SweepDialog.h"

// Resources of a static library must be registered by name, outside any namespace.
static void initWorkbenchResources() {
  Q_INIT_RESOURCE(workbench);
}

namespace cvae::ui {

namespace {
// Run files are named by RunFolder alone; these wrap its paths for Qt.
QString previewsFile(const QString& run_dir) {
  try {
    return QString::fromStdString(RunFolder::open(run_dir.toStdString()).previewsPath());
  } catch (const std::exception&) {
    return QString();
  }
}
}  // namespace

QString MainWindow::lastCheckpoint() const {
  try {
    return QString::fromStdString(RunFolder::open(run_dir_.toStdString()).lastCheckpointPath());
  } catch (const std::exception&) {
    return QString();
  }
}
namespace {

constexpr int kMaxRecent = 8;

QString clockText(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return QString("%1:%2:%3")
      .arg(s / 3600)
      .arg((s / 60) % 60, 2, 10, QChar('0'))
      .arg(s % 60, 2, 10, QChar('0'));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  initWorkbenchResources();
  setWindowTitle(tr("CVAE Experiment Workbench"));
  setWindowIcon(QIcon(":/icons/workbench.svg"));
  buildActions();
  buildLayout();
  // Mouse-wheel scrolling never changes an unfocused drop-down or spin box, in any panel.
  qApp->installEventFilter(new WheelGuard(this));
  connectController();
  // A bad embedded preset must not take the window down: the built-in defaults and a message.
  try {
    setConfig(presetConfig(ExperimentKind::Tense));
  } catch (const std::exception& e) {
    setConfig(ExperimentConfig::defaultsFor(ExperimentKind::Tense));
    showError(tr("Cannot load the preset"), QString::fromStdString(e.what()));
  }

  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray(), kWindowStateVersion);
  setDarkPalette(settings.value("view/dark", false).toBool());
  runs_->setRoots(
      settings.value("runs/folders", QStringList{QDir::current().filePath("runs")}).toStringList());
  rebuildRecentMenu();
  updateControls();

  // First start: make the embedded data set now, so pressing Start just works.
  if (config_.data.train.empty() && !embeddedDataFiles(config_.kind).exist()) makeDefaultData();
}

MainWindow::~MainWindow() {
  // The data maker takes about half a second; let it finish rather than leave it running.
  if (data_maker_) {
    data_maker_->wait();
    delete data_maker_;
  }
}

void MainWindow::buildActions() {
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(QIcon(":/icons/open-config.svg"), tr("&Open config…"), QKeySequence::Open, this,
                  [this] {
                    const QString path = QFileDialog::getOpenFileName(
                        this, tr("Open config"), "configs", tr("YAML (*.yaml *.yml)"));
                    if (!path.isEmpty()) openConfig(path);
                  });
  file->addAction(QIcon(":/icons/save-config.svg"), tr("&Save config as…"), QKeySequence::SaveAs,
                  this, [this] {
                    const QString path = askSavePath(this, tr("Save config"), "configs",
                                                     QString::fromStdString(config_.name) + ".yaml",
                                                     tr("YAML"), {"yaml", "yml"});
                    if (path.isEmpty()) return;
                    try {
                      saveConfigFile(config_, path.toStdString());
                      rememberRecent(path);
                    } catch (const std::exception& e) {
                      showError(tr("Cannot save the config"), QString::fromStdString(e.what()));
                    }
                  });
  recent_menu_ = file->addMenu(tr("Recent configs"));
  file->addSeparator();
  auto* open_run = file->addAction(QIcon(":/icons/open-run.svg"), tr("Open &run…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run directory"), "runs");
    if (!dir.isEmpty()) openRun(dir);
  });
  file->addAction(QIcon(":/icons/follow-run.svg"), tr("&Follow a running run…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Follow a run another process is writing (e.g. a distributed rank 0)"), "runs");
    if (!dir.isEmpty()) openRun(dir, /*follow=*/true);
  });
  auto* overlay_run =
      file->addAction(QIcon(":/icons/overlay-run.svg"), tr("O&verlay another run…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Draw a run's curves over the plots, to compare"), "runs");
        if (!dir.isEmpty()) overlayRun(dir);
      });
  file->addAction(tr("Clear overlays"), this, &MainWindow::clearOverlays);
  file->addAction(QIcon(":/icons/export.svg"), tr("Export metrics as CSV…"), this, [this] {
    const QString path = askSavePath(
        this, tr("Export metrics"), run_dir_,
        QFileInfo(QDir::cleanPath(run_dir_)).fileName() + "-metrics.csv", tr("CSV"), {"csv"});
    QString error;
    if (!path.isEmpty() && !store_.exportCsv(path, &error)) showError(tr("Cannot export"), error);
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  start_ = new QAction(QIcon(":/icons/start.svg"), tr("Start"), this);
  start_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  start_->setToolTip(tr("Start training (Ctrl+R)"));
  pause_ = new QAction(QIcon(":/icons/pause.svg"), tr("Pause"), this);
  pause_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
  pause_->setToolTip(
      tr("Pause or resume between steps (Ctrl+P); while paused, schedules and learning rate can be "
         "edited"));
  stop_ = new QAction(QIcon(":/icons/stop.svg"), tr("Stop"), this);
  stop_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
  stop_->setToolTip(tr("Finish the current step, save a checkpoint and stop (Ctrl+.)"));
  connect(start_, &QAction::triggered, this, &MainWindow::startTraining);
  connect(pause_, &QAction::triggered, this, &MainWindow::togglePause);
  connect(stop_, &QAction::triggered, this, &MainWindow::stopTraining);
  continue_ = new QAction(QIcon(":/icons/start.svg"), tr("Continue run"), this);
  continue_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
  continue_->setToolTip(
      tr("Continue the stopped or interrupted run in view from its last "
         "checkpoint, exactly as if it had not stopped (Ctrl+Shift+R)"));
  fork_ = new QAction(QIcon(":/icons/open-run.svg"), tr("Fork from here"), this);
  fork_->setToolTip(
      tr("Start a new run from this run's last checkpoint with the Schedules "
         "panel's values; the original run is left as it is"));
  connect(continue_, &QAction::triggered, this, &MainWindow::continueRun);
  connect(fork_, &QAction::triggered, this, &MainWindow::forkRun);

  auto* run = menuBar()->addMenu(tr("&Run"));
  run->addActions({start_, pause_, stop_});
  run->addSeparator();
  run->addActions({continue_, fork_});
  run->addSeparator();
  run->addAction(tr("Try it…"), this, [this] { tryIt(); })
      ->setToolTip(tr("Convert, generate and interpolate with the run in view's checkpoint"));
  auto* toolbar = addToolBar(tr("Run"));
  toolbar->setObjectName("runToolbar");
  toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolbar->addActions({start_, pause_, stop_});
  toolbar->addSeparator();
  toolbar->addActions({open_run, overlay_run});
  toolbar->addSeparator();
  // TensorBoard's smoothing slider, for the per-step losses (evaluations stay raw).
  auto* smoothing_label = new QLabel(tr(" Smoothing "), toolbar);
  smoothing_ = new QSlider(Qt::Horizontal, toolbar);
  smoothing_->setRange(0, 99);
  smoothing_->setFixedWidth(110);
  smoothing_->setToolTip(
      tr("Exponential moving average of the loss curves, as TensorBoard's: 0 "
         "raw, 0.99 very smooth; the raw curve stays faint behind"));
  smoothing_value_ = new QLabel(toolbar);
  smoothing_value_->setMinimumWidth(smoothing_value_->fontMetrics().horizontalAdvance("0.00 "));
  toolbar->addWidget(smoothing_label);
  toolbar->addWidget(smoothing_);
  toolbar->addWidget(smoothing_value_);
  connect(smoothing_, &QSlider::valueChanged, this,
          [this](int value) { setSmoothing(value / 100.0); });

  auto* view = view_menu_ = menuBar()->addMenu(tr("&View"));
  dark_ = view->addAction(tr("Dark palette"));
  dark_->setCheckable(true);
  connect(dark_, &QAction::toggled, this, &MainWindow::setDarkPalette);
  view->addSeparator();
  view->addAction(tr("Reset plot zoom"), this, &MainWindow::resetPlotZoom);
  link_x_ = view->addAction(tr("Link the plots' x-axes"));
  link_x_->setCheckable(true);
  link_x_->setChecked(true);
  link_x_->setToolTip(tr("Zooming or panning one plot's x-axis moves the others alike"));
  auto* log_losses = view->addAction(tr("Log scale for the losses"));
  log_losses->setCheckable(true);
  connect(log_losses, &QAction::toggled, this, [this](bool log) { loss_plot_->setLogScale(log); });
  auto* x_axis = view->addMenu(tr("X axis"));
  auto* x_group = new QActionGroup(this);
  const std::pair<QString, XAxis> x_choices[] = {
      {tr("Epoch"), XAxis::Epoch}, {tr("Step"), XAxis::Step}, {tr("Training time"), XAxis::Time}};
  for (const auto& [text, axis] : x_choices) {
    auto* action = x_axis->addAction(text);
    action->setCheckable(true);
    action->setChecked(axis == XAxis::Epoch);
    x_group->addAction(action);
    connect(action, &QAction::triggered, this, [this, axis = axis] { setXAxis(axis); });
  }
  x_axis->setToolTip(tr("Training time excludes time spent paused and continues across resumes"));
  view->addAction(tr("Difference to the parent…"), this, [this] { showForkDifference(); })
      ->setToolTip(tr("A fork's losses and scores minus its parent's, from the fork step on"));
  menuBar()->addMenu(tr("&Help"))->addAction(tr("About"), this, [this] {
    QMessageBox::about(
        this, tr("About"),
        tr("CVAE Experiment Workbench\nTrain and inspect conditional sequence and video VAEs."));
  });
}

void MainWindow::buildLayout() {
  auto* plots = new QSplitter(Qt::Vertical, this);
  loss_series_ = {{"loss", tr("total"), QColor(44, 62, 80), false},
                  {"reconstruction", tr("reconstruction"), QColor(31, 119, 180), false},
                  {"kl", tr("KL"), QColor(214, 39, 40), false}};
  loss_plot_ = new MetricPlot(tr("Losses per item"), tr("nats"), loss_series_, store_, plots);
  schedule_plot_ =
      new MetricPlot(tr("Schedules"), tr("value"),
                     {{"beta", tr("KL weight β"), QColor(31, 119, 180), false},
                      {"teacher_forcing", tr("teacher forcing"), QColor(214, 39, 40), false}},
                     store_, plots);
  // Every score any experiment reports, named as the experiment facts name them; setConfig
  // shows the current experiment's own.
  QList<PlotSeries> scores;
  const QList<QColor> palette = {QColor(44, 160, 44),  QColor(148, 103, 189), QColor(255, 127, 14),
                                 QColor(23, 190, 207), QColor(127, 127, 127), QColor(140, 86, 75)};
  for (const auto& facts : experimentFactsTable()) {
    for (size_t i = 0; i < facts.score_names.size(); ++i) {
      const QString name = QString::fromStdString(facts.score_names[i]);
      const bool listed = std::any_of(scores.begin(), scores.end(),
                                      [&](const PlotSeries& s) { return s.name == name; });
      if (listed) continue;
      scores.push_back({name, QString::fromStdString(facts.score_labels[i]),
                        palette[scores.size() % palette.size()], true});
    }
  }
  score_series_ = scores;
  score_plot_ = new MetricPlot(tr("Scores"), tr("score"), scores, store_, plots);
  // The collapse watch (tense, video): each latent dimension's KL at the evaluations, or each
  // predicted frame's (video), the active units in the title. Up to 64 dimensions or frames get
  // a line; setConfig shows the run's own.
  QList<PlotSeries> dimensions;
  const QList<QColor> tableau = {QColor(31, 119, 180),  QColor(255, 127, 14),  QColor(44, 160, 44),
                                 QColor(214, 39, 40),   QColor(148, 103, 189), QColor(140, 86, 75),
                                 QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                                 QColor(23, 190, 207)};
  for (int j = 0; j < kMaxLatentLines; ++j)
    dimensions.push_back(
        {QString("kl_dim_%1").arg(j), QString("z%1").arg(j), tableau[j % tableau.size()], true});
  // Video: the KL of the latent that predicts each frame (frames numbered from 1).
  for (int n = 1; n <= kMaxLatentLines; ++n)
    dimensions.push_back({QString("kl_frame_%1").arg(n), tr("frame %1").arg(n),
                          tableau[(n - 1) % tableau.size()], true});
  latent_plot_ =
      new MetricPlot(tr("Latent units: KL per dimension"), tr("nats"), dimensions, store_, plots);
  latent_plot_->setLegendFitsHeight(false);  // setConfig arranges its columns
  connect(&store_, &MetricStore::appended, this, &MainWindow::updateLatentTitle);
  connect(&store_, &MetricStore::cleared, this, &MainWindow::updateLatentTitle);
  plots->addWidget(loss_plot_);
  plots->addWidget(schedule_plot_);
  plots->addWidget(score_plot_);
  plots->addWidget(latent_plot_);
  setCentralWidget(plots);
  // Linked x-axes: a zoom or pan on one plot moves the others (View → Link the plots' x-axes).
  for (auto* from : {loss_plot_, schedule_plot_, score_plot_, latent_plot_})
    for (auto* to : {loss_plot_, schedule_plot_, score_plot_, latent_plot_})
      if (from != to)
        connect(from, &MetricPlot::xRangeChangedByUser, to, [this, to](const QCPRange& range) {
          if (link_x_->isChecked()) to->showXRange(range);
        });
  smoothing_->setValue(QSettings().value("view/smoothing", 60).toInt());
  setSmoothing(smoothing_->value() / 100.0);

  // `scrolls`: the panel scrolls as a whole (one that keeps a part in view scrolls its own).
  auto addDock = [this](const QString& title, const QString& name, QWidget* content,
                        Qt::DockWidgetArea area, bool scrolls = true) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    if (scrolls) {
      auto* scroll = new QScrollArea(dock);
      scroll->setWidgetResizable(true);
      scroll->setFrameShape(QFrame::NoFrame);
      scroll->setWidget(content);
      dock->setWidget(scroll);
    } else {
      dock->setWidget(content);
    }
    // A side panel keeps a readable width: a window state saved on a smaller screen (or by
    // a dragged splitter) had left the previews 68 px wide, their text cut to a column.
    dock->setMinimumWidth(kSidePanelLeastWidth);
    addDockWidget(area, dock);
    return dock;
  };
  experiment_ = new ExperimentPanel;
  schedules_ = new SchedulePanel;
  previews_ = new PreviewPanel;
  auto* experiment_dock =
      addDock(tr("Experiment"), "experimentDock", experiment_, Qt::LeftDockWidgetArea);
  auto* schedule_dock =
      addDock(tr("Schedules"), "scheduleDock", schedules_, Qt::LeftDockWidgetArea, false);
  tabifyDockWidget(experiment_dock, schedule_dock);
  experiment_dock->raise();  // what to train and on which data comes first
  auto* preview_dock = addDock(tr("Previews"), "previewDock", previews_, Qt::RightDockWidgetArea);
  resizeDocks({experiment_dock, preview_dock}, {360, 380}, Qt::Horizontal);
  // The runs table: its own view scrolls, so it goes in the dock without a scroll area.
  runs_ = new RunsPanel;
  auto* runs_dock = new QDockWidget(tr("Runs"), this);
  runs_dock->setObjectName("runsDock");
  runs_dock->setWidget(runs_);
  addDockWidget(Qt::BottomDockWidgetArea, runs_dock);
  // The previews keep the window's whole height (the runs table goes under the plots and the
  // settings): under the runs table a video run's frames were 32 px at 1280x800.
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  connect(runs_, &RunsPanel::selectionChanged, this, &MainWindow::overlayRuns);
  connect(runs_, &RunsPanel::openRequested, this, [this](const QString& dir) {
    bool live = false;
    try {
      live = RunFolder::open(dir.toStdString()).isLive();
    } catch (const std::exception&) {
    }
    openRun(dir, /*follow=*/live);
  });
  connect(runs_, &RunsPanel::rootsChanged, this,
          [](const QStringList& roots) { QSettings().setValue("runs/folders", roots); });
  connect(runs_, &RunsPanel::hparamsRequested, this, &MainWindow::showHParams);
  // Closed panels come back from the View menu.
  view_menu_->addSeparator();
  for (auto* dock : {experiment_dock, schedule_dock, preview_dock, runs_dock})
    view_menu_->addAction(dock->toggleViewAction());

  connect(experiment_, &ExperimentPanel::edited, this, [this] {
    experiment_->applyTo(config_);
    refreshSchedulePreview();
    updateControls();
  });
  connect(experiment_->form(), &ConfigForm::validityChanged, this, &MainWindow::updateControls);
  connect(schedules_->form(), &ConfigForm::validityChanged, this, &MainWindow::updateControls);
  connect(experiment_, &ExperimentPanel::kindChosen, this, [this](ExperimentKind kind) {
    try {
      setConfig(presetConfig(kind));
    } catch (const std::exception& e) {
      showError(tr("Cannot load the preset"), QString::fromStdString(e.what()));
    }
  });
  connect(experiment_, &ExperimentPanel::makeDataRequested, this, &MainWindow::makeDefaultData);
  connect(schedules_, &SchedulePanel::edited, this, [this] {
    schedules_->applyTo(config_);
    checkFormRelations();
  });
  connect(schedules_, &SchedulePanel::sweepRequested, this, [this] { openSweepDialog(); });

  status_label_ = new QLabel(tr("Ready"), this);
  progress_bar_ = new QProgressBar(this);
  progress_bar_->setMaximumWidth(260);
  progress_bar_->setTextVisible(true);
  // Shown from a run's start (or while the default data is made): before, it was an empty white
  // box with no label at the status bar's end.
  progress_bar_->hide();
  statusBar()->addWidget(status_label_, 1);
  // The posterior-collapse watch's warning stays in view until the next run starts.
  collapse_label_ = new QLabel(this);
  collapse_label_->setStyleSheet("QLabel { color: white; background: #c0392b; padding: 1px 6px; }");
  collapse_label_->hide();
  statusBar()->addPermanentWidget(collapse_label_);
  statusBar()->addPermanentWidget(progress_bar_);
  if (const QScreen* screen = QGuiApplication::primaryScreen())
    fitToScreen(screen->availableGeometry().size());
  else
    fitToScreen(QSize(1296, 840));
}

void MainWindow::fitToScreen(const QSize& available) {
  // 90 % of the screen and at least 1280×800 (the four plots share the middle's height: a
  // fixed 1280×800 left them cramped on a large screen, beside an empty desktop), or the screen
  // less a margin on smaller desktops (a 1024×700 laptop session).
  const QSize size =
      (available * 0.9).expandedTo(QSize(1280, 800)).boundedTo(available - QSize(16, 40));
  resize(size);
  // The side panels take at most about a quarter of the width each, so the plots keep the
  // middle on a small screen.
  const int side = std::max(220, static_cast<int>(size.width() * 0.27));
  resizeDocks({findChild<QDockWidget*>("experimentDock"), findChild<QDockWidget*>("previewDock")},
              {std::min(360, side), std::min(380, side)}, Qt::Horizontal);
  // The runs table: its two toolbar rows and four runs or more, 30 % of the height; the plots
  // keep the rest (a splitter moves the line).
  resizeDocks({findChild<QDockWidget*>("runsDock")},
              {std::clamp(static_cast<int>(size.height() * 0.3), 160, 240)}, Qt::Vertical);
}

void MainWindow::connectController() {
  connect(&controller_, &TrainingController::stateChanged, this, &MainWindow::updateControls);
  // Paused: the schedule preview shows what ran and the plan from now on; otherwise the plan.
  connect(&controller_, &TrainingController::stateChanged, this, [this] {
    const auto& beta = store_.series("beta");
    const auto& tf = store_.series("teacher_forcing");
    if (controller_.state() == TrainingController::State::Paused && !tf.x.isEmpty())
      schedules_->showRun(beta.x, beta.y, tf.x, tf.y, tf.x.last());
    else
      schedules_->clearRun();
  });
  follow_timer_.setInterval(1000);
  connect(&follow_timer_, &QTimer::timeout, this, &MainWindow::followTick);
  connect(&controller_, &TrainingController::started, this,
          [this](const QString& dir, qint64 total) {
            run_dir_ = dir;
            updateExportSuggestions();
            progress_bar_->setRange(0, static_cast<int>(std::min<qint64>(total, INT_MAX)));
            progress_bar_->setValue(0);
            progress_bar_->show();
            setStatus(tr("Training in %1").arg(dir));
          });
  connect(&controller_, &TrainingController::progress, this,
          [this](const QVector<ProgressReport>& reports) {
            store_.addProgress(reports);
            if (store_.batchesPerEpoch() != plan_batches_per_epoch_) drawSchedulePlan();
            const auto& last = reports.back();
            progress_bar_->setValue(static_cast<int>(last.step));
            setStatus(statusText(last));
          });
  connect(&controller_, &TrainingController::evaluated, this,
          [this](const EvaluationReport& report) {
            store_.addEvaluation(report, store_.batchesPerEpoch());
            previews_->showEvaluation(report.evaluation, report.epoch);
          });
  connect(&controller_, &TrainingController::scheduleChanged, this, [this](qint64 step) {
    store_.addMarker(static_cast<double>(step) / store_.batchesPerEpoch());
    // togglePause applied the edit to config_ before resuming: the plan from here on.
    plan_segments_.push_back({step, config_});
    drawSchedulePlan();
  });
  connect(&controller_, &TrainingController::message, this, [this](const QString& text) {
    statusBar()->showMessage(text, 8000);
    if (text.startsWith("posterior collapse")) {
      const QString epoch = text.section(':', 0, 0).section(' ', -1);
      collapse_label_->setText(tr("⚠ Posterior collapse (epoch %1)").arg(epoch));
      collapse_label_->setToolTip(text);
      collapse_label_->show();
    }
  });
  connect(&controller_, &TrainingController::started, this, [this] { collapse_label_->hide(); });
  connect(&controller_, &TrainingController::finished, this, [this](const RunResult& result) {
    setStatus(QString::fromStdString(result.message));
    if (result.status == RunStatus::Failed)
      showError(tr("Training failed"), QString::fromStdString(result.message));
    updateControls();
    if (fork_after_stop_) {
      fork_after_stop_ = false;
      if (result.status == RunStatus::Stopped) forkRun();
    }
  });
}

QString MainWindow::statusText(const ProgressReport& r) const {
  return tr("epoch %1/%2 · step %3/%4 · loss %5 · %6 items/s · elapsed %7 · ETA %8")
      .arg(r.epoch + 1)
      .arg(r.epochs)
      .arg(r.step)
      .arg(r.total_steps)
      .arg(r.loss, 0, 'f', 3)
      .arg(r.items_per_second, 0, 'f', 0)
      .arg(clockText(r.elapsed_seconds), clockText(r.eta_seconds));
}

void MainWindow::setConfig(const ExperimentConfig& config) {
  config_ = config;
  experiment_->setConfig(config_);
  const auto& entry = experimentEntry(config_.kind);
  QStringList scores;
  for (const auto& name : entry.score_names) scores << QString::fromStdString(name);
  score_plot_->showOnly(scores);
  // Without a latent there is no KL and no beta to show.
  loss_plot_->showOnly(entry.has_kl_term ? QStringList{"loss", "reconstruction", "kl"}
                                         : QStringList{"loss", "reconstruction"});
  schedule_plot_->showOnly(entry.has_kl_term ? QStringList{"beta", "teacher_forcing"}
                                             : QStringList{"teacher_forcing"});
  QStringList dimensions;
  if (entry.latent_per_frame) {
    const int past = config_.video.past_frames;
    for (int n = past + 1; n <= std::min(past + config_.video.eval_future_frames, kMaxLatentLines);
         ++n)
      dimensions << QString("kl_frame_%1").arg(n);
  } else {
    for (int j = 0; j < std::min(config_.model.latent_size, kMaxLatentLines); ++j)
      dimensions << QString("kl_dim_%1").arg(j);
  }
  latent_plot_->showOnly(dimensions);
  // Ten predicted frames' entries do not fit the short plot's height in one column.
  const bool two_columns = dimensions.size() > 5;
  latent_plot_->legend->setWrap(two_columns ? 5 : 0);
  latent_plot_->legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
  latent_plot_->legend->setMaximumSize(two_columns ? 190 : 140, QWIDGETSIZE_MAX);
  latent_plot_->setVisible(entry.has_collapse_watch);
  // The plots share their x quantity: the lowest one shown names it.
  for (auto* plot : {loss_plot_, schedule_plot_, score_plot_})
    plot->setXLabelShown(plot == score_plot_ && !entry.has_collapse_watch);
  latent_plot_->setXLabelShown(entry.has_collapse_watch);
  updateLatentTitle();
  refreshSchedulePreview();
  updateControls();
}

SweepDialog* MainWindow::openSweepDialog() {
  experiment_->applyTo(config_);
  schedules_->applyTo(config_);
  auto* dialog = new SweepDialog(config_, batchesPerEpochEstimate(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &SweepDialog::launched, this, [this](const QString& dir) {
    // Follow the members in the Runs table, filtered to this sweep.
    listInRunsTable(dir + "/member", QFileInfo(dir).absolutePath());
    runs_->setFilterText(QFileInfo(dir).fileName());
    runs_->refresh();
    if (auto* dock = findChild<QDockWidget*>("runsDock")) {
      dock->show();
      dock->raise();
    }
    statusBar()->showMessage(tr("Sweep launched in %1 (log: sweep.log there)").arg(dir), 10000);
  });
  dialog->show();
  return dialog;
}

void MainWindow::listInRunsTable(const QString& run_dir, const QString& folder) {
  const QString run = QDir::cleanPath(QFileInfo(run_dir).absoluteFilePath());
  for (const auto& listed : runs_->model()->roots()) {
    const QString root = QDir::cleanPath(QFileInfo(listed).absoluteFilePath());
    if (run == root) return;
    // "/a/runs2" is not under "/a/runs"; findRunFolders looks 3 levels down.
    if (run.startsWith(root + "/") && run.mid(root.size() + 1).count('/') < 3) return;
  }
  runs_->addRoot(QDir::cleanPath(QFileInfo(folder).absoluteFilePath()));
}

int64_t MainWindow::batchesPerEpochEstimate() const {
  try {
    const auto& entry = experimentEntry(config_.kind);
    ExperimentConfig probe = config_;
    if (probe.data.train.empty()) probe.data.train = embeddedDataFiles(probe.kind).train;
    // The estimate reads the training file (a large spelling file takes seconds) and the plan
    // before a run asks for it at every edit of the Schedules panel: kept until the file, its
    // path, the experiment or the batch size change.
    const QFileInfo file(QString::fromStdString(probe.data.train));
    const QString key = QString("%1\n%2\n%3\n%4\n%5")
                            .arg(static_cast<int>(probe.kind))
                            .arg(file.absoluteFilePath())
                            .arg(probe.train.batch_size)
                            .arg(file.lastModified().toMSecsSinceEpoch())
                            .arg(file.size());
    if (key != estimate_key_) {
      estimate_ = entry.estimate_batches_per_epoch(probe);
      estimate_key_ = key;
    }
    return estimate_;
  } catch (const InputError&) {
    return 1;
  }
}

void MainWindow::refreshSchedulePreview() {
  schedules_->setConfig(config_, batchesPerEpochEstimate());
  checkFormRelations();
}

void MainWindow::checkFormRelations() {
  ExperimentConfig form = config_;
  experiment_->applyTo(form);
  schedules_->applyTo(form);
  QString key, problem;
  std::string failing;  // the relation's failing key, as validateConfig names it first
  try {
    validateConfig(form, "", [&](const std::vector<std::string>& keys) {
      failing = keys.front();
      return std::string();
    });
  } catch (const InputError& e) {
    // ": key 'K': what" (the source left empty), shown as the fields' own are: "K: what".
    const std::string message = e.what(), prefix = ": key '" + failing + "': ";
    key = QString::fromStdString(failing);
    problem = message.rfind(prefix, 0) == 0
                  ? key + ": " + QString::fromStdString(message.substr(prefix.size()))
                  : QString::fromStdString(message);
  }
  // The form that shows the key says it; the other is clear.
  ConfigForm* shown_in =
      schedules_->form()->editorFor(key) ? schedules_->form() : experiment_->form();
  for (ConfigForm* form_panel : {experiment_->form(), schedules_->form()})
    form_panel->setRelationProblem(key, form_panel == shown_in ? problem : QString());
  if (problem.isEmpty()) drawFormPlan(form);
  updateControls();  // the problem's words may change while the validity does not
}

// Whether the Schedules plot shows the panels' plan: nothing else is in view. Overlaid runs (a
// sweep's members, compared) are drawn on their own lengths: a 200-epoch plan of a config none
// of them ran squeezed their curves into its first epochs.
bool MainWindow::showsFormPlan() const {
  return noRunInView() && overlays_.empty();
}

// Nothing trains and no run is opened or shown: the plots hold no run of their own.
bool MainWindow::noRunInView() const {
  return controller_.state() == TrainingController::State::Idle && run_dir_.isEmpty() &&
         store_.series("loss").x.isEmpty();
}

// Before a run, the central Schedules plot draws the plan of the values in the panels, over the
// whole run, as the Schedules panel's preview does: it was empty, its x axis 0 to 5 for a config
// of 200 epochs. A run in view (training, opened, or done) keeps the plan it ran with.
void MainWindow::drawFormPlan(const ExperimentConfig& form) {
  if (!showsFormPlan()) return;
  RunLength length;
  length.epochs = form.train.epochs;
  length.iterations_per_epoch = std::max<int64_t>(1, batchesPerEpochEstimate());
  showPlan(planSchedules(form, length));
}

void MainWindow::updateControls() {
  using State = TrainingController::State;
  const auto state = controller_.state();
  const bool valid = experiment_->form()->isValid() && schedules_->isValid();
  start_->setEnabled(state == State::Idle && valid);
  // Resume applies the form's schedules: not while one of its fields is invalid.
  pause_->setEnabled(state == State::Running || (state == State::Paused && valid));
  pause_->setText(state == State::Paused ? tr("Resume") : tr("Pause"));
  pause_->setIcon(QIcon(state == State::Paused ? ":/icons/start.svg" : ":/icons/pause.svg"));
  stop_->setEnabled(state == State::Running || state == State::Paused);
  runs_->model()->setPausedRun(state == State::Paused ? run_dir_ : QString());
  // Continue and fork work on a run folder in view: the one just trained or an opened one.
  // This runs on every edit of a field, so it reads the small status.yaml, not the checkpoint.
  RunState run_state = RunState::Completed;
  bool have_run = false;
  int epochs_done = -1;
  if (state == State::Idle && !run_dir_.isEmpty() && !isFollowing()) {
    try {
      const auto folder = RunFolder::open(run_dir_.toStdString());
      run_state = folder.observedState();
      have_run = QFileInfo::exists(QString::fromStdString(folder.lastCheckpointPath()));
      if (const auto record = folder.readRecord()) epochs_done = record->epochs_done;
    } catch (const std::exception&) {
      have_run = false;
    }
  }
  ExperimentConfig form = config_;
  experiment_->applyTo(form);
  const bool finished_shorter = run_state == RunState::Completed && have_run && epochs_done >= 0 &&
                                epochs_done < form.train.epochs;
  continue_->setEnabled(have_run && valid &&
                        (run_state == RunState::Stopped || run_state == RunState::Interrupted ||
                         run_state == RunState::Failed || finished_shorter));
  fork_->setEnabled(valid && ((have_run && state == State::Idle) || state == State::Paused));
  experiment_->setEditable(state == State::Idle, state == State::Paused);
  schedules_->setEnabled(state == State::Idle || state == State::Paused);
  const QString problem = valid                             ? QString()
                          : !experiment_->form()->isValid() ? experiment_->form()->firstProblem()
                                                            : schedules_->form()->firstProblem();
  if (!valid && state == State::Idle) {
    start_->setToolTip(tr("Fix first: %1").arg(problem));
  } else {
    start_->setToolTip(tr("Start training (Ctrl+R)"));
  }
  pause_->setToolTip(!valid && state == State::Paused
                         ? tr("Fix first: %1").arg(problem)
                         : tr("Pause or resume between steps (Ctrl+P); while paused, schedules and "
                              "learning rate can be edited"));
}

void MainWindow::startTraining() {
  if (controller_.isBusy()) return;
  stopFollowing();  // the plots now belong to this run
  experiment_->applyTo(config_);
  schedules_->applyTo(config_);
  try {
    validateConfig(config_, "the form");
  } catch (const InputError& e) {
    showError(tr("The config is not valid"), QString::fromStdString(e.what()));
    return;
  }
  store_.clear();
  fork_parent_dir_.clear();
  fork_parent_ = nullptr;
  previews_->clear();
  plan_segments_ = {{0, config_}};
  drawSchedulePlan();
  controller_.start(config_);
}

void MainWindow::continueRun() {
  if (controller_.isBusy() || run_dir_.isEmpty()) return;
  stopFollowing();
  PreparedResume prepared;
  try {
    // More epochs in the form than the run has done extend it; nothing else changes in a resume.
    ExperimentConfig form = config_;
    experiment_->applyTo(form);
    const auto info = readCheckpointInfo(lastCheckpoint().toStdString());
    std::vector<std::string> overrides;
    if (form.train.epochs != checkpointConfig(info, "last.pt").train.epochs)
      overrides.push_back("train.epochs=" + std::to_string(form.train.epochs));
    prepared = prepareResume(run_dir_.toStdString(), overrides);
    // The curves continue without a seam: what the checkpoint covers, then the new steps.
    truncateMetricsFile(RunFolder::open(prepared.origin.run_dir).metricsPath(),
                        prepared.origin.step);
  } catch (const std::exception& e) {
    showError(tr("Cannot continue the run"), QString::fromStdString(e.what()));
    return;
  }
  const QString dir = run_dir_;
  if (!openRun(dir)) return;
  setConfig(prepared.config);
  controller_.start(prepared.config, prepared.origin);
  setStatus(tr("Continuing the run in %1").arg(dir));
  // An edited config.yaml is not what continues: the checkpoint's config is (and is written
  // back to the file).
  if (!prepared.notes.empty())
    statusBar()->showMessage(QString::fromStdString(prepared.notes.front()), 15000);
}

void MainWindow::forkRun() {
  if (controller_.state() == TrainingController::State::Paused) {
    // The paused run saves its last.pt as it stops; the fork starts from there.
    fork_after_stop_ = true;
    controller_.stop();
    return;
  }
  if (controller_.isBusy() || run_dir_.isEmpty()) return;
  stopFollowing();
  experiment_->applyTo(config_);
  schedules_->applyTo(config_);
  RunOrigin origin;
  try {
    validateConfig(config_, "the form");
    const int done = readCheckpointInfo(lastCheckpoint().toStdString()).epoch;
    if (config_.train.epochs <= done) {
      // Forking a finished run only makes sense with more epochs: give it as many again.
      config_.train.epochs = done * 2;
      experiment_->setConfig(config_);
      statusBar()->showMessage(tr("The fork runs to epoch %1 (the parent had done %2)")
                                   .arg(config_.train.epochs)
                                   .arg(done),
                               8000);
    }
    origin = prepareFork(config_, run_dir_.toStdString());
  } catch (const std::exception& e) {
    showError(tr("Cannot fork the run"), QString::fromStdString(e.what()));
    return;
  }
  // The parent's curves, dashed, up to the fork step; the child's live ones continue them.
  const QString parent = run_dir_;
  store_.clear();
  previews_->clear();
  clearOverlays();
  fork_parent_dir_ = parent;
  if (overlayRun(parent))
    fork_x_ = static_cast<double>(origin.step) /
              static_cast<double>(std::max<int64_t>(1, overlays_.back()->batchesPerEpoch()));
  plan_segments_ = {{0, config_}};  // the fork's schedules (the parent's ran before the mark)
  drawSchedulePlan();
  controller_.start(config_, origin);
  setStatus(tr("Forked from %1 at step %2").arg(parent).arg(origin.step));
}

void MainWindow::togglePause() {
  if (controller_.state() == TrainingController::State::Running) {
    controller_.pause();
    statusBar()->showMessage(tr("Paused: edit the schedules or the learning rate, then resume"),
                             8000);
  } else if (controller_.state() == TrainingController::State::Paused) {
    // Ctrl+P reaches here even when the action is disabled by an invalid field: resuming then
    // would run the old schedule while the form shows another.
    if (!experiment_->form()->isValid() || !schedules_->isValid()) {
      statusBar()->showMessage(tr("Not resumed: fix the highlighted field first"), 8000);
      return;
    }
    experiment_->applyTo(config_);
    schedules_->applyTo(config_);
    ScheduleEdit edit;
    edit.kl = config_.kl;
    edit.teacher_forcing = config_.teacher_forcing;
    edit.learning_rate = config_.optimizer.learning_rate;
    controller_.resumeWith(edit);
  }
}

void MainWindow::planFromRunFolder() {
  // config.yaml is the schedule the run started with; each edit record changes some of its
  // fields from that step on. A record that cannot be applied ends the plan's changes there
  // (the run's metrics still show what ran).
  plan_segments_ = {{0, config_}};
  try {
    const auto folder = RunFolder::open(run_dir_.toStdString());
    ExperimentConfig config = folder.readConfig();
    config.train.epochs = config_.train.epochs;  // a continued run may have been extended
    std::vector<PlanSegment> segments = {{0, config}};
    for (const auto& edit : folder.readEdits()) {
      for (const auto& change : edit.changes) applyOverride(config, change.key + "=" + change.to);
      segments.push_back({edit.step, config});
    }
    plan_segments_ = std::move(segments);
  } catch (const std::exception& e) {
    statusBar()->showMessage(
        tr("The Schedules plot plans the config shown: %1").arg(QString::fromStdString(e.what())),
        8000);
  }
  drawSchedulePlan();
}

void MainWindow::drawSchedulePlan() {
  plan_batches_per_epoch_ = store_.batchesPerEpoch();
  RunLength length;
  length.epochs = config_.train.epochs;
  length.iterations_per_epoch = std::max<int64_t>(1, plan_batches_per_epoch_);
  showPlan(planSchedules(plan_segments_, length));
}

void MainWindow::showPlan(const ScheduleCurves& curves) {
  const QVector<double> x(curves.epoch.begin(), curves.epoch.end());
  schedule_plot_->setPlan("beta", x, QVector<double>(curves.beta.begin(), curves.beta.end()));
  schedule_plot_->setPlan(
      "teacher_forcing", x,
      QVector<double>(curves.teacher_forcing.begin(), curves.teacher_forcing.end()));
}

void MainWindow::stopTraining() {
  controller_.stop();
}

bool MainWindow::openConfig(const QString& path) {
  // A checkpoint read as a config was "holds a NUL byte: a binary file, not a config file".
  QFile file(path);
  if (file.open(QIODevice::ReadOnly) && file.read(4) == QByteArray("PK\x03\x04", 4)) {
    const QString folder = QFileInfo(path).absolutePath();
    showError(tr("Cannot open the config"),
              tr("%1 is a checkpoint (a ZIP archive), not a config file: open the run folder "
                 "that holds it (File → Open run: %2), whose config it was trained with.")
                  .arg(path, folder));
    return false;
  }
  file.close();
  try {
    setConfig(loadConfigFile(path.toStdString()));
    rememberRecent(path);
    statusBar()->showMessage(tr("Loaded %1").arg(path), 5000);
    return true;
  } catch (const InputError& e) {
    showError(tr("Cannot open the config"), QString::fromStdString(e.what()));
    return false;
  }
}

bool MainWindow::openRun(const QString& run_dir, bool follow) {
  const QDir folder(run_dir);
  if (!folder.exists("config.yaml") && !folder.exists("metrics.csv") &&
      folder.exists("previews.tsv"))
    return openSavedPreviews(run_dir);
  // A sweep's folder holds runs, not a run: its members are listed and overlaid, as
  // `--runs DIR --select-all` does (it was refused as "no config.yaml or metrics.csv").
  if (!folder.exists("config.yaml") && folder.exists("sweep.yaml")) return openSweepFolder(run_dir);
  ExperimentConfig config;
  QString error;
  std::unique_ptr<MetricsCsvTail> tail;
  if (!loadRunDirectory(run_dir, store_, config, &error, &tail)) {
    showError(tr("Cannot open the run"), error);
    return false;
  }
  stopFollowing();
  // A clean view: another run's overlays and the previous run's previews go.
  clearOverlays();
  fork_parent_dir_.clear();
  previews_->clear();
  // The panels show the schedule that ran: a schedule edited while paused is in the latest
  // checkpoint's config (config.yaml keeps the one the run started with), and edits.yaml says
  // what changed when.
  int edits = 0;
  try {
    const auto folder = RunFolder::open(run_dir.toStdString());
    edits = static_cast<int>(folder.readEdits().size());
    if (QFileInfo::exists(QString::fromStdString(folder.lastCheckpointPath())))
      config = checkpointConfig(folder.lastCheckpointPath());
  } catch (const std::exception& e) {
    statusBar()->showMessage(
        tr("Showing the config the run started with: %1").arg(QString::fromStdString(e.what())),
        8000);
  }
  setConfig(config);
  if (edits > 0)
    statusBar()->showMessage(tr("%n schedule edit(s) made while paused; the panels show the "
                                "schedule as it last ran (edits.yaml lists them)",
                                nullptr, edits),
                             8000);
  QString preview_error;
  if (auto saved = loadRunPreviews(run_dir, &preview_error)) {
    // The scores of that evaluation are in metrics.csv, now in the store.
    for (const auto& name : experimentEntry(config.kind).score_names) {
      const auto& series = store_.series(QString::fromStdString(name));
      if (!series.y.isEmpty()) saved->evaluation.scores[name] = series.y.last();
    }
    previews_->showEvaluation(saved->evaluation, saved->epoch);
  } else
    previews_->showPastRunNotice(preview_error);
  run_dir_ = run_dir;
  listInRunsTable(run_dir, QFileInfo(QDir::cleanPath(run_dir)).absolutePath());
  updateExportSuggestions();
  planFromRunFolder();
  QString state;
  try {
    const auto folder = RunFolder::open(run_dir.toStdString());
    const RunState observed = folder.observedState();
    state = QString::fromStdString(toString(observed));
    if (const auto record = folder.readRecord(); record && record->fork_step >= 0) {
      state += tr(", forked from %1 at step %2")
                   .arg(QString::fromStdString(record->parent))
                   .arg(record->fork_step);
      // A fork is read against its parent: the parent drawn dashed (its folder, or the folder
      // of the checkpoint it was forked from), the fork step marked, so what the new schedule
      // changed shows from there on.
      QString parent = QString::fromStdString(record->parent);
      if (parent.endsWith(".pt")) parent = QFileInfo(parent).absolutePath();
      fork_parent_dir_ = parent;
      if (RunFolder::holdsRun(parent.toStdString()) && overlayRun(parent, /*quiet=*/true)) {
        // The fork step is the parent's: on the parent's scale (a fork with another batch size
        // counts its own steps on its own).
        const double at =
            static_cast<double>(record->fork_step) /
            static_cast<double>(std::max<int64_t>(1, overlays_.back()->batchesPerEpoch()));
        for (auto* plot : {loss_plot_, schedule_plot_, score_plot_}) plot->addMarker(at);
        fork_x_ = at;
      }
    }
    if (observed == RunState::Stopped || observed == RunState::Interrupted)
      state += tr(" — Run → Continue run resumes it");
  } catch (const std::exception&) {
    state = tr("no status");
  }
  setStatus(tr("Showing the run in %1 (%2)").arg(run_dir, state));
  if (follow) {
    follow_ = std::move(tail);
    follow_previews_time_ = QFileInfo(previewsFile(run_dir)).lastModified();
    follow_timer_.start();
    setStatus(tr("Following the run in %1 (read-only)").arg(run_dir));
  }
  updateControls();
  return true;
}

QString MainWindow::statusText() const {
  return status_label_->text();
}

// The status bar cuts a long line (an error quoting a file) at the window's edge; the whole of
// it is the label's tooltip.
void MainWindow::setStatus(const QString& text) {
  status_label_->setText(text);
  status_label_->setToolTip(text);
}

bool MainWindow::openSweepFolder(const QString& dir) {
  const QString root = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  listInRunsTable(root + "/member", root);  // a member's place: listed unless a root covers it
  QStringList members;
  const RunsTableModel& model = *runs_->model();
  for (int r = 0; r < model.runCount(); ++r)
    if (QDir::cleanPath(QFileInfo(model.runDir(r)).absoluteFilePath()).startsWith(root + "/"))
      members << model.runDir(r);
  if (members.isEmpty()) {
    showError(tr("Cannot open the run"),
              tr("%1 is a sweep's folder, and none of its members has a run yet.").arg(dir));
    return false;
  }
  runs_->selectRuns(members);
  setStatus(tr("%1 is a sweep's folder: its %2 members are listed in the Runs table and overlaid; "
               "open one to see its previews")
                .arg(dir)
                .arg(members.size()));
  return true;
}

bool MainWindow::openSavedPreviews(const QString& dir) {
  SavedPreviews saved;
  try {
    saved = readPreviewFile(QDir(dir).filePath("previews.tsv").toStdString());
  } catch (const std::exception& e) {
    showError(tr("Cannot open the previews"), QString::fromStdString(e.what()));
    return false;
  }
  // Their scores, saved beside them since scores.yaml exists: the previews are shown without
  // them when the file is missing (an earlier version's save) or cannot be read.
  QString scores_problem;
  const QString scores_path = QDir(dir).filePath("scores.yaml");
  if (QFileInfo::exists(scores_path)) {
    try {
      const SavedScores scores = readScoresFile(scores_path.toStdString());
      saved.evaluation.scores = scores.scores;
      saved.evaluation.spread = scores.spread;
    } catch (const std::exception& e) {
      scores_problem = QString::fromStdString(e.what());
    }
  }
  stopFollowing();
  // A clean view: the curves of the run shown before are not these previews'.
  clearOverlays();
  fork_parent_dir_.clear();
  fork_parent_ = nullptr;
  store_.clear();
  previews_->clear();
  previews_->showEvaluation(saved.evaluation, saved.epoch);
  run_dir_.clear();
  updateExportSuggestions();
  setStatus(scores_problem.isEmpty()
                ? tr("Showing the previews saved in %1 (no run folder: no curves to show)").arg(dir)
                : tr("Showing the previews saved in %1, without their scores: %2")
                      .arg(dir, scores_problem));
  updateControls();
  return true;
}

bool MainWindow::overlayRun(const QString& run_dir, bool quiet) {
  auto store = std::make_unique<MetricStore>();
  ExperimentConfig config;
  QString error;
  if (!loadRunDirectory(run_dir, *store, config, &error)) {
    if (quiet)
      statusBar()->showMessage(tr("Cannot overlay %1: %2").arg(run_dir, error), 8000);
    else
      showError(tr("Cannot overlay the run"), error);
    return false;
  }
  const QString label = QFileInfo(QDir::cleanPath(run_dir)).fileName();
  const int index = overlay_colours_++;
  for (auto* plot : {loss_plot_, schedule_plot_, score_plot_})
    plot->addOverlay(label, *store, index);
  overlays_.push_back(std::move(store));
  // The fork in view's parent, drawn again after a smoothing or x-axis change, stays its parent.
  if (!fork_parent_dir_.isEmpty() && run_dir == fork_parent_dir_)
    fork_parent_ = overlays_.back().get();
  if (!overlay_dirs_.contains(run_dir)) overlay_dirs_.push_back(run_dir);
  clearFormPlanUnderOverlays();
  statusBar()->showMessage(tr("Overlaid %1 (dashed)").arg(run_dir), 5000);
  return true;
}

// Overlays over no run in view: the panels' plan (drawn before a run) is none of theirs.
void MainWindow::clearFormPlanUnderOverlays() {
  if (!noRunInView()) return;
  schedule_plot_->setPlan("beta", {}, {});
  schedule_plot_->setPlan("teacher_forcing", {}, {});
}

bool MainWindow::overlayGroup(const QString& label, const QStringList& run_dirs) {
  QList<const MetricStore*> members;
  for (const auto& dir : run_dirs) {
    auto store = std::make_unique<MetricStore>();
    ExperimentConfig config;
    QString error;
    if (!loadRunDirectory(dir, *store, config, &error)) {
      statusBar()->showMessage(tr("Cannot overlay %1: %2").arg(dir, error), 8000);
      continue;
    }
    members.push_back(store.get());
    overlays_.push_back(std::move(store));
  }
  if (members.isEmpty()) return false;
  const int index = overlay_colours_++;
  for (auto* plot : {loss_plot_, schedule_plot_, score_plot_})
    plot->addBandOverlay(label, members, index);
  clearFormPlanUnderOverlays();
  return true;
}

void MainWindow::overlayRuns(const QStringList& run_dirs) {
  clearOverlays();
  overlay_dirs_ = run_dirs;
  // What to draw: single runs, or with seeds grouped, each group's selected runs.
  QList<QPair<QString, QStringList>> items;
  const RunsTableModel& model = *runs_->model();
  QStringList placed;
  if (model.groupSeeds())
    for (int r = 0; r < model.rowCount(); ++r) {
      QStringList members;
      for (const auto& dir : model.index(r, 0).data(RunsTableModel::RunDirsRole).toStringList())
        if (run_dirs.contains(dir)) members << dir;
      if (members.size() < 2) continue;
      items.push_back({model.index(r, 0).data().toString(), members});
      placed += members;
    }
  for (const auto& dir : run_dirs)
    if (!placed.contains(dir)) items.push_back({QString(), {dir}});
  const int shown = std::min<int>(static_cast<int>(items.size()), kMaxOverlays);
  for (int i = 0; i < shown; ++i) {
    if (items[i].second.size() > 1)
      overlayGroup(items[i].first, items[i].second);
    else
      overlayRun(items[i].second.front(), /*quiet=*/true);
  }
  if (items.size() > kMaxOverlays)
    statusBar()->showMessage(tr("Overlaid the first %1 of %2 selected runs and groups")
                                 .arg(kMaxOverlays)
                                 .arg(items.size()),
                             8000);
}

void MainWindow::setSmoothing(double weight) {
  {
    const QSignalBlocker block(smoothing_);
    smoothing_->setValue(static_cast<int>(std::lround(weight * 100)));
  }
  smoothing_value_->setText(QString::number(weight, 'f', 2));
  QSettings().setValue("view/smoothing", smoothing_->value());
  // The schedules are exact curves: never smoothed.
  for (auto* plot : findChildren<MetricPlot*>())
    if (plot != schedule_plot_) plot->setSmoothing(weight);
  // Overlays are drawn once: draw them again, smoothed alike.
  if (!overlay_dirs_.isEmpty()) overlayRuns(QStringList(overlay_dirs_));
}

void MainWindow::setXAxis(XAxis axis) {
  x_axis_ = axis;
  for (auto* plot : {loss_plot_, schedule_plot_, score_plot_, latent_plot_}) plot->setXAxis(axis);
  // Overlays are drawn once: draw them again on the new axis.
  if (!overlay_dirs_.isEmpty()) overlayRuns(QStringList(overlay_dirs_));
}

void MainWindow::updateLatentTitle() {
  const auto& active = store_.series("active_units");
  const QString what = experimentEntry(config_.kind).latent_per_frame
                           ? tr("Latent: KL per predicted frame")
                           : tr("Latent units: KL per dimension");
  if (active.y.isEmpty()) {
    latent_plot_->setTitle(what);
    return;
  }
  int dimensions = 0;
  while (!store_.series(QString("kl_dim_%1").arg(dimensions)).y.isEmpty()) ++dimensions;
  const int now = static_cast<int>(active.y.last());
  latent_plot_->setTitle(tr("%1 · %2 of %3 active at epoch %4%5")
                             .arg(what)
                             .arg(now)
                             .arg(dimensions)
                             // 200, 12.5: whole epochs as such, others to 2 decimals
                             .arg(std::abs(active.x.last() - std::round(active.x.last())) < 1e-9
                                      ? QString::number(std::llround(active.x.last()))
                                      : QString::number(active.x.last(), 'f', 2))
                             .arg(now == 0 ? tr(" — posterior collapse") : QString()));
}

void MainWindow::updateExportSuggestions() {
  const QString base = QFileInfo(QDir::cleanPath(run_dir_)).fileName();
  loss_plot_->setExportSuggestion(run_dir_, base + "-losses");
  schedule_plot_->setExportSuggestion(run_dir_, base + "-schedules");
  score_plot_->setExportSuggestion(run_dir_, base + "-scores");
  latent_plot_->setExportSuggestion(run_dir_, base + "-latent");
  previews_->setExportSuggestion(run_dir_, base);
  runs_->model()->setShownRun(run_dir_);  // tinted in the runs table
}

void MainWindow::resetPlotZoom() {
  for (auto* plot : findChildren<MetricPlot*>()) plot->resetZoom();
}

void MainWindow::showHParams() {
  // Table rows (seed groups when grouped, their values the means), those with a selected run.
  const RunsTableModel& model = *runs_->model();
  QList<int> rows;
  const QStringList selected = runs_->selectedRuns();
  for (int r = 0; r < model.rowCount(); ++r) {
    const QStringList members = model.index(r, 0).data(RunsTableModel::RunDirsRole).toStringList();
    if (selected.isEmpty() || std::any_of(members.begin(), members.end(),
                                          [&](const QString& d) { return selected.contains(d); }))
      rows.push_back(r);
  }
  if (!hparams_) {
    hparams_ = new HParamsView(this);
    // Linked views: runs brushed on a parallel-coordinates axis are selected in the table, and
    // so overlaid in the plots.
    connect(hparams_, &HParamsView::runsBrushed, runs_, &RunsPanel::selectRuns);
  }
  hparams_->setRuns(model, rows);
  hparams_->show();
  hparams_->raise();
}

TryItDialog* MainWindow::tryIt() {
  // The run in view's newest checkpoint: last.pt, or best.pt where a run has only that.
  QString checkpoint = lastCheckpoint();
  if (checkpoint.isEmpty() || !QFileInfo::exists(checkpoint)) {
    const QString best = run_dir_.isEmpty() ? QString() : run_dir_ + "/best.pt";
    checkpoint = !best.isEmpty() && QFileInfo::exists(best) ? best : QString();
  }
  if (checkpoint.isEmpty()) {
    statusBar()->showMessage(
        tr("No checkpoint to try: open a run (File → Open run) or train one first"), 8000);
    return nullptr;
  }
  // A checkpoint copied in from another run, or a config.yaml edited: another model than the
  // run's would answer (as the CLI's verbs refuse a run folder then).
  if (!run_dir_.isEmpty()) {
    try {
      checkCheckpointIsTheRuns(run_dir_.toStdString(), checkpoint.toStdString());
    } catch (const InputError& e) {
      showError(tr("Cannot try the run"), QString::fromStdString(e.what()));
      return nullptr;
    }
  }
  auto* dialog = new TryItDialog(checkpoint, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
  return dialog;
}

ForkDifferenceDialog* MainWindow::showForkDifference() {
  if (!fork_parent_) {
    statusBar()->showMessage(
        tr("The run in view is not a fork, or its parent could not be read: open a fork "
           "(the runs table's \"fork of\" column) to compare it with its parent"),
        8000);
    return nullptr;
  }
  auto* dialog = new ForkDifferenceDialog(store_, *fork_parent_, fork_x_,
                                          QFileInfo(QDir::cleanPath(run_dir_)).fileName(),
                                          loss_series_, score_series_, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
  return dialog;
}

void MainWindow::clearOverlays() {
  for (auto* plot : {loss_plot_, schedule_plot_, score_plot_}) plot->clearOverlays();
  fork_parent_ = nullptr;
  overlays_.clear();
  overlay_colours_ = 0;
  overlay_dirs_.clear();
}

void MainWindow::stopFollowing() {
  follow_timer_.stop();
  follow_.reset();
}

void MainWindow::followTick() {
  if (!follow_) return;
  QString error;
  if (!follow_->readNew(store_, &error)) {
    stopFollowing();
    showError(tr("Stopped following the run"), error);
    return;
  }
  // New previews appear when the writer evaluates.
  const QString previews = previewsFile(run_dir_);
  const QDateTime modified = QFileInfo(previews).lastModified();
  if (modified.isValid() && modified != follow_previews_time_) {
    follow_previews_time_ = modified;
    QString preview_error;
    if (auto saved = loadRunPreviews(run_dir_, &preview_error)) {
      for (const auto& name : experimentEntry(config_.kind).score_names) {
        const auto& series = store_.series(QString::fromStdString(name));
        if (!series.y.isEmpty()) saved->evaluation.scores[name] = series.y.last();
      }
      previews_->showEvaluation(saved->evaluation, saved->epoch);
    }
  }
}

void MainWindow::showError(const QString& title, const QString& text) {
  last_error_ = text;
  statusBar()->showMessage(text, 10000);
  // Window-modal but not blocking: the GUI thread keeps serving the run and the plots.
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::makeDefaultData() {
  if (data_maker_) return;  // one at a time
  const ExperimentKind kind = config_.kind;
  const QString dir = QString::fromStdString(embeddedDataFiles(kind).dir);
  setStatus(tr("Making the embedded default %1 data set in %2…")
                .arg(QString::fromStdString(toString(kind)), dir));
  progress_bar_->setRange(0, 0);  // busy
  const bool bar_was_shown = progress_bar_->isVisible();
  progress_bar_->show();
  auto error = std::make_shared<QString>();
  QThread* maker = QThread::create([kind, dir, error] {
    try {
      cvae::makeDefaultData(kind, dir.toStdString());
    } catch (const std::exception& e) {
      *error = QString::fromStdString(e.what());
    }
  });
  data_maker_ = maker;
  connect(maker, &QThread::finished, this, [this, maker, dir, error, bar_was_shown] {
    maker->deleteLater();
    progress_bar_->setRange(0, 1);
    progress_bar_->setValue(0);
    progress_bar_->setVisible(bar_was_shown);
    if (!error->isEmpty()) {
      showError(tr("Cannot make the default data set"), *error);
      return;
    }
    setStatus(tr("Made the embedded default data set in %1; press Start to train.").arg(dir));
    refreshSchedulePreview();
  });
  maker->start();
}

void MainWindow::rememberRecent(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value("recent/configs").toStringList();
  recent.removeAll(QFileInfo(path).absoluteFilePath());
  recent.prepend(QFileInfo(path).absoluteFilePath());
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue("recent/configs", recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = QSettings().value("recent/configs").toStringList();
  for (const auto& path : recent)
    recent_menu_->addAction(path, this, [this, path] { openConfig(path); });
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::setDarkPalette(bool dark) {
  qApp->setStyle(QStyleFactory::create("Fusion"));
  QPalette palette = qApp->style()->standardPalette();
  if (dark) {
    palette.setColor(QPalette::Window, QColor(45, 47, 50));
    palette.setColor(QPalette::WindowText, QColor(225, 225, 225));
    palette.setColor(QPalette::Base, QColor(32, 33, 36));
    palette.setColor(QPalette::AlternateBase, QColor(45, 47, 50));
    palette.setColor(QPalette::Text, QColor(225, 225, 225));
    palette.setColor(QPalette::Button, QColor(53, 55, 58));
    palette.setColor(QPalette::ButtonText, QColor(225, 225, 225));
    palette.setColor(QPalette::Highlight, QColor(66, 133, 244));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(53, 55, 58));
    palette.setColor(QPalette::ToolTipText, QColor(225, 225, 225));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(130, 130, 130));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(130, 130, 130));
  }
  qApp->setPalette(palette);
  for (auto* plot : findChildren<QCustomPlot*>()) applyPlotTheme(plot, palette);
  if (dark_->isChecked() != dark) {
    QSignalBlocker block(dark_);
    dark_->setChecked(dark);
  }
  QSettings().setValue("view/dark", dark);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (controller_.isBusy()) {
    const bool quit =
        confirm_quit_
            ? confirm_quit_()
            : QMessageBox::question(
                  this, tr("Quit"),
                  tr("A run is in progress. Stop it (a checkpoint is saved, and Run → "
                     "Continue picks it up later) and quit?"),
                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    if (!quit) {
      event->ignore();
      return;
    }
    setStatus(tr("Stopping the run and saving a checkpoint…"));
    controller_.stopAndWait(60000);
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState(kWindowStateVersion));
  event->accept();
}

}  // namespace cvae::ui
