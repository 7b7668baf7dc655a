#include "ui/PlotTheme.h"

#include "ui/QCustomPlotInclude.h"

namespace cvae::ui {

void applyPlotTheme(QCustomPlot* plot, const QPalette& palette) {
  const QColor background = palette.color(QPalette::Base);
  const QColor text = palette.color(QPalette::Text);
  QColor grid = text;
  grid.setAlpha(40);
  plot->setBackground(background);
  for (auto* axis : {plot->xAxis, plot->yAxis}) {
    axis->setBasePen(QPen(text, 1));
    axis->setTickPen(QPen(text, 1));
    axis->setSubTickPen(QPen(text, 1));
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
  }
  plot->legend->setBrush(background);
  plot->legend->setTextColor(text);
  plot->legend->setBorderPen(QPen(grid, 1));
  for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
    if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
      title->setTextColor(text);
  plot->replot(QCustomPlot::rpQueuedReplot);
}

void placeLegendBesideAxes(QCustomPlot* plot, int row, int max_width, int font_points) {
  auto* legend = plot->legend;
  legend->setVisible(true);
  legend->setFont(QFont(plot->font().family(), font_points));
  plot->axisRect()->insetLayout()->take(legend);
  plot->axisRect()->insetLayout()->simplify();
  plot->plotLayout()->addElement(row, 1, legend);
  plot->plotLayout()->setColumnStretchFactor(1, 0.001);
  legend->setMaximumSize(max_width, QWIDGETSIZE_MAX);
  legend->setIconSize(18, 10);
  legend->setRowSpacing(0);
  // Tight around its entries: a short plot (100 px on a 700-pixel-high screen) has room for five
  // of them beside its axes only without the default 5 px above and 4 below.
  legend->setMargins(QMargins(6, 1, 6, 1));
}

QColor categoricalColor(int index) {
  static const QColor kTableau10[] = {
      QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
      QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
      QColor(188, 189, 34),  QColor(23, 190, 207)};
  return kTableau10[((index % 10) + 10) % 10];
}

}  // namespace cvae::ui
