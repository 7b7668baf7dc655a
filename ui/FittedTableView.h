#pragma once
// A table view whose columns share its width when their contents do not fit: a narrow column
// keeps its content width, the wide ones split what is left equally (max-min fair shares) and
// elide their text in the middle, so a six-column preview table reads in a 250-pixel side panel
// without a horizontal scroll bar. Where the contents fit, each column has its content width and
// the last one stretches. The columns are fitted again when the view is resized or the model's rows
// or columns change; a column the user drags keeps its width until then.

#include <QTableView>

namespace cvae::ui {

class FittedTableView : public QTableView {
 public:
  explicit FittedTableView(QWidget* parent = nullptr);
  void setModel(QAbstractItemModel* model) override;

  // The narrowest a squeezed column becomes, in pixels.
  static constexpr int kMinColumnWidth = 28;

  // Widths for columns wanting `wanted` pixels in `available` pixels: `wanted` itself when the
  // sum fits, else max-min fair shares, where no column gets more than it wants or less than
  // min(its want, `floor`) (the view then scrolls sideways, less far). Pure, for tests.
  static QVector<int> fittedWidths(const QVector<int>& wanted, int available,
                                   int floor = kMinColumnWidth);

  // The floor the view squeezes a column to: eight letters and the cell's margins, so an
  // elided word still shows its start and its end.
  int squeezeFloor() const;

  // What column `column` wants: its widest cell or its header, in pixels.
  int contentWidth(int column) const;

  // Fits the columns to the viewport now (the view does it on resizes and model changes).
  void fitColumns();

 protected:
  void resizeEvent(QResizeEvent* event) override;
};

}  // namespace cvae::ui
