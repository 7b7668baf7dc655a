#include "ui/ForkDifferenceDialog.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include "core/analysis/SeriesDifference.h"

namespace cvae::ui {
namespace {

SeriesPoints points(const Series& s) {
  return {std::vector<double>(s.x.begin(), s.x.end()), std::vector<double>(s.y.begin(), s.y.end())};
}

// The series with differences, relabelled "Δ label".
QList<PlotSeries> present(const QList<PlotSeries>& series, const MetricStore& store) {
  QList<PlotSeries> out;
  for (auto s : series)
    if (!store.series(s.name).x.isEmpty()) {
      s.label = QString::fromUtf8("Δ ") + s.label;
      out.push_back(s);
    }
  return out;
}

}  // namespace

void fillForkDifferences(MetricStore& out, const MetricStore& child, const MetricStore& parent,
                         double from_x) {
  out.clear();
  for (const auto& name : child.names()) {
    if (!parent.names().contains(name)) continue;
    const SeriesPoints d =
        seriesDifference(points(child.series(name)), points(parent.series(name)), from_x);
    if (d.x.empty()) continue;
    out.setSeries(name, Series{QVector<double>(d.x.begin(), d.x.end()),
                               QVector<double>(d.y.begin(), d.y.end())});
  }
}

ForkDifferenceDialog::ForkDifferenceDialog(const MetricStore& child, const MetricStore& parent,
                                           double fork_x, const QString& title,
                                           const QList<PlotSeries>& losses,
                                           const QList<PlotSeries>& scores, QWidget* parent_widget)
    : QDialog(parent_widget) {
  setWindowTitle(tr("Difference to the parent — %1").arg(title));
  fillForkDifferences(differences_, child, parent, fork_x);
  auto* layout = new QVBoxLayout(this);
  const QList<PlotSeries> shown_losses = present(losses, differences_);
  const QList<PlotSeries> shown_scores = present(scores, differences_);
  if (shown_losses.isEmpty() && shown_scores.isEmpty()) {
    layout->addWidget(new QLabel(
        tr("The parent has no values after the fork (epoch %1): it stopped there, so there is "
           "nothing to compare. Continue the parent past the fork step to compare them.")
            .arg(fork_x, 0, 'g', 4),
        this));
  } else {
    layout->addWidget(new QLabel(
        tr("Fork minus parent from the fork (epoch %1) on, where both logged a value (the "
           "parent's interpolated between its points). Above 0: the fork's value is higher.")
            .arg(fork_x, 0, 'g', 4),
        this));
  }
  auto* plots = new QSplitter(Qt::Vertical, this);
  loss_plot_ = new MetricPlot(tr("Losses, fork − parent"), tr("Δ nats per item"), shown_losses,
                              differences_, plots);
  score_plot_ =
      new MetricPlot(tr("Scores, fork − parent"), tr("Δ score"), shown_scores, differences_, plots);
  plots->addWidget(loss_plot_);
  plots->addWidget(score_plot_);
  loss_plot_->setVisible(!shown_losses.isEmpty());
  score_plot_->setVisible(!shown_scores.isEmpty());
  for (auto* plot : {loss_plot_, score_plot_}) {
    plot->resetFromStore();
    plot->addMarker(fork_x);
  }
  layout->addWidget(plots, 1);
  resize(760, 560);
}

}  // namespace cvae::ui
