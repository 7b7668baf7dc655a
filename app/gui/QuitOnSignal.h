#pragma once
// SIGTERM, SIGINT and SIGHUP (logout, `kill`, Ctrl-C in the starting terminal) close the window
// as if the user had confirmed quitting: a run in progress stops after its current step and
// saves last.pt, so Run → Continue picks it up; the window state is saved. A second signal
// ends the process at once (the default action). The handler only writes a byte to a pipe; the
// work happens on the GUI thread when Qt reads it (Qt's "Calling Qt Functions From Unix Signal
// Handlers").
#include <QObject>

class QSocketNotifier;

namespace cvae::ui {
class MainWindow;
}

class QuitOnSignal : public QObject {
  Q_OBJECT
 public:
  // Installs the handlers; false (and nothing installed) when the pipe cannot be made.
  bool install(cvae::ui::MainWindow* window);

 private:
  void quit();

  cvae::ui::MainWindow* window_ = nullptr;
  QSocketNotifier* notifier_ = nullptr;
};
