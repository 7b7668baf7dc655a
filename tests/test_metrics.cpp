// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <ATen/ATen.h>

#include <QFile>
#include <QtTest>

#include <cmath>

#include "SharedData.h"
#include "TestRegistry.h"
#include "core/io/Utf8.h"
#include "core/metrics/Bleu.h"
#include "core/metrics/GaussianScore.h"
#include "core/metrics/ImageQuality.h"
#include "core/metrics/Smoothing.h"
#endif

using namespace cvae;

class TestMetrics : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void smoothingMatchesTensorBoardByHand() {
    // Weight 0.5 on 1, 3, NaN, 5: averages 0.5, 1.75, (NaN passes), 3.375; debiased by
    // 1 − 0.5^n: 0.5 / 0.5 = 1, 1.75 / 0.75 = 7/3, 3.375 / 0.875 = 27/7.
    ExponentialSmoother smoother(0.5);
    QCOMPARE(smoother.next(1), 1.0);
    QVERIFY(std::abs(smoother.next(3) - 7.0 / 3) < 1e-12);
    QVERIFY(std::isnan(smoother.next(NAN)));
    QVERIFY(std::isinf(smoother.next(INFINITY)));
    QVERIFY(std::abs(smoother.next(5) - 27.0 / 7) < 1e-12);
    // Weight 0 is the raw curve; a constant stays constant at any weight.
    ExponentialSmoother raw(0);
    QCOMPARE(raw.next(7), 7.0);
    QCOMPARE(raw.next(-2), -2.0);
    ExponentialSmoother heavy(0.99);
    for (int i = 0; i < 5; ++i) QVERIFY(std::abs(heavy.next(2.5) - 2.5) < 1e-12);
    heavy.reset();
    QCOMPARE(heavy.next(9), 9.0);
  }

  void bleuMatchesNltkOnEveryReferenceRow() {
    const QString path = sharedPath("reference/bleu4_nltk_method1.tsv");
    REQUIRE_SHARED_FILE(path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    int rows = 0;
    while (!file.atEnd()) {
      const QString line = QString::fromUtf8(file.readLine()).chopped(1);
      if (line.startsWith('#') || line.isEmpty()) continue;
      const QStringList cols = line.split('\t');
      QCOMPARE(cols.size(), 3);
      const double got = bleu4(cols[0].toStdString(), cols[1].toStdString());
      const double want = cols[2].toDouble();
      QVERIFY2(qAbs(got - want) < 1e-9, qPrintable(QString("%1 vs %2: got %3, nltk %4")
                                                       .arg(cols[0], cols[1])
                                                       .arg(got, 0, 'g', 15)
                                                       .arg(want, 0, 'g', 15)));
      ++rows;
    }
    QCOMPARE(rows, 100);
  }

  // Characters are code points, as in nltk's list(str): these values are nltk 3.8's (the first
  // two from the issue, the rest from the same formula on code points).
  void bleuCountsUnicodeCharacters_data() {
    QTest::addColumn<QString>("prediction");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<double>("expected");
    QTest::newRow("naive") << QString::fromUtf8("na\xC3\xAFve") << "naive" << 0.160685683789;
    QTest::newRow("cafe") << QString::fromUtf8("caf\xC3\xA9") << "cafe" << 0.397635364384;
    QTest::newRow("uber") << QString::fromUtf8(
                                 "\xC3\xBC"
                                 "ber")
                          << "uber" << 0.397635364384;
    QTest::newRow("creme") << QString::fromUtf8("cr\xC3\xA8me") << "creme" << 0.160685683789;
    // A 3-character reference takes the 3-gram weights, counted in code points (5 bytes).
    QTest::newRow("ete") << QString::fromUtf8("\xC3\xA9t\xC3\xA9") << "ete" << 0.121118389487;
    QTest::newRow("same") << QString::fromUtf8("na\xC3\xAFve") << QString::fromUtf8("na\xC3\xAFve")
                          << 1.0;
    QTest::newRow("cjk") << QString::fromUtf8("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E")
                         << QString::fromUtf8("\xE6\x97\xA5\xE6\x9C\xAC") << 0.240281141413;
  }
  void bleuCountsUnicodeCharacters() {
    QFETCH(QString, prediction);
    QFETCH(QString, reference);
    QFETCH(double, expected);
    const double got = bleu4(prediction.toStdString(), reference.toStdString());
    QVERIFY2(std::fabs(got - expected) < 1e-9, qPrintable(QString::number(got, 'g', 12)));
  }

  void messagesShowCharactersNotBytes() {
    QCOMPARE(printable("na\xC3\xAFve"), std::string("na\xC3\xAFve"));
    QCOMPARE(printable("\xEF\xBB\xBF"
                       "abc"),
             std::string("U+FEFFabc"));
    QCOMPARE(printable("a\x01"
                       "b\tc"),
             std::string("a\\x01b\\tc"));
    QCOMPARE(printable("bad\xFF"), std::string("bad\\xFF"));
    QCOMPARE(printable("\xC3"), std::string("\\xC3"));  // a sequence cut short
    // Any byte-order mark's encoding into UTF-8 without the mark (the YAML reader's input).
    QCOMPARE(utf8WithoutByteOrderMark("\xEF\xBB\xBF"
                                      "a\xC3\xA9"),
             std::string("a\xC3\xA9"));
    QCOMPARE(utf8WithoutByteOrderMark(std::string("\xFF\xFE"
                                                  "a\0\xE9\0",
                                                  6)),
             std::string("a\xC3\xA9"));
    QCOMPARE(utf8WithoutByteOrderMark(std::string("\xFE\xFF\0a\xD8\x3D\xDE\x00", 8)),
             std::string("a\xF0\x9F\x98\x80"));  // a surrogate pair: U+1F600
    QCOMPARE(utf8WithoutByteOrderMark(std::string("\xFF\xFE\0\0"
                                                  "a\0\0\0",
                                                  8)),
             std::string("a"));  // UTF-32LE, whose mark starts as UTF-16LE's
    QCOMPARE(utf8WithoutByteOrderMark(std::string("\xFF\xFE"
                                                  "a\0\x00\xD8"
                                                  "b",
                                                  7)),
             std::string("a\xEF\xBF\xBD\xEF\xBF\xBD"));  // an unpaired surrogate, a cut unit
    QCOMPARE(utf8WithoutByteOrderMark("plain"), std::string("plain"));
    QCOMPARE(describeCharacterAt("caf\xC3\xA9", 3), std::string("'\xC3\xA9' (U+00E9)"));
    QCOMPARE(decodeUtf8("na\xC3\xAFve").size(), size_t(5));
    bool valid = true;
    QCOMPARE(decodeUtf8("\xC0\xAF", &valid).size(), size_t(2));  // an overlong '/' stays two bytes
    QVERIFY(!valid);
  }

  void bleuEdgeCases() {
    QCOMPARE(bleu4("abetting", "abetting"), 1.0);
    QCOMPARE(bleu4("", "abc"), 0.0);
    QCOMPARE(bleu4("xyz", "abcd"), 0.0);  // no unigram in common
    QVERIFY(bleu4("abettin", "abetting") < 1.0);
  }

  void gaussianScoreCountsExactTuples() {
    const std::vector<TenseTuple> train = {{"go", "goes", "going", "went"},
                                           {"run", "runs", "running", "ran"}};
    const std::vector<TenseTuple> generated = {{"go", "goes", "going", "went"},
                                               {"run", "runs", "running", "runned"},
                                               {"run", "runs", "running", "ran"},
                                               {"go", "goes", "going", "went"}};
    QCOMPARE(gaussianScore(generated, train), 0.75);
    QCOMPARE(gaussianScore({}, train), 0.0);
    QCOMPARE(distinctTrainingRows(generated, train), 2);  // go twice, run once
    QCOMPARE(distinctTrainingRows({}, train), 0);
    // One row written for every draw: the course's score is 1, one row was hit.
    const std::vector<TenseTuple> collapsed(100, train[0]);
    QCOMPARE(gaussianScore(collapsed, train), 1.0);
    QCOMPARE(distinctTrainingRows(collapsed, train), 1);
    QCOMPARE(distinctTrainingRows({{"go", "goes", "going", "gone"}}, train), 0);
  }

  void psnrOfKnownError() {
    auto a = at::zeros({2, 3, 16, 16});
    auto b = at::full({2, 3, 16, 16}, 0.1);
    const auto psnr = psnrPerFrame(a, b);
    QCOMPARE(psnr.size(0), int64_t(2));
    QVERIFY(qAbs(psnr[0].item<double>() - 20.0) < 1e-6);  // MSE 0.01
  }

  void psnrOfIdenticalFramesIsTheCap() {
    auto a = at::rand({1, 3, 8, 8});
    QCOMPARE(psnrPerFrame(a, a)[0].item<double>(), kPsnrCapDb);
  }

  void ssimBounds() {
    at::manual_seed(0);
    auto a = at::rand({2, 3, 32, 32});
    QVERIFY(qAbs(ssimPerFrame(a, a)[0].item<double>() - 1.0) < 1e-9);
    auto noisy = (a + 0.2 * at::randn_like(a)).clamp(0, 1);
    const double s = ssimPerFrame(a, noisy)[0].item<double>();
    QVERIFY2(s > 0.0 && s < 0.9, qPrintable(QString::number(s)));
    const double other = ssimPerFrame(a, at::rand({2, 3, 32, 32}))[0].item<double>();
    QVERIFY(other < s);
  }

  void ssimMatchesTheDirectTwoDimensionalFormula() {
    // Wang et al. (2004) computed the plain way: a dense 11x11 Gaussian window (sigma 1.5) per
    // channel, "valid" borders. The library filters separably; the values must agree.
    at::manual_seed(3);
    const auto x = at::rand({3, 3, 40, 36}, at::kDouble);
    const auto y = (x + 0.1 * at::randn_like(x)).clamp(0, 1);
    auto g = at::arange(11, at::kDouble).sub(5.0);
    g = at::exp(-(g * g) / (2 * 1.5 * 1.5));
    g = g / g.sum();
    const auto window = g.unsqueeze(1).mm(g.unsqueeze(0)).expand({3, 1, 11, 11}).contiguous();
    const auto filter = [&](const at::Tensor& t) {
      const std::vector<int64_t> one{1, 1}, none{0, 0};
      return at::conv2d(t, window, at::Tensor(), one, none, one, 3);
    };
    const auto mx = filter(x);
    const auto my = filter(y);
    const auto sxx = filter(x * x) - mx * mx;
    const auto syy = filter(y * y) - my * my;
    const auto sxy = filter(x * y) - mx * my;
    const double c1 = 1e-4, c2 = 9e-4;
    const auto map =
        ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2));
    const auto expected = map.mean({1, 2, 3});
    const auto got = ssimPerFrame(x, y);
    QVERIFY2(at::allclose(got, expected, 0, 1e-12),
             qPrintable(QString::number((got - expected).abs().max().item<double>())));
  }

  void imageMetricsRejectMismatchedShapes() {
    bool thrown = false;
    try {
      psnrPerFrame(at::zeros({1, 3, 8, 8}), at::zeros({1, 3, 8, 9}));
    } catch (const std::invalid_argument&) {
      thrown = true;
    }
    QVERIFY(thrown);
  }
};

CVAE_TEST_GUILESS_MAIN(TestMetrics);
#include "test_metrics.moc"
