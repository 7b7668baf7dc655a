#include "ui/WheelGuard.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>

namespace cvae::ui {

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::Wheel) return false;
  auto* widget = qobject_cast<QWidget*>(watched);
  if (!widget || widget->hasFocus()) return false;
  if (!qobject_cast<QComboBox*>(widget) && !qobject_cast<QAbstractSpinBox*>(widget)) return false;
  // Not for this widget: let what holds it (a scroll area, say) have the wheel.
  if (QWidget* parent = widget->parentWidget()) QCoreApplication::sendEvent(parent, event);
  return true;
}

}  // namespace cvae::ui
