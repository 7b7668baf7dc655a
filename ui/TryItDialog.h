#pragma once
// "Try it": a trained model probed by hand, from a checkpoint (the run in view's last.pt or
// best.pt). Tense: convert any word between tenses, generate tuples from the prior with a
// chosen seed (each marked when it is a training row), and walk the latent space between two
// words in all four tenses. Spelling: correct any word. The checkpoint loads, and each probe
// runs, on a worker thread, one at a time: the window never waits for the model.

#include <QDialog>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

#include "core/experiments/Evaluation.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cvae {
struct LoadedExperiment;
}

namespace cvae::ui {

class PreviewTableModel;

class TryItDialog : public QDialog {
  Q_OBJECT
 public:
  TryItDialog(const QString& checkpoint, QWidget* parent = nullptr);
  ~TryItDialog() override;

  // What a test drives as a user would: the fields, and the probes the buttons start.
  QLineEdit* wordField() const { return word_; }
  QLineEdit* secondWordField() const { return word_b_; }
  void convert();
  void generate();
  void interpolate();
  bool busy() const { return !thread_.isNull(); }
  // The last probe's answer: a table (conversion: one row) or a problem.
  const PreviewTableModel* result() const { return result_; }
  QString problem() const { return problem_; }
  bool loaded() const { return static_cast<bool>(experiment_); }

 Q_SIGNALS:
  void ready();     // the checkpoint is loaded (or could not be: problem())
  void answered();  // a probe finished

 private:
  // Runs `work` on a worker thread against the loaded experiment; its table is shown after.
  void runProbe(std::function<PreviewTable(LoadedExperiment&)> work);
  void setBusy(bool busy);

  QString checkpoint_;
  std::shared_ptr<LoadedExperiment> experiment_;
  // What the loaded experiment can be asked: words (tense, spelling), tuples and paths (tense).
  bool words_ = false, tense_ = false;
  QLineEdit *word_, *word_b_;
  QComboBox *from_, *to_;
  QSpinBox *count_, *seed_, *steps_;
  QPushButton *convert_, *generate_, *interpolate_;
  QLabel* status_;
  PreviewTableModel* result_;
  QString problem_;
  QPointer<QThread> thread_;
};

}  // namespace cvae::ui
