#pragma once
// Paired probes from the runs table (core/training/PairedProbe): two runs (A and B) given the
// same words, the same z draws and the same seeds, their answers side by side and the rows
// where they differ tinted. The checkpoints load and decode on a worker thread: the window stays
// responsive while a large model works.

#include <QDialog>
#include <QPointer>
#include <QThread>

#include <memory>

#include "ui/FrameBrowser.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace cvae::ui {

class PreviewTableModel;

class PairedProbeDialog : public QDialog {
  Q_OBJECT
 public:
  PairedProbeDialog(const QString& run_a, const QString& run_b, QWidget* parent = nullptr);
  ~PairedProbeDialog() override;

  // Starts the probe with the fields' values (ignored while one runs).
  void start();
  bool running() const { return !thread_.isNull(); }
  // After finished(): the result tables (as models) or the problem, e.g. a missing checkpoint.
  int tableCount() const;
  const PreviewTableModel* tableModel(int i) const;
  QString summary() const;
  QString problem() const { return problem_; }
  QLineEdit* wordsField() const { return words_; }
  QSpinBox* samplesField() const { return samples_; }
  QLineEdit* sequenceField() const { return sequence_; }
  // Video: A's and B's frames side by side (null for word experiments or before a result).
  FrameBrowser* frameBrowser() const { return frames_; }

 Q_SIGNALS:
  void finished();

 private:
  QString run_a_, run_b_;
  QLineEdit* words_;
  QComboBox *from_, *to_;
  QSpinBox *samples_, *seed_, *step_;
  QLineEdit* sequence_;
  QPushButton* run_;
  QLabel* status_;
  QTabWidget* tabs_;
  QPointer<FrameBrowser> frames_;
  QString problem_;
  QPointer<QThread> thread_;
};

}  // namespace cvae::ui
