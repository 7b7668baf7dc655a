#pragma once
// Where the real course data and reference vectors live (../shared beside the checkout).
// Tests that need them skip with a clear message when they are absent; ctest reports such a test
// as skipped (SKIP_REGULAR_EXPRESSION in tests/CMakeLists.txt), not passed. With
// CVAE_REQUIRE_SHARED_DATA=1 (CI sets it) an absent file fails the test instead.
#include <QFileInfo>
#include <QString>
#include <QtTest>

inline QString sharedPath(const QString& relative) {
  return QStringLiteral(CVAE_SHARED_DIR) + QLatin1Char('/') + relative;
}

#define REQUIRE_SHARED_FILE(path)                                                    \
  do {                                                                               \
    if (!QFileInfo::exists(path)) {                                                  \
      const QString missing = QStringLiteral(                                        \
                                  "shared data not found at %1 (the course data "    \
                                  "lives in ../shared beside the checkout)")         \
                                  .arg(path);                                        \
      if (qEnvironmentVariableIntValue("CVAE_REQUIRE_SHARED_DATA") == 1)             \
        QFAIL(qPrintable(missing + QStringLiteral("; CVAE_REQUIRE_SHARED_DATA=1"))); \
      QSKIP(qPrintable(missing));                                                    \
    }                                                                                \
  } while (0)
