#pragma once
// A form generated from the config schema for the keys under some sections ("model",
// "optimizer", ...). Every field validates as the user types, with the same rules and messages
// as the YAML loader; a valid edit updates the form's config and emits configEdited().

#include <QFormLayout>
#include <QLabel>
#include <QStringList>
#include <QWidget>

#include <functional>

#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentConfig.h"

namespace cvae::ui {

class ConfigForm : public QWidget {
  Q_OBJECT
 public:
  ConfigForm(QStringList sections, QWidget* parent = nullptr);

  // Rebuilds the fields for the config's experiment kind and shows its values.
  void setConfig(const ExperimentConfig& config);
  // The last valid value of every field applied onto `config`.
  void applyTo(ExperimentConfig& config) const;
  bool isValid() const { return invalid_.isEmpty() && relation_problem_.isEmpty(); }
  // The first problem, "key: message", or empty: a field's own before a relation's.
  QString firstProblem() const;
  // A relation between keys that fails (core validateConfig: a teacher-forcing floor above the
  // initial ratio, say), "key: message", shown under the fields and on `key`'s editor where the
  // form has one; an empty `problem` clears it. Cleared by setConfig().
  void setRelationProblem(const QString& key, const QString& problem);
  QString relationProblem() const { return relation_problem_; }
  // Which fields the user may edit now (all while idle; only some while paused). A field is
  // enabled when this allows it and it applies to the other values (core fieldInUse).
  void setEditable(std::function<bool(const QString& key)> editable);
  // The editor of `key`, for tests and for focusing a field named in an error.
  QWidget* editorFor(const QString& key) const { return editors_.value(key); }

 Q_SIGNALS:
  void configEdited();
  void validityChanged(bool valid);
  void relationProblemChanged();

 private:
  void rebuild();
  // Whether the form edits `spec` for an experiment of `kind`.
  bool shows(const FieldSpec& spec, ExperimentKind kind) const;
  void onTextEdited(const FieldSpec& spec, QWidget* editor, const QString& text);
  QWidget* makeEditor(const FieldSpec& spec);
  void showValue(const FieldSpec& spec, QWidget* editor);
  void updateEnabled();
  std::function<bool(const QString&)> editable_ = [](const QString&) { return true; };

  QStringList sections_;
  ExperimentConfig config_;
  ExperimentKind built_for_ = ExperimentKind::Tense;
  bool built_ = false;
  QFormLayout* layout_;
  QLabel* problem_label_;
  QHash<QString, QWidget*> editors_;
  QMap<QString, QString> invalid_;  // key -> message
  QString relation_key_, relation_problem_;
};

}  // namespace cvae::ui
