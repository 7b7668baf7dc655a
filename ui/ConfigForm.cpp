#include "ui/ConfigForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace cvae::ui {
namespace {

const char* const kProblemStyle = "border: 1px solid #c0392b;";

bool inSections(const std::string& key, const QStringList& sections) {
  const auto dot = key.find('.');
  const QString section =
      QString::fromStdString(dot == std::string::npos ? key : key.substr(0, dot));
  return sections.contains(section);
}

QString sectionOf(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? QString() : QString::fromStdString(key.substr(0, dot));
}

QString sectionTitle(const QString& section) {
  static const QHash<QString, QString> titles = {{"data", "Data"},
                                                 {"model", "Model"},
                                                 {"video", "Video model (SVG-LP)"},
                                                 {"optimizer", "Optimizer"},
                                                 {"train", "Training"},
                                                 {"evaluation", "Evaluation"},
                                                 {"output", "Output"},
                                                 {"kl_annealing", "KL annealing (β)"},
                                                 {"teacher_forcing", "Teacher forcing"}};
  return titles.value(section, section);
}

QString labelFor(const std::string& key) {
  const auto dot = key.find('.');
  QString leaf = QString::fromStdString(dot == std::string::npos ? key : key.substr(dot + 1));
  leaf.replace('_', ' ');
  return leaf;
}

}  // namespace

ConfigForm::ConfigForm(QStringList sections, QWidget* parent)
    : QWidget(parent), sections_(std::move(sections)) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(4, 4, 4, 4);
  layout_ = new QFormLayout;
  layout_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  outer->addLayout(layout_);
  problem_label_ = new QLabel(this);
  problem_label_->setWordWrap(true);
  problem_label_->setStyleSheet("color: #c0392b;");
  problem_label_->hide();
  outer->addWidget(problem_label_);
  outer->addStretch(1);
}

void ConfigForm::setConfig(const ExperimentConfig& config) {
  config_ = config;
  if (!built_ || built_for_ != config.kind) {
    rebuild();
  } else {
    for (const auto& spec : configSchema())
      if (auto* editor = editors_.value(QString::fromStdString(spec.key))) showValue(spec, editor);
  }
  invalid_.clear();
  relation_key_.clear();
  relation_problem_.clear();
  for (auto* editor : editors_) editor->setStyleSheet({});
  problem_label_->hide();
  updateEnabled();
  Q_EMIT validityChanged(true);
}

void ConfigForm::setEditable(std::function<bool(const QString& key)> editable) {
  editable_ = std::move(editable);
  updateEnabled();
}

void ConfigForm::updateEnabled() {
  for (const auto& spec : configSchema()) {
    const QString key = QString::fromStdString(spec.key);
    if (auto* editor = editors_.value(key))
      editor->setEnabled(editable_(key) && fieldInUse(spec.key, config_));
  }
}

bool ConfigForm::shows(const FieldSpec& spec, ExperimentKind kind) const {
  return spec.key != "experiment" && inSections(spec.key, sections_) && spec.appliesTo(kind);
}

void ConfigForm::rebuild() {
  while (layout_->rowCount() > 0) layout_->removeRow(0);
  editors_.clear();
  QString open_section;
  for (const auto& spec : configSchema()) {
    if (!shows(spec, config_.kind)) continue;
    const QString section = sectionOf(spec.key);
    if (!section.isEmpty() && section != open_section) {
      auto* heading = new QLabel("<b>" + sectionTitle(section) + "</b>", this);
      heading->setContentsMargins(0, layout_->rowCount() ? 8 : 0, 0, 0);
      layout_->addRow(heading);
      open_section = section;
    }
    auto* editor = makeEditor(spec);
    editor->setToolTip(
        QString::fromStdString(spec.help + "\nExpected: " + spec.describeExpected()));
    showValue(spec, editor);
    editors_[QString::fromStdString(spec.key)] = editor;
    QWidget* field = editor;
    if (isPathKey(spec.key)) {
      field = new QWidget(this);
      auto* row = new QHBoxLayout(field);
      row->setContentsMargins(0, 0, 0, 0);
      row->addWidget(editor, 1);
      auto* browse = new QToolButton(field);
      browse->setText("…");
      browse->setToolTip(tr("Choose a file"));
      row->addWidget(browse);
      auto* line = static_cast<QLineEdit*>(editor);
      connect(browse, &QToolButton::clicked, this, [this, line, key = spec.key] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Choose %1").arg(QString::fromStdString(key)), line->text());
        if (path.isEmpty()) return;
        line->setText(path);
        Q_EMIT line->textEdited(path);
      });
    }
    layout_->addRow(labelFor(spec.key), field);
  }
  built_ = true;
  built_for_ = config_.kind;
}

