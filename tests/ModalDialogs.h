#pragma once
// Answers a modal dialog that the code under test opens and waits on (QFileDialog's and
// QMessageBox's static functions run their own event loop): `act` is called from that loop with
// the dialog once it is the active modal widget.
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <functional>
#include <memory>

template <typename Dialog>
void whenModal(std::function<void(Dialog*)> act, int timeout_ms = 10000) {
  auto* timer = new QTimer;
  auto clock = std::make_shared<QElapsedTimer>();
  clock->start();
  timer->setInterval(20);
  QObject::connect(timer, &QTimer::timeout, [timer, clock, act, timeout_ms] {
    auto* dialog = qobject_cast<Dialog*>(QApplication::activeModalWidget());
    if (!dialog && clock->elapsed() < timeout_ms) return;
    timer->stop();
    timer->deleteLater();
    if (dialog) act(dialog);
  });
  timer->start();
}
