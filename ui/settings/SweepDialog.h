#pragma once
// Schedules → Sweep…: turns schedule and optimizer fields of the current config into lists of
// values or ranges, shows every member's planned β and teacher-forcing curves overlaid before
// anything runs, and launches the sweep as a background `cvae-cli sweep` process. The sweep
// folder holds the base config and the sweep file it ran (OUTPUT_DIR/NAME-TIMESTAMP/), so the
// same sweep can be continued from the command line.

#include <QDialog>
#include <QHash>
#include <QString>

#include <optional>

#include "core/config/ExperimentConfig.h"
#include "core/sweeps/SweepPlan.h"

class QCustomPlot;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace cvae::ui {

class SweepDialog : public QDialog {
  Q_OBJECT
 public:
  // `batches_per_epoch` scales the planned curves, as in the schedule preview.
  SweepDialog(const ExperimentConfig& config, int64_t batches_per_epoch,
              QWidget* parent = nullptr);

  // The values typed for `key` ("monotonic, cyclical", "0.2..0.8 x4"); tests and presets.
  void setValues(const QString& key, const QString& text);
  void setSeeds(const QString& text);
  void setName(const QString& name);
  // cvae-cli, found beside the GUI's executable or on PATH; tests point it at a stand-in.
  void setExecutable(const QString& path) { executable_ = path; }

  // The sweep file the dialog would write (base: base.yaml beside it).
  QString sweepText() const;
  // The expanded sweep; nothing while a field is invalid (see problem()).
  const std::optional<SweepPlan>& plan() const { return plan_; }
  QString problem() const;
  QCustomPlot* preview() const { return preview_; }

  // Writes the sweep folder and starts `cvae-cli sweep` in the background. Returns the
  // folder, or an empty string with problem() saying why.
  QString launch();
  static QString findCli();

 Q_SIGNALS:
  void launched(const QString& sweep_dir);

 private:
  void rebuildPlan();
  void drawPreview();

  ExperimentConfig config_;
  int64_t batches_per_epoch_;
  QString executable_;
  std::optional<SweepPlan> plan_;
  QString problem_;
  QTableWidget* table_;
  QHash<QString, int> rows_;  // key -> row
  QLineEdit* seeds_;
  QLineEdit* name_;
  QSpinBox* parallel_;
  QLabel* status_;
  QCustomPlot* preview_;
  QPushButton* launch_;
};

}  // namespace cvae::ui
