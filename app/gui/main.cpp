// cvae-workbench: the desktop GUI. It opens on the tense preset with the embedded default data.
#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>

#include <clocale>
#include <cstdio>
#include <cstring>

#include <torch/version.h>

#include "QuitOnSignal.h"
#include "ui/MainWindow.h"
#include "ui/runs/HParamsView.h"
#include "ui/runs/RunsPanel.h"
#include "ui/runs/RunsTableModel.h"

namespace {

const char* const kUsage =
    "usage: cvae-workbench [CONFIG.yaml | RUN_DIR [--follow]] [--overlay RUN_DIR ...] "
    "[--start] [--runs FOLDER ...] [--group-seeds] [--select-all] [--hparams] "
    "[--importance SCORE] [--curves X,Y] [--version]";

}  // namespace

int main(int argc, char** argv) {
  // --help answers on the terminal, also where there is no display to start the GUI on.
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::printf("%s\n", kUsage);
      return 0;
    } else if (std::strcmp(argv[i], "--version") == 0) {
      std::printf("cvae-workbench %s (Qt %s, LibTorch %s)\n", CVAE_VERSION, qVersion(),
                  TORCH_VERSION);
      return 0;
    }
  QApplication app(argc, argv);
  // QApplication switched the C library to the desktop's locale; a comma-decimal LC_NUMERIC
  // would change how any C-level number formatting or parsing behaves (libraries included).
  // Our own file I/O is locale-independent already (core/io/NumberText.h); Qt shows numbers in
  // the user's locale through QLocale, which this does not touch.
  std::setlocale(LC_NUMERIC, "C");
  QApplication::setOrganizationName("cvae-workbench");
  QApplication::setApplicationName("CVAE Experiment Workbench");
  cvae::ui::MainWindow window;
  window.show();
  // Problems with the command line: said on the terminal (and to scripts) and in a box that
  // does not block the window, so a run started with --start goes ahead.
  auto say = [](const QString& text) {
    std::fprintf(stderr, "cvae-workbench: %s\n", qPrintable(text));
  };
  auto warn = [&window, &say](const QString& title, const QString& text) {
    say(text);
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, &window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->show();
  };
  QuitOnSignal quit_on_signal;
  if (!quit_on_signal.install(&window))
    std::fprintf(stderr, "cvae-workbench: cannot watch for SIGTERM; a kill stops runs unsaved\n");
  // cvae-workbench [CONFIG.yaml | RUN_DIR [--follow]] [--overlay RUN_DIR ...] [--start]
  //                [--runs FOLDER ...] [--group-seeds] [--select-all] [--hparams]
  //                [--importance SCORE] [--curves X,Y]
  QStringList args = QApplication::arguments().mid(1);
  const bool start = args.removeAll("--start") > 0;
  const bool follow = args.removeAll("--follow") > 0;
  const bool hparams = args.removeAll("--hparams") > 0;
  const bool group_seeds = args.removeAll("--group-seeds") > 0;
  const bool select_all = args.removeAll("--select-all") > 0;
  QStringList without_value;  // options given last, with nothing after them
  auto take = [&args, &without_value](const QString& option) {
    QStringList values;
    for (int i = args.indexOf(option); i >= 0; i = args.indexOf(option)) {
      args.removeAt(i);
      if (i < args.size() && !args[i].startsWith("--"))
        values << args.takeAt(i);
      else
        without_value << option;
    }
    return values;
  };
  const QStringList overlays = take("--overlay");
  // The Runs table lists these folders (a sweep's, say) instead of the remembered ones.
  const QStringList runs = take("--runs");
  if (!runs.isEmpty()) window.runsPanel()->setRoots(runs);
  // Listed all the same (it may be made later), but said: it showed only as "0 runs in ...".
  for (const auto& folder : runs)
    if (!QFileInfo(folder).isDir())
      say(QObject::tr("--runs %1: no such folder (yet); it is listed, with no runs").arg(folder));
  // A comparison in one command: seed groups as bands, every listed run overlaid.
  if (group_seeds) window.runsPanel()->setGroupSeeds(true);
  if (select_all) {
    QStringList dirs;
    for (int r = 0; r < window.runsPanel()->model()->runCount(); ++r)
      dirs << window.runsPanel()->model()->runDir(r);
    window.runsPanel()->selectRuns(dirs);
  }
  const QStringList importance = take("--importance");
  const QStringList curves = take("--curves");  // "X,Y": any series against another
  // A command line with a mistake starts no run: the run would not be the one asked for (a
  // --set the GUI does not take, a config named second), and a run takes hours.
  bool mistaken = !without_value.isEmpty();
  if (!without_value.isEmpty())
    warn(QObject::tr("Option without a value"),
         QObject::tr("%1 needs a value; ignored.\n\n%2")
             .arg(without_value.join(", "), QString(kUsage)));
  // Anything else that looks like an option is a typo, not a config file named "--bogus".
  for (const auto& arg : QStringList(args))
    if (arg.startsWith("--")) {
      warn(QObject::tr("Unknown option"),
           QObject::tr("%1 is not an option of cvae-workbench; it was ignored.\n\n%2")
               .arg(arg, QString(kUsage)));
      args.removeAll(arg);
      mistaken = true;
    }
  if (args.size() > 1) {
    warn(QObject::tr("One config or run at a time"),
         QObject::tr("%1: only one config or run folder is opened (%2); the rest was ignored."
                     "\n\n%3")
             .arg(args.mid(1).join(" "), args.first(), QString(kUsage)));
    mistaken = true;
  }
  bool ok = true;
  if (!args.isEmpty())
    ok = QFileInfo(args.first()).isDir() ? window.openRun(args.first(), follow)
                                         : window.openConfig(args.first());
  if (!ok) say(window.lastError());
  for (const auto& run_dir : overlays)
    if (!window.overlayRun(run_dir)) say(window.lastError());
  if (start && ok && mistaken)
    say(
        QObject::tr("--start: no run started, since the command line has the mistakes said above "
                    "(fix them, or press Start in the window)"));
  else if (start && ok)
    window.startTraining();
  if (hparams || !importance.isEmpty() || !curves.isEmpty()) window.showHParams();
  if (!curves.isEmpty() && (curves.last().count(',') != 1 ||
                            !window.hparamsView()->showCurves(curves.last().section(',', 0, 0),
                                                              curves.last().section(',', 1, 1))))
    warn(QObject::tr("Unknown series"),
         QObject::tr("--curves %1: give two series of the listed runs as X,Y "
                     "(beta,kl; step,loss; teacher_forcing,bleu).")
             .arg(curves.last()));
  if (!importance.isEmpty() &&
      !window.hparamsView()->showImportanceFor("best " + importance.last()))
    warn(QObject::tr("Unknown score"),
         QObject::tr("--importance %1: no listed run has the score '%1'.").arg(importance.last()));
  return QApplication::exec();
}
