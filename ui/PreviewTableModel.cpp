#include "ui/PreviewTableModel.h"

#include <QColor>

namespace cvae::ui {

void PreviewTableModel::setTable(const PreviewTable& table) {
  const bool same_columns = table.columns == table_.columns;
  if (!same_columns) beginResetModel();
  if (same_columns && !table_.rows.empty()) {
    beginRemoveRows({}, 0, static_cast<int>(table_.rows.size()) - 1);
    table_.rows.clear();
    table_.row_ok.clear();
    endRemoveRows();
  }
  if (same_columns && !table.rows.empty())
    beginInsertRows({}, 0, static_cast<int>(table.rows.size()) - 1);
  table_ = table;
  if (!same_columns)
    endResetModel();
  else if (!table.rows.empty())
    endInsertRows();
}

int PreviewTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(table_.rows.size());
}

int PreviewTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(table_.columns.size());
}

QVariant PreviewTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const auto& row = table_.rows[index.row()];
  const bool ok = table_.row_ok[index.row()];
  switch (role) {
    case Qt::DisplayRole:
      return index.column() < static_cast<int>(row.size())
                 ? QString::fromStdString(row[index.column()])
                 : QString();
    case Qt::BackgroundRole:
      return ok ? QVariant() : QVariant(QColor(231, 76, 60, 60));  // readable in both palettes
    case Qt::ToolTipRole: {
      // The whole text: a narrow panel elides the cells (FittedTableView).
      const QString text = index.column() < static_cast<int>(row.size())
                               ? QString::fromStdString(row[index.column()])
                               : QString();
      return ok ? text : tr("%1 (mismatch)").arg(text);
    }
    default:
      return {};
  }
}

QVariant PreviewTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  if (orientation == Qt::Horizontal && section < static_cast<int>(table_.columns.size()))
    return QString::fromStdString(table_.columns[section]);
  if (orientation == Qt::Vertical) return section + 1;
  return {};
}

}  // namespace cvae::ui
