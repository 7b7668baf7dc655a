#pragma once
#include <QPalette>

class QCustomPlot;

namespace cvae::ui {
// Colours a plot's background, axes, grid and legend from the application palette, so plots
// follow the light and the dark theme.
void applyPlotTheme(QCustomPlot* plot, const QPalette& palette);
}  // namespace cvae::ui
