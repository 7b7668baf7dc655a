#include "ui/FittedTableView.h"

#include <QHeaderView>
#include <QResizeEvent>
#include <QStyle>
#include <algorithm>
#include <numeric>

namespace cvae::ui {

FittedTableView::FittedTableView(QWidget* parent) : QTableView(parent) {
  horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  horizontalHeader()->setStretchLastSection(true);
  horizontalHeader()->setMinimumSectionSize(kMinColumnWidth);
  // A squeezed header is cut at its end, not on both sides ("predicti", not "redictio").
  horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  // Words keep both ends: a tense conversion's target and prediction differ at the end, a
  // correction's often at the start ("rec…ing" against "rec…ion").
  setTextElideMode(Qt::ElideMiddle);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
}

void FittedTableView::setModel(QAbstractItemModel* model) {
  if (auto* old = this->model()) disconnect(old, nullptr, this, nullptr);
  QTableView::setModel(model);
  if (!model) return;
  connect(model, &QAbstractItemModel::modelReset, this, [this] { fitColumns(); });
  connect(model, &QAbstractItemModel::layoutChanged, this, [this] { fitColumns(); });
  connect(model, &QAbstractItemModel::rowsInserted, this, [this] { fitColumns(); });
  connect(model, &QAbstractItemModel::columnsInserted, this, [this] { fitColumns(); });
  connect(model, &QAbstractItemModel::dataChanged, this, [this] { fitColumns(); });
  fitColumns();
}

QVector<int> FittedTableView::fittedWidths(const QVector<int>& wanted, int available, int floor) {
  QVector<int> widths = wanted;
  if (std::accumulate(wanted.begin(), wanted.end(), 0) <= available) return widths;
  // Water-filling from the narrowest: each column in turn gets its equal share of what is
  // left, or less where it wants less; what it leaves goes to the wider ones.
  QVector<int> order(wanted.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return wanted[a] < wanted[b]; });
  int left = available;
  for (int k = 0; k < order.size(); ++k) {
    const int share = std::max(floor, left / static_cast<int>(order.size() - k));
    const int width = std::min(wanted[order[k]], share);
    widths[order[k]] = width;
    left = std::max(0, left - width);
  }
  return widths;
}

int FittedTableView::squeezeFloor() const {
  return std::max(kMinColumnWidth, fontMetrics().horizontalAdvance(QStringLiteral("abcdefgh")) +
                                       2 * style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 2);
}

int FittedTableView::contentWidth(int column) const {
  return std::max(
      {sizeHintForColumn(column), horizontalHeader()->sectionSizeHint(column), kMinColumnWidth});
}

void FittedTableView::fitColumns() {
  if (!model()) return;
  auto* header = horizontalHeader();
  const int columns = model()->columnCount();
  QVector<int> wanted;
  for (int c = 0; c < columns; ++c) wanted << contentWidth(c);
  const auto widths = fittedWidths(wanted, viewport()->width(), squeezeFloor());
  for (int c = 0; c < columns; ++c) header->resizeSection(c, widths[c]);
}

void FittedTableView::resizeEvent(QResizeEvent* event) {
  QTableView::resizeEvent(event);
  fitColumns();
}

}  // namespace cvae::ui