QWidget* ConfigForm::makeEditor(const FieldSpec& spec) {
  switch (spec.type) {
    case FieldType::Flag: {
      auto* box = new QCheckBox(this);
      connect(box, &QCheckBox::toggled, this,
              [this, &spec, box](bool on) { onTextEdited(spec, box, on ? "true" : "false"); });
      return box;
    }
    case FieldType::Choice: {
      auto* combo = new QComboBox(this);
      for (const auto& c : fieldChoices(spec, config_.kind))
        combo->addItem(QString::fromStdString(c));
      // Its longest choice would set the narrowest the panel can be; it grows with the panel.
      combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
      combo->setMinimumContentsLength(4);
      connect(combo, &QComboBox::textActivated, this,
              [this, &spec, combo](const QString& text) { onTextEdited(spec, combo, text); });
      return combo;
    }
    default: {
      auto* line = new QLineEdit(this);
      if (spec.key == "data.train" || spec.key == "data.test")
        line->setPlaceholderText(tr("embedded default data set"));
      connect(line, &QLineEdit::textEdited, this,
              [this, &spec, line](const QString& text) { onTextEdited(spec, line, text); });
      return line;
    }
  }
}

void ConfigForm::showValue(const FieldSpec& spec, QWidget* editor) {
  const QString text = QString::fromStdString(formatFieldValue(spec.get(config_)));
  QSignalBlocker block(editor);
  if (auto* box = qobject_cast<QCheckBox*>(editor))
    box->setChecked(std::get<bool>(spec.get(config_)));
  else if (auto* combo = qobject_cast<QComboBox*>(editor))
    combo->setCurrentText(text);
  else if (auto* line = qobject_cast<QLineEdit*>(editor)) {
    line->setText(text);
    line->setCursorPosition(0);  // a long path shows its start, not its cut-off end
  }
}

void ConfigForm::onTextEdited(const FieldSpec& spec, QWidget* editor, const QString& text) {
  const QString key = QString::fromStdString(spec.key);
  std::string problem;
  const auto value = parseFieldValue(spec, text.trimmed().toStdString(), problem);
  const bool was_valid = isValid();
  if (value) {
    spec.set(config_, *value);
    invalid_.remove(key);
    editor->setStyleSheet({});
  } else {
    invalid_[key] = QString::fromStdString(problem);
    editor->setStyleSheet(kProblemStyle);
  }
  if (key == relation_key_ && !relation_problem_.isEmpty()) editor->setStyleSheet(kProblemStyle);
  problem_label_->setVisible(!isValid());
  problem_label_->setText(firstProblem());
  if (value) updateEnabled();
  if (was_valid != isValid()) Q_EMIT validityChanged(isValid());
  if (value) Q_EMIT configEdited();
}

QString ConfigForm::firstProblem() const {
  if (invalid_.isEmpty()) return relation_problem_;
  return invalid_.firstKey() + ": " + invalid_.first();
}

void ConfigForm::setRelationProblem(const QString& key, const QString& problem) {
  if (key == relation_key_ && problem == relation_problem_) return;
  const bool was_valid = isValid();
  if (auto* old = editors_.value(relation_key_); old && !invalid_.contains(relation_key_))
    old->setStyleSheet({});
  relation_key_ = problem.isEmpty() ? QString() : key;
  relation_problem_ = problem;
  if (auto* editor = editors_.value(relation_key_)) editor->setStyleSheet(kProblemStyle);
  problem_label_->setVisible(!isValid());
  problem_label_->setText(firstProblem());
  if (was_valid != isValid()) Q_EMIT validityChanged(isValid());
  Q_EMIT relationProblemChanged();
}

void ConfigForm::applyTo(ExperimentConfig& config) const {
  for (const auto& spec : configSchema()) {
    if (!shows(spec, config.kind)) continue;
    spec.set(config, spec.get(config_));
  }
}

}  // namespace cvae::ui
