#include "QuitOnSignal.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QApplication>
#include <QSocketNotifier>

#include "ui/MainWindow.h"

namespace {

int g_pipe[2] = {-1, -1};

extern "C" void onTerminationSignal(int) {
  const char byte = 1;
  // Nothing else is async-signal-safe to do here; a full pipe means a quit is pending already.
  [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
}

}  // namespace

bool QuitOnSignal::install(cvae::ui::MainWindow* window) {
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) != 0) return false;
  ::fcntl(g_pipe[1], F_SETFL, O_NONBLOCK);
  window_ = window;
  notifier_ = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
  connect(notifier_, &QSocketNotifier::activated, this, &QuitOnSignal::quit);
  struct sigaction action = {};
  action.sa_handler = onTerminationSignal;
  sigemptyset(&action.sa_mask);
  // The first signal asks for a clean quit; the handler is then reset, so a second one ends
  // the process if the clean quit hangs.
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(signal_number, &action, nullptr);
  return true;
}

void QuitOnSignal::quit() {
  notifier_->setEnabled(false);
  char byte;
  [[maybe_unused]] const ssize_t read = ::read(g_pipe[0], &byte, 1);
  // Nobody is at the window to answer "stop the run and quit?": the signal is the answer.
  window_->setQuitConfirmation([] { return true; });
  window_->close();
  QApplication::quit();
}
