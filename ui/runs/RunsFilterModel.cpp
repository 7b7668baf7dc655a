#include "ui/runs/RunsFilterModel.h"

#include "ui/runs/RunsTableModel.h"

namespace cvae::ui {

RunsFilterModel::RunsFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(RunsTableModel::SortRole);
  setDynamicSortFilter(true);
}

void RunsFilterModel::setFilterWords(const QString& text) {
  words_ = text.split(' ', Qt::SkipEmptyParts);
  invalidateFilter();
}

bool RunsFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const QVariant a = left.data(sortRole());
  const QVariant b = right.data(sortRole());
  if (!a.isValid() || !b.isValid()) return !a.isValid() && b.isValid();
  const bool a_number = a.canConvert<double>() && a.typeId() != QMetaType::QString;
  const bool b_number = b.canConvert<double>() && b.typeId() != QMetaType::QString;
  if (a_number && b_number) return a.toDouble() < b.toDouble();
  if (a_number != b_number) return a_number;  // numbers before text
  return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
}

bool RunsFilterModel::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
  if (words_.isEmpty()) return true;
  const auto* model = sourceModel();
  QString row_text;
  for (int c = 0; c < model->columnCount(source_parent); ++c)
    row_text += model->index(source_row, c, source_parent).data().toString() + ' ';
  for (const auto& word : words_)
    if (!row_text.contains(word, Qt::CaseInsensitive)) return false;
  return true;
}

}  // namespace cvae::ui
