// Precompiled header for the Qt + torch targets of ui/.
#pragma once
#include <torch/nn/module.h>

#include <QtWidgets>
#include "ui/QCustomPlotInclude.h"
