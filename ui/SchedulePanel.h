#pragma once
// The schedule editor: KL annealing and teacher forcing fields with a preview of beta and the
// teacher-forcing ratio over the whole planned run, redrawn as soon as a value changes. This is
// where users tune schedules before spending compute.

#include <QWidget>

#include <optional>

#include "ui/QCustomPlotInclude.h"

#include "core/config/ExperimentConfig.h"
#include "core/schedules/Schedules.h"
#include "ui/ConfigForm.h"

namespace cvae::ui {

class SchedulePanel : public QWidget {
  Q_OBJECT
 public:
  explicit SchedulePanel(QWidget* parent = nullptr);

  // Shows `config`'s schedules planned over `batches_per_epoch` steps per epoch.
  void setConfig(const ExperimentConfig& config, int64_t batches_per_epoch);
  void applyTo(ExperimentConfig& config) const { form_->applyTo(config); }
  bool isValid() const { return form_->isValid(); }
  ConfigForm* form() const { return form_; }
  // The curves on display (tests read them).
  const ScheduleCurves& curves() const { return curves_; }
  // The problem the preview shows instead of a curve, or empty (tests read it).
  QString previewProblem() const;

  // While a run is paused: what already ran (the applied β and teacher-forcing ratio, x in
  // epochs) up to `now_epoch`, a "now" line, and the plan of the fields from there on, dashed,
  // so an edit shows as the jump it will cause at the next step rather than as a new schedule
  // from epoch 0. clearRun() goes back to the whole planned run.
  void showRun(const QVector<double>& beta_x, const QVector<double>& beta,
               const QVector<double>& teacher_forcing_x, const QVector<double>& teacher_forcing,
               double now_epoch);
  void clearRun();
  std::optional<double> runNow() const { return now_; }
  QCustomPlot* preview() const { return preview_; }

 Q_SIGNALS:
  void edited();
  void sweepRequested();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void redraw();
  ConfigForm* form_;
  QCustomPlot* preview_;
  ExperimentConfig config_;
  int64_t batches_per_epoch_ = 1;
  ScheduleCurves curves_;
  std::optional<double> now_;  // the paused run's position, epochs
  QCPItemStraightLine* now_line_ = nullptr;
  // Where a relation of the schedule fields fails, the curve it would draw is not a plan
  // training could run: it gives way to the problem, in words.
  QCPItemText* problem_text_ = nullptr;
};

}  // namespace cvae::ui
