#pragma once
// A one-line label that gives way: its least width is a few characters, not its text's, and
// text that does not fit is drawn elided in the middle, whole in its tool tip. The runs table's
// count line names its folders, so a long path ("/check/work/main/build/...") made the runs
// panel wider than the room left beside the previews, and the dock areas overlapped.
// Plain text only. text() stays the whole text.

#include <QLabel>

namespace cvae::ui {

class ElidedLabel : public QLabel {
 public:
  using QLabel::QLabel;

  QSize minimumSizeHint() const override;
  // Whether the text is drawn elided at the present width.
  bool isElided() const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  QString shownText() const;
};

}  // namespace cvae::ui
