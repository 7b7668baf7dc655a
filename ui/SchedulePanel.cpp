#include "ui/SchedulePanel.h"

#include <algorithm>

#include <QEvent>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "core/experiments/ExperimentRegistry.h"

namespace cvae::ui {
namespace {

// Lines of at most about `width` characters, broken between words: a plot item's text does not
// wrap by itself, and the panel may be narrow.
QString wrapWords(const QString& text, int width) {
  QString out, line;
  for (const QString& word : text.split(' ', Qt::SkipEmptyParts)) {
    if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
      out += line + '\n';
      line.clear();
    }
    line += (line.isEmpty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace

SchedulePanel::SchedulePanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  // The fields scroll on their own and the preview stays in view below them, so every edit's
  // curve is seen on a short screen too; the line between them can be dragged.
  auto* split = new QSplitter(Qt::Vertical, this);
  split->setChildrenCollapsible(false);
  layout->addWidget(split, 1);
  form_ = new ConfigForm({"kl_annealing", "teacher_forcing"}, this);
  auto* fields = new QScrollArea(split);
  fields->setWidgetResizable(true);
  fields->setFrameShape(QFrame::NoFrame);
  fields->setWidget(form_);
  fields->setMinimumHeight(90);
  preview_ = new QCustomPlot(split);
  preview_->setMinimumHeight(130);
  preview_->setNotAntialiasedElements(QCP::aeAll);
  preview_->xAxis->setLabel(tr("epoch"));
  preview_->yAxis->setLabel(tr("beta / ratio"));
  preview_->legend->setVisible(true);
  preview_->legend->setFont(QFont(font().family(), 8));
  // The legend in a row of its own above the axes, side by side: inside them it covered the
  // curves of a narrow panel.
  preview_->axisRect()->insetLayout()->take(preview_->legend);
  preview_->axisRect()->insetLayout()->simplify();
  preview_->plotLayout()->insertRow(0);
  preview_->plotLayout()->addElement(0, 0, preview_->legend);
  preview_->plotLayout()->setRowStretchFactor(0, 0.001);
  preview_->legend->setFillOrder(QCPLegend::foColumnsFirst);
  preview_->legend->setBorderPen(Qt::NoPen);
  auto* beta = preview_->addGraph();
  beta->setName(tr("KL weight β"));
  beta->setPen(QPen(QColor(31, 119, 180), 1.5));
  auto* tf = preview_->addGraph();
  tf->setName(tr("teacher forcing"));
  tf->setPen(QPen(QColor(214, 39, 40), 1.5));
  // What a paused run applied so far (graphs 2 and 3), in the plan's colours, not in the legend.
  for (const auto* plan : {beta, tf}) {
    auto* ran = preview_->addGraph();
    ran->setPen(QPen(plan->pen().color(), 2.5));
    ran->removeFromLegend();
  }
  now_line_ = new QCPItemStraightLine(preview_);
  now_line_->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashDotLine));
  now_line_->setVisible(false);
  problem_text_ = new QCPItemText(preview_);
  problem_text_->position->setType(QCPItemPosition::ptAxisRectRatio);
  problem_text_->position->setCoords(0.5, 0.5);
  problem_text_->setColor(QColor(192, 57, 43));
  problem_text_->setFont(QFont(font().family(), 8));
  problem_text_->setBrush(QColor(255, 255, 255, 230));  // readable over the β curve
  problem_text_->setPadding(QMargins(3, 2, 3, 2));
  problem_text_->setVisible(false);
  connect(form_, &ConfigForm::relationProblemChanged, this, &SchedulePanel::redraw);
  preview_->installEventFilter(this);
  split->addWidget(fields);
  split->addWidget(preview_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({300, 200});  // weights: the splitter shares its height in this proportion
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

void SchedulePanel::showRun(const QVector<double>& beta_x, const QVector<double>& beta,
                            const QVector<double>& teacher_forcing_x,
                            const QVector<double>& teacher_forcing, double now_epoch) {
  now_ = now_epoch;
  preview_->graph(2)->setData(beta_x, beta, true);
  preview_->graph(3)->setData(teacher_forcing_x, teacher_forcing, true);
  redraw();
}

void SchedulePanel::clearRun() {
  if (!now_) return;
  now_.reset();
  preview_->graph(2)->data()->clear();
  preview_->graph(3)->data()->clear();
  redraw();
}

void SchedulePanel::redraw() {
  curves_ = planSchedules(config_, RunLength{config_.train.epochs, batches_per_epoch_}, 4000);
  // While a run is paused only the plan from now on is drawn: the past is what ran.
  QVector<double> x, beta, teacher_forcing;
  for (size_t i = 0; i < curves_.epoch.size(); ++i) {
    if (now_ && curves_.epoch[i] < *now_) continue;
    x << curves_.epoch[i];
    beta << curves_.beta[i];
    teacher_forcing << curves_.teacher_forcing[i];
  }
  preview_->graph(0)->setData(x, beta, true);
  preview_->graph(1)->setData(x, teacher_forcing, true);
  for (int g = 0; g < 2; ++g) {
    QPen pen = preview_->graph(g)->pen();
    pen.setStyle(now_ ? Qt::DashLine : Qt::SolidLine);
    preview_->graph(g)->setPen(pen);
  }
  now_line_->setVisible(now_.has_value());
  if (now_) {
    now_line_->point1->setCoords(*now_, 0);
    now_line_->point2->setCoords(*now_, 1);
  }
  // Without a KL term there is no beta to tune: only the teacher-forcing curve is shown.
  const bool has_kl = experimentEntry(config_.kind).has_kl_term;
  const QString problem = form_->relationProblem();
  preview_->graph(1)->setVisible(!problem.startsWith("teacher_forcing."));
  problem_text_->setVisible(!problem.isEmpty());
  problem_text_->setText(wrapWords(problem, 28));
  preview_->graph(0)->setVisible(has_kl && !problem.startsWith("kl_annealing."));
  preview_->graph(2)->setVisible(has_kl);
  if (has_kl)
    preview_->graph(0)->addToLegend();
  else
    preview_->graph(0)->removeFromLegend();
  preview_->yAxis->setLabel(has_kl ? tr("beta / ratio") : tr("teacher-forcing ratio"));
  double top = has_kl ? std::max(1.0, config_.kl.max_beta) : 1.0;
  if (now_ && has_kl) {  // what ran may have gone higher than the edited plan
    bool found = false;
    const QCPRange ran = preview_->graph(2)->getValueRange(found);
    if (found) top = std::max(top, ran.upper);
  }
  preview_->xAxis->setRange(0, config_.train.epochs);
  preview_->yAxis->setRange(-0.05 * top, 1.08 * top);
  preview_->replot(QCustomPlot::rpQueuedReplot);
}

bool SchedulePanel::eventFilter(QObject* watched, QEvent* event) {
  // One tick step per 22 pixels of axis (the preview less its legend row and x-axis, about
  // 90 px), so a short preview's labels do not run into each other.
  if (watched == preview_ && event->type() == QEvent::Resize)
    preview_->yAxis->ticker()->setTickCount(std::clamp((preview_->height() - 90) / 22, 1, 5));
  return QWidget::eventFilter(watched, event);
}

QString SchedulePanel::previewProblem() const {
  return problem_text_->visible() ? problem_text_->text() : QString();
}

}  // namespace cvae::ui
