#pragma once
#include <QColor>
#include <QPalette>

class QCustomPlot;

namespace cvae::ui {
// Colours a plot's background, axes, grid and legend from the application palette, so plots
// follow the light and the dark theme.
void applyPlotTheme(QCustomPlot* plot, const QPalette& palette);
// Tableau 10's categorical colours in their order (blue, orange, green, red, ...), cycling:
// distinct on light and dark backgrounds and for the common colour-vision deficiencies.
QColor categoricalColor(int index);
}  // namespace cvae::ui
