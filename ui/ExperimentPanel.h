#pragma once
// Experiment kind, data paths, model sizes, optimizer, epochs, batch size, seed, device,
// evaluation and output: a schema-generated form under an experiment selector, with a button
// that makes the embedded default data set.

#include <QComboBox>
#include <QPushButton>
#include <QWidget>

#include "core/config/ExperimentConfig.h"
#include "ui/ConfigForm.h"

namespace cvae::ui {

class ExperimentPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ExperimentPanel(QWidget* parent = nullptr);

  void setConfig(const ExperimentConfig& config);
  void applyTo(ExperimentConfig& config) const { form_->applyTo(config); }
  ConfigForm* form() const { return form_; }
  // While a run is paused only the learning rate may change.
  void setEditable(bool all, bool learning_rate);

 Q_SIGNALS:
  void kindChosen(cvae::ExperimentKind kind);
  void edited();
  void makeDataRequested();

 private:
  QComboBox* kind_;
  ConfigForm* form_;
  QPushButton* make_data_;
};

}  // namespace cvae::ui
