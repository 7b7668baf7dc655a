#pragma once
// Where the real course data and reference vectors live (../shared beside the checkout).
// Tests that need them skip with a clear message when they are absent.
#include <QFileInfo>
#include <QString>

inline QString sharedPath(const QString& relative) {
  return QStringLiteral(CVAE_SHARED_DIR) + QLatin1Char('/') + relative;
}

#define REQUIRE_SHARED_FILE(path)                                                              \
  do {                                                                                         \
    if (!QFileInfo::exists(path))                                                              \
      QSKIP(qPrintable(QStringLiteral("shared data not found at %1 (the course data lives in " \
                                      "../shared beside the checkout)")                        \
                           .arg(path)));                                                       \
  } while (0)
