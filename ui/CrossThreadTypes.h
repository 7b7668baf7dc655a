#pragma once
// Plain-data structs that cross from the training thread to the GUI thread in queued signals.
// No tensors: everything here is copied by value.

#include <QMetaType>
#include <QVector>

#include "core/training/RunStart.h"
#include "core/training/TrainingObserver.h"

Q_DECLARE_METATYPE(cvae::ProgressReport)
Q_DECLARE_METATYPE(cvae::EvaluationReport)
Q_DECLARE_METATYPE(cvae::RunResult)
Q_DECLARE_METATYPE(QVector<cvae::ProgressReport>)
Q_DECLARE_METATYPE(cvae::ExperimentConfig)
Q_DECLARE_METATYPE(cvae::RunOrigin)

namespace cvae::ui {
// Registers the types above with Qt's meta-type system; call once before connecting signals.
void registerCrossThreadTypes();
}  // namespace cvae::ui
