#pragma once
// A preview table from an evaluation (conversions, generated tuples) as a Qt model; rows the
// experiment marked as mismatches are tinted.

#include <QAbstractTableModel>

#include "core/experiments/Evaluation.h"

namespace cvae::ui {

class PreviewTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;

  void setTable(const PreviewTable& table);
  const PreviewTable& table() const { return table_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  PreviewTable table_;
};

}  // namespace cvae::ui
