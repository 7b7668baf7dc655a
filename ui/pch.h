// Precompiled header for the sources of ui/ that draw plots: QCustomPlot's header (with the Qt
// headers it pulls in) is most of their compile time. Sources without plots skip it: loading a
// precompiled header costs seconds here, more than parsing what they include.
#pragma once
#include "ui/QCustomPlotInclude.h"
