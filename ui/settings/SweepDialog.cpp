#include "ui/settings/SweepDialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <fstream>

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/config/SweepFile.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputError.h"
#include "core/schedules/Schedules.h"
#include "core/sweeps/SweepRunner.h"
#include "ui/QCustomPlotInclude.h"

namespace cvae::ui {
namespace {

// The fields a schedule sweep varies, in the order the dialog lists them.
bool sweepable(const std::string& key) {
  for (const char* prefix : {"kl_annealing.", "teacher_forcing.", "optimizer."})
    if (key.rfind(prefix, 0) == 0) return true;
  return key == "train.epochs" || key == "train.batch_size" || key == "model.word_dropout";
}

QString yamlScalar(const QString& value) {
  // Quoted when YAML would read it as something else (a colon, a leading symbol).
  static const QString plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+";
  for (QChar c : value)
    if (!plain.contains(c)) return "\"" + QString(value).replace("\"", "\\\"") + "\"";
  return value;
}

}  // namespace

SweepDialog::SweepDialog(const ExperimentConfig& config, int64_t batches_per_epoch, QWidget* parent)
    : QDialog(parent), config_(config), batches_per_epoch_(batches_per_epoch) {
  setWindowTitle(tr("Sweep schedules"));
  resize(1000, 620);
  executable_ = findCli();

  table_ = new QTableWidget(this);
  table_->setColumnCount(3);
  table_->setHorizontalHeaderLabels({tr("key"), tr("now"), tr("sweep over")});
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  for (const auto& spec : configSchema()) {
    if (!sweepable(spec.key) || !spec.appliesTo(config.kind)) continue;
    const int row = table_->rowCount();
    table_->insertRow(row);
    auto* key = new QTableWidgetItem(QString::fromStdString(spec.key));
    key->setFlags(Qt::ItemIsEnabled);
    key->setToolTip(QString::fromStdString(spec.help));
    auto* now = new QTableWidgetItem(QString::fromStdString(formatFieldValue(spec.get(config))));
    now->setFlags(Qt::ItemIsEnabled);
    auto* values = new QTableWidgetItem;
    values->setToolTip(
        tr("Values: a, b, c — or a range A..B xN (N evenly spaced), log A..B xN (in log "
           "space). Expects %1.")
            .arg(QString::fromStdString(spec.describeExpected())));
    table_->setItem(row, 0, key);
    table_->setItem(row, 1, now);
    table_->setItem(row, 2, values);
    rows_[key->text()] = row;
  }
  table_->resizeColumnsToContents();
  connect(table_, &QTableWidget::itemChanged, this, [this] { rebuildPlan(); });

  seeds_ = new QLineEdit(this);
  seeds_->setPlaceholderText(tr("e.g. 1, 2, 3: every member once per seed"));
  name_ = new QLineEdit(QString::fromStdString(config.name) + "-sweep", this);
  parallel_ = new QSpinBox(this);
  parallel_->setRange(1, 64);
  parallel_->setValue(std::max(1, QThread::idealThreadCount() / std::max(1, config.train.threads)));
  parallel_->setToolTip(tr("Members at a time; each gets cores / this many OpenBLAS threads"));
  connect(seeds_, &QLineEdit::textChanged, this, [this] { rebuildPlan(); });
  connect(name_, &QLineEdit::textChanged, this, [this] { rebuildPlan(); });

  preview_ = new QCustomPlot(this);
  preview_->xAxis->setLabel(tr("epoch"));
  preview_->yAxis->setLabel(tr("β (blue) / teacher forcing (red)"));
  preview_->yAxis->setRange(-0.05, 1.05);
  status_ = new QLabel(this);
  status_->setObjectName("sweepStatus");
  status_->setWordWrap(true);

  auto* form = new QFormLayout;
  form->addRow(tr("Seeds"), seeds_);
  form->addRow(tr("Name"), name_);
  form->addRow(tr("At a time"), parallel_);
  auto* left = new QWidget;
  auto* left_layout = new QVBoxLayout(left);
  left_layout->setContentsMargins(0, 0, 0, 0);
  left_layout->addWidget(table_, 1);
  left_layout->addLayout(form);
  auto* splitter = new QSplitter(this);
  splitter->addWidget(left);
  splitter->addWidget(preview_);
  splitter->setSizes({460, 540});

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  launch_ = buttons->addButton(tr("Launch sweep"), QDialogButtonBox::AcceptRole);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(launch_, &QPushButton::clicked, this, [this] {
    const QString dir = launch();
    if (!dir.isEmpty()) accept();
  });
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);
  rebuildPlan();
}

