#include "ui/ExperimentPanel.h"

#include <QFormLayout>
#include <QVBoxLayout>

#include "core/experiments/ExperimentRegistry.h"

namespace cvae::ui {

ExperimentPanel::ExperimentPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* top = new QFormLayout;
  top->setContentsMargins(4, 4, 4, 0);
  kind_ = new QComboBox(this);
  for (const auto& entry : experimentRegistry())
    kind_->addItem(QString::fromStdString(entry.title), static_cast<int>(entry.kind));
  kind_->setToolTip(tr("Experiments available in this build"));
  // Elided rather than widening the panel past a quarter of a 1024-pixel screen.
  kind_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  kind_->setMinimumContentsLength(12);
  top->addRow(kind_);  // the whole width: the titles are long and say what they are
  layout->addLayout(top);
  form_ = new ConfigForm(
      {"name", "data", "model", "video", "optimizer", "train", "evaluation", "output"}, this);
  layout->addWidget(form_, 1);
  make_data_ = new QPushButton(QIcon(":/icons/make-data.svg"), tr("Make the default data"), this);
  make_data_->setToolTip(
      tr("Writes the experiment's embedded default data set (seconds) and points the data "
         "paths at it"));
  layout->addWidget(make_data_);
  connect(kind_, &QComboBox::activated, this, [this](int index) {
    Q_EMIT kindChosen(static_cast<ExperimentKind>(kind_->itemData(index).toInt()));
  });
  connect(form_, &ConfigForm::configEdited, this, &ExperimentPanel::edited);
  connect(make_data_, &QPushButton::clicked, this, &ExperimentPanel::makeDataRequested);
}

void ExperimentPanel::setConfig(const ExperimentConfig& config) {
  const int index = kind_->findData(static_cast<int>(config.kind));
  if (index >= 0) kind_->setCurrentIndex(index);
  form_->setConfig(config);
}

void ExperimentPanel::setEditable(bool all, bool learning_rate) {
  kind_->setEnabled(all);
  make_data_->setEnabled(all);
  form_->setEditable([all, learning_rate](const QString& key) {
    return all || (learning_rate && key == "optimizer.learning_rate");
  });
}

}  // namespace cvae::ui
