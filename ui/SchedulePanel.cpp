#include "ui/SchedulePanel.h"

#include <QPushButton>
#include <QVBoxLayout>

#include "core/experiments/ExperimentRegistry.h"

namespace cvae::ui {

SchedulePanel::SchedulePanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  form_ = new ConfigForm({"kl_annealing", "teacher_forcing"}, this);
  layout->addWidget(form_);
  preview_ = new QCustomPlot(this);
  preview_->setMinimumHeight(170);
  preview_->setNotAntialiasedElements(QCP::aeAll);
  preview_->xAxis->setLabel(tr("epoch"));
  preview_->yAxis->setLabel(tr("beta / ratio"));
  preview_->legend->setVisible(true);
  preview_->legend->setFont(QFont(font().family(), 8));
  preview_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
  auto* beta = preview_->addGraph();
  beta->setName(tr("KL weight β"));
  beta->setPen(QPen(QColor(31, 119, 180), 1.5));
  auto* tf = preview_->addGraph();
  tf->setName(tr("teacher forcing"));
  tf->setPen(QPen(QColor(214, 39, 40), 1.5));
  layout->addWidget(preview_, 1);
  auto* sweep = new QPushButton(tr("Sweep…"), this);
  sweep->setToolTip(
      tr("Try several values of these fields (and the optimizer's) as a sweep of runs, with "
         "every member's planned curves shown before launching"));
  connect(sweep, &QPushButton::clicked, this, &SchedulePanel::sweepRequested);
  layout->addWidget(sweep);
  connect(form_, &ConfigForm::configEdited, this, [this] {
    form_->applyTo(config_);
    redraw();
    Q_EMIT edited();
  });
}

void SchedulePanel::setConfig(const ExperimentConfig& config, int64_t batches_per_epoch) {
  config_ = config;
  batches_per_epoch_ = std::max<int64_t>(1, batches_per_epoch);
  form_->setConfig(config);
  redraw();
}

void SchedulePanel::redraw() {
  curves_ = planSchedules(config_, RunLength{config_.train.epochs, batches_per_epoch_}, 4000);
  const QVector<double> x(curves_.epoch.begin(), curves_.epoch.end());
  preview_->graph(0)->setData(x, QVector<double>(curves_.beta.begin(), curves_.beta.end()), true);
  preview_->graph(1)->setData(
      x, QVector<double>(curves_.teacher_forcing.begin(), curves_.teacher_forcing.end()), true);
  // Without a KL term there is no beta to tune: only the teacher-forcing curve is shown.
  const bool has_kl = experimentEntry(config_.kind).has_kl_term;
  preview_->graph(0)->setVisible(has_kl);
  if (has_kl)
    preview_->graph(0)->addToLegend();
  else
    preview_->graph(0)->removeFromLegend();
  preview_->yAxis->setLabel(has_kl ? tr("beta / ratio") : tr("teacher-forcing ratio"));
  const double top = has_kl ? std::max(1.0, config_.kl.max_beta) : 1.0;
  preview_->xAxis->setRange(0, config_.train.epochs);
  preview_->yAxis->setRange(-0.05 * top, 1.08 * top);
  preview_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace cvae::ui