void SweepDialog::setValues(const QString& key, const QString& text) {
  if (!rows_.contains(key)) return;
  table_->item(rows_[key], 2)->setText(text);  // itemChanged rebuilds
}

void SweepDialog::setSeeds(const QString& text) {
  seeds_->setText(text);
}

void SweepDialog::setName(const QString& name) {
  name_->setText(name);
}

QString SweepDialog::problem() const {
  return problem_;
}

QString SweepDialog::sweepText() const {
  QString grid, error;
  for (int row = 0; row < table_->rowCount(); ++row) {
    const QString text = table_->item(row, 2)->text().trimmed();
    if (text.isEmpty()) continue;
    std::string problem;
    const auto values = parseValueList(text.toStdString(), problem);
    if (!values) continue;  // rebuildPlan names it
    QStringList quoted;
    for (const auto& v : *values) quoted << yamlScalar(QString::fromStdString(v));
    grid += "  " + table_->item(row, 0)->text() + ": [" + quoted.join(", ") + "]\n";
  }
  QString text =
      "# Made by the workbench's Sweep dialog; run again with\n"
      "#   cvae-cli sweep sweep.yaml --out .\n";
  text += "name: " + yamlScalar(name_->text().trimmed()) + "\nbase: base.yaml\n";
  if (!grid.isEmpty()) text += "grid:\n" + grid;
  std::string problem;
  if (!seeds_->text().trimmed().isEmpty())
    if (const auto seeds = parseValueList(seeds_->text().toStdString(), problem))
      text += "seeds: [" + QString::fromStdString([&] {
                std::string joined;
                for (const auto& s : *seeds) joined += (joined.empty() ? "" : ", ") + s;
                return joined;
              }()) +
              "]\n";
  return text;
}

void SweepDialog::rebuildPlan() {
  plan_.reset();
  problem_.clear();
  // Each field's own problem first, with its key: clearer than a line of generated YAML.
  for (int row = 0; row < table_->rowCount(); ++row) {
    auto* item = table_->item(row, 2);
    const QString text = item->text().trimmed();
    QString row_problem;
    if (!text.isEmpty()) {
      std::string problem;
      const auto values = parseValueList(text.toStdString(), problem);
      const FieldSpec* spec = findField(table_->item(row, 0)->text().toStdString());
      if (!values) {
        row_problem = QString::fromStdString(problem);
      } else {
        for (const auto& v : *values) {
          if (!parseFieldValue(*spec, v, problem)) {
            row_problem = QString::fromStdString(problem);
            break;
          }
        }
      }
    }
    const QSignalBlocker block(table_);
    item->setBackground(row_problem.isEmpty() ? QBrush() : QBrush(QColor(255, 210, 210)));
    if (!row_problem.isEmpty() && problem_.isEmpty())
      problem_ = table_->item(row, 0)->text() + ": " + row_problem;
  }
  bool nothing_given = seeds_->text().trimmed().isEmpty();
  for (int row = 0; row < table_->rowCount() && nothing_given; ++row)
    nothing_given = table_->item(row, 2)->text().trimmed().isEmpty();
  if (nothing_given) {
    // Where every dialog starts: a hint, not an error in red before anything was typed.
    problem_ =
        tr("Nothing to sweep yet: type values in the 'sweep over' column (0.001, 0.003 "
           "or log 0.0001..0.01 x3), or seeds.");
    status_->setText(problem_);
    status_->setStyleSheet({});
    launch_->setEnabled(false);
    drawPreview();
    return;
  }
  if (problem_.isEmpty()) {
    try {
      const SweepFile file =
          parseSweepText(sweepText().toStdString(), "the sweep", QDir::currentPath().toStdString());
      plan_ = expandSweep(file, config_);
    } catch (const InputError& e) {
      problem_ = QString::fromStdString(e.what());
    }
  }
  if (plan_) {
    QString text = tr("%n member(s)", "", static_cast<int>(plan_->members.size()));
    for (const auto& w : plan_->warnings) text += "\n" + tr("Note: ") + QString::fromStdString(w);
    status_->setText(text);
    status_->setStyleSheet({});
  } else {
    status_->setText(problem_);
    status_->setStyleSheet("color: #b00000");
  }
  launch_->setEnabled(plan_.has_value());
  drawPreview();
}

