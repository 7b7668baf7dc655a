#pragma once
// Settings must not change by themselves: scrolling a settings panel with the mouse wheel used
// to turn whichever drop-down or spin box passed under the pointer (`device` from auto to cuda).
// Installed on the application, this hands a wheel event over an unfocused combo box or spin box
// to its parent instead, so the panel scrolls; a focused one takes the wheel as usual (the Qt
// settings-page convention).

#include <QObject>

namespace cvae::ui {

class WheelGuard : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace cvae::ui
