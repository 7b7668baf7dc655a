#pragma once
#include <QColor>
#include <QPalette>

class QCustomPlot;

namespace cvae::ui {
// Colours a plot's background, axes, grid and legend from the application palette, so plots
// follow the light and the dark theme.
void applyPlotTheme(QCustomPlot* plot, const QPalette& palette);
// Shows the legend in its own column right of the axes, in layout row `row` (the axes' row),
// never over the curves it names: small print, compact rows, at most `max_width` pixels wide.
void placeLegendBesideAxes(QCustomPlot* plot, int row, int max_width, int font_points);
// Tableau 10's categorical colours in their order (blue, orange, green, red, ...), cycling:
// distinct on light and dark backgrounds and for the common colour-vision deficiencies.
QColor categoricalColor(int index);
}  // namespace cvae::ui
