#pragma once
// Sorting and text filtering over the RunsTableModel: numbers sort as numbers (by its SortRole),
// empty cells sort below every value, and the filter matches any column, case-insensitively,
// every word of it ("cyclical completed" keeps completed cyclical runs).

#include <QSortFilterProxyModel>
#include <QStringList>

namespace cvae::ui {

class RunsFilterModel : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit RunsFilterModel(QObject* parent = nullptr);
  void setFilterWords(const QString& text);

 protected:
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
  bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

 private:
  QStringList words_;
};

}  // namespace cvae::ui