void SweepDialog::drawPreview() {
  preview_->clearGraphs();
  if (plan_) {
    const int n = static_cast<int>(plan_->members.size());
    // Every member's curves, translucent, so that where they agree the lines darken.
    const int alpha = std::clamp(255 / std::max(1, n / 2), 40, 220);
    double max_epoch = 1;
    for (const auto& member : plan_->members) {
      const auto curves = planSchedules(
          member.config, RunLength{member.config.train.epochs, batches_per_epoch_}, 1500);
      const QVector<double> x(curves.epoch.begin(), curves.epoch.end());
      auto* beta = preview_->addGraph();
      beta->setPen(QPen(QColor(31, 119, 180, alpha), 1.5));
      beta->setData(x, QVector<double>(curves.beta.begin(), curves.beta.end()), true);
      beta->setName(QString::fromStdString(member.name));
      auto* tf = preview_->addGraph();
      tf->setPen(QPen(QColor(214, 39, 40, alpha), 1.5));
      tf->setData(x, QVector<double>(curves.teacher_forcing.begin(), curves.teacher_forcing.end()),
                  true);
      if (!x.isEmpty()) max_epoch = std::max(max_epoch, x.back());
    }
    preview_->xAxis->setRange(0, max_epoch);
    double max_beta = 1;
    for (const auto& member : plan_->members)
      max_beta = std::max(max_beta, member.config.kl.max_beta);
    preview_->yAxis->setRange(-0.05, max_beta + 0.05);
  }
  preview_->replot();
}

QString SweepDialog::findCli() {
  const QString here = QCoreApplication::applicationDirPath();
  for (const QString& candidate : {here + "/cvae-cli", here + "/../cli/cvae-cli"})
    if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).canonicalFilePath();
  return QStandardPaths::findExecutable("cvae-cli");
}

QString SweepDialog::launch() {
  if (!plan_) return {};
  if (executable_.isEmpty()) {
    problem_ = tr("cvae-cli was not found beside the workbench or on PATH");
    status_->setText(problem_);
    return {};
  }
  const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
  const QString root = QString::fromStdString(config_.output.dir);
  const QString dir = QDir(root).absoluteFilePath(name_->text().trimmed() + "-" + stamp);
  try {
    if (!QDir().mkpath(dir)) throw InputError(dir.toStdString() + ": cannot create the folder");
    saveConfigFile(config_, (dir + "/base.yaml").toStdString());
    writeFileAtomically((dir + "/sweep.yaml").toStdString(), sweepText().toStdString());
  } catch (const std::exception& e) {
    problem_ = QString::fromStdString(e.what());
    status_->setText(problem_);
    return {};
  }
  // Detached, so the sweep outlives the window; its output goes to DIR/sweep.log.
  QProcess process;
  process.setProgram(executable_);
  process.setArguments({"sweep", dir + "/sweep.yaml", "--out", dir, "--parallel",
                        QString::number(parallel_->value())});
  process.setStandardOutputFile(dir + "/sweep.log");
  process.setStandardErrorFile(dir + "/sweep.log", QIODevice::Append);
  process.setStandardInputFile(QProcess::nullDevice());
  if (!process.startDetached()) {
    problem_ = tr("could not start %1").arg(executable_);
    status_->setText(problem_);
    return {};
  }
  Q_EMIT launched(dir);
  return dir;
}

}  // namespace cvae::ui
