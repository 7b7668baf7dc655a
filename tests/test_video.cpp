// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QTemporaryDir>
#include <QtTest>

#include <gif_lib.h>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "ErrorOf.h"
#include "TestRegistry.h"
#include "TextFiles.h"
#include "TinyData.h"
#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/config/Presets.h"
#include "core/data/PushingData.h"
#include "core/data/PushingDataMaker.h"
#include "core/experiments/VideoExperiment.h"
#include "core/io/CsvMatrix.h"
#include "core/io/GifWriter.h"
#include "core/io/NumberText.h"
#include "core/io/PngImage.h"
#include "core/metrics/ImageQuality.h"
#include "core/models/VideoCvae.h"
#include "core/training/PreviewFile.h"
#endif

using namespace cvae;
namespace fs = std::filesystem;

namespace {

VideoCvae tinyModel(const std::string& encoder, bool position_maps = false) {
  return VideoCvae(VideoCvaeOptions()
                       .encoder(encoder)
                       .position_maps(position_maps)
                       .width(0.125)
                       .frame_dim(32)
                       .hidden_size(32)
                       .latent_size(4)
                       .predictor_layers(1));
}

}  // namespace

class TestVideo : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { at::set_num_threads(1); }

  // The README's sizes of the made pushing data: 1,000 + 50 + 50 sequences of 30 frames.
  void thePushingDefaultsAreTheDocumentedSizes() {
    const PushingDataOptions defaults;
    QCOMPARE(defaults.train_sequences, 1000);
    QCOMPARE(defaults.validate_sequences, 50);
    QCOMPARE(defaults.test_sequences, 50);
    QCOMPARE(PushingLayout::kFrames, 30);
    QCOMPARE(PushingLayout::kImageSize, 64);
  }

  void csvErrorsNameFileAndLine() {
    QTemporaryDir dir;
    const auto wrong_columns = writeText(dir, "a.csv", "1,2,3\n4,5\n");
    QVERIFY(errorOf([&] {
              readCsvMatrix(wrong_columns, 2, 3);
            }).find(wrong_columns + ":2: 2 columns, expected 3") == 0);
    const auto not_number = writeText(dir, "b.csv", "1,2,3\n4,x,6\n");
    QVERIFY(errorOf([&] {
              readCsvMatrix(not_number, 2, 3);
            }).find(not_number + ":2: column 2: 'x' is not a decimal number") == 0);
    const auto nan = writeText(dir, "c.csv", "1,nan,3\n");
    QVERIFY(errorOf([&] { readCsvMatrix(nan, 1, 3); }).find(nan + ":1: column 2") == 0);
    const auto short_file = writeText(dir, "d.csv", "1,2,3\n");
    QCOMPARE(errorOf([&] { readCsvMatrix(short_file, 2, 3); }),
             short_file + ": 1 rows, expected 2");
    // A blank line between rows short of the full count is refused: an emptied row would shift
    // the later ones onto the wrong frames (with fewer rows allowed, it was read without a
    // word). Blank lines before the first row and after the last are fine, and so is one
    // between all the rows (f.csv below).
    const auto gap = writeText(dir, "gap.csv", "1,2,3\n\n4,5,6\n\n\n");
    QCOMPARE(errorOf([&] { readCsvMatrix(gap, 3, 3, 1); }),
             gap +
                 ":2: a blank line between rows, 2 rows of 3 (one row per frame: a lost row "
                 "would pair the later ones with the wrong frames)");
    const auto padded = writeText(dir, "padded.csv", "\n1,2,3\n4,5,6\n\n\n");
    QCOMPARE(readCsvMatrix(padded, 2, 3), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(errorOf([&] { readCsvMatrix(short_file, 2, 3); }),
             short_file + ": 1 rows, expected 2");
    // Fewer rows down to min_rows (a short clip): the rows read.
    QCOMPARE(readCsvMatrix(padded, 3, 3, 2), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(errorOf([&] { readCsvMatrix(short_file, 3, 3, 2); }),
             short_file + ": 1 rows, expected at least 2");
    // Finite doubles beyond a float's range would become infinity; one that rounds to the
    // largest float is kept.
    const auto huge = writeText(dir, "huge.csv", "1,1e39,3\n");
    QCOMPARE(errorOf([&] { readCsvMatrix(huge, 1, 3); }),
             huge +
                 ":1: column 2: '1e39' is not a finite number a 32-bit float holds (up to "
                 "3.4e38)");
    // Beyond a double, too: said as too large, not as "not a decimal number".
    const auto beyond = writeText(dir, "beyond.csv", "1,-1e400,3\n");
    QCOMPARE(errorOf([&] { readCsvMatrix(beyond, 1, 3); }),
             beyond +
                 ":1: column 2: '-1e400' is not a finite number a 32-bit float holds (up to "
                 "3.4e38)");
    QCOMPARE(readCsvMatrix(writeText(dir, "big.csv", "-3e38,3.4028235e38,1e-50\n"), 1, 3),
             (std::vector<float>{-3e38f, std::numeric_limits<float>::max(), 0}));
    const auto latin = writeText(dir, "latin.csv",
                                 "1,\xe9"
                                 "2,3\n");
    QVERIFY2(errorOf([&] {
               readCsvMatrix(latin, 1, 3);
             }).find(latin + ":1: column 2: '\\xE92' holds bytes that are not UTF-8") == 0,
             errorOf([&] { readCsvMatrix(latin, 1, 3); }).c_str());
    const auto long_file = writeText(dir, "e.csv", "1,2,3\n1,2,3\n1,2,3\n");
    QVERIFY(errorOf([&] {
              readCsvMatrix(long_file, 2, 3);
            }).find(long_file + ":3: more than the expected 2 rows") == 0);
    QVERIFY(errorOf([&] {
              readCsvMatrix("/nonexistent.csv", 1, 1);
            }).find("/nonexistent.csv: cannot open") == 0);
    const auto old_mac = writeText(dir, "g.csv", "1,2,3\r4,5,6\r");
    QVERIFY(errorOf([&] {
              readCsvMatrix(old_mac, 2, 3);
            }).find(old_mac + ":1: a line ends with CR alone") == 0);
    const auto bom = writeText(dir, "h.csv",
                               "\xEF\xBB\xBF"
                               "1,2,3\n4,5,6\n");
    QCOMPARE(readCsvMatrix(bom, 2, 3), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    const auto good = writeText(dir, "f.csv", "1, 2.5,-3e-2\r\n\n4,5,6\n");
    QCOMPARE(readCsvMatrix(good, 2, 3), (std::vector<float>{1, 2.5f, -0.03f, 4, 5, 6}));
  }

  // Every colour type and bit depth PNG allows reads as its stored value in 8 bits: no gamma
  // conversion (a 16-bit 0x8080 reads as 128, not 186), gray copied to R, G and B, palettes
  // looked up, alpha dropped.
  void pngOfEveryKindReadsItsStoredValue_data() {
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("colour");      // PNG colour type
    QTest::addColumn<QByteArray>("row");  // one row of 2 pixels, as stored
    QTest::addColumn<QByteArray>("palette");
    QTest::addColumn<QByteArray>("transparency");
    QTest::addColumn<QByteArray>("expected");  // 2 RGB pixels
    auto bytes = [](std::initializer_list<int> v) {
      QByteArray out;
      for (int b : v) out.append(static_cast<char>(b));
      return out;
    };
    const QByteArray none;
    QTest::newRow("rgb 16") << 16 << 2
                            << bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xFF, 0xFF, 0, 0, 0x12,
                                      0x34})
                            << none << none << bytes({128, 128, 128, 255, 0, 0x12});
    QTest::newRow("rgb 8") << 8 << 2 << bytes({1, 2, 3, 250, 251, 252}) << none << none
                           << bytes({1, 2, 3, 250, 251, 252});
    QTest::newRow("rgba 8") << 8 << 6 << bytes({1, 2, 3, 0, 4, 5, 6, 128}) << none << none
                            << bytes({1, 2, 3, 4, 5, 6});
    QTest::newRow("rgba 16") << 16 << 6
                             << bytes({0x80, 0x80, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
                             << none << none << bytes({128, 0, 255, 0, 0, 0});
    QTest::newRow("gray 1") << 1 << 0 << bytes({0x80}) << none << none
                            << bytes({255, 255, 255, 0, 0, 0});
    QTest::newRow("gray 2") << 2 << 0 << bytes({0x90}) << none << none
                            << bytes({170, 170, 170, 85, 85, 85});
    QTest::newRow("gray 4") << 4 << 0 << bytes({0x5F}) << none << none
                            << bytes({85, 85, 85, 255, 255, 255});
    QTest::newRow("gray 8") << 8 << 0 << bytes({200, 7}) << none << none
                            << bytes({200, 200, 200, 7, 7, 7});
    QTest::newRow("gray 16") << 16 << 0 << bytes({0x80, 0x80, 0x01, 0x01}) << none << none
                             << bytes({128, 128, 128, 1, 1, 1});
    QTest::newRow("gray+alpha 8") << 8 << 4 << bytes({9, 0, 99, 255}) << none << none
                                  << bytes({9, 9, 9, 99, 99, 99});
    QTest::newRow("gray+alpha 16") << 16 << 4 << bytes({0x80, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF})
                                   << none << none << bytes({128, 128, 128, 255, 255, 255});
    QTest::newRow("gray 8 with tRNS")
        << 8 << 0 << bytes({5, 6}) << none << bytes({0, 5}) << bytes({5, 5, 5, 6, 6, 6});
    const QByteArray palette = bytes({10, 20, 30, 40, 50, 60, 70, 80, 90});
    QTest::newRow("palette 8") << 8 << 3 << bytes({2, 0}) << palette << none
                               << bytes({70, 80, 90, 10, 20, 30});
    QTest::newRow("palette 4") << 4 << 3 << bytes({0x12}) << palette << none
                               << bytes({40, 50, 60, 70, 80, 90});
    QTest::newRow("palette 2 with tRNS")
        << 2 << 3 << bytes({0x40}) << palette << bytes({0, 255}) << bytes({40, 50, 60, 10, 20, 30});
    QTest::newRow("palette 1") << 1 << 3 << bytes({0x40}) << palette << none
                               << bytes({10, 20, 30, 40, 50, 60});
    // Adam7 on a 2x1 image: pixel 0 is pass 1's only row, pixel 1 pass 6's, each with its own
    // filter byte (an interlace flag of 1 below).
    QTest::newRow("rgb 8 interlaced") << 8 << (2 | 0x100) << bytes({0, 1, 2, 3, 0, 4, 5, 6}) << none
                                      << none << bytes({1, 2, 3, 4, 5, 6});
  }
  void pngOfEveryKindReadsItsStoredValue() {
    QFETCH(int, depth);
    QFETCH(int, colour);
    QFETCH(QByteArray, row);
    QFETCH(QByteArray, palette);
    QFETCH(QByteArray, transparency);
    QFETCH(QByteArray, expected);
    // A PNG written chunk by chunk, so every kind can be made (libpng's writer picks its own).
    auto be32 = [](std::uint32_t v) {
      return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
    };
    auto chunk = [&](const std::string& type, const std::string& data) {
      const std::string body = type + data;
      const auto crc = ::crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size());
      return be32(static_cast<std::uint32_t>(data.size())) + body +
             be32(static_cast<std::uint32_t>(crc));
    };
    const bool interlaced = colour & 0x100;
    std::string header = be32(2) + be32(1);
    header += {static_cast<char>(depth), static_cast<char>(colour & 0xFF), 0, 0,
               static_cast<char>(interlaced)};
    // One row with filter type 0; an interlaced row list brings its own filter bytes.
    const std::string raw = (interlaced ? "" : std::string(1, '\0')) + row.toStdString();
    std::string packed(compressBound(raw.size()), '\0');
    uLongf packed_size = packed.size();
    QCOMPARE(compress(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                      reinterpret_cast<const Bytef*>(raw.data()), raw.size()),
             Z_OK);
    packed.resize(packed_size);
    std::string png = "\x89PNG\r\n\x1a\n" + chunk("IHDR", header);
    if (!palette.isEmpty()) png += chunk("PLTE", palette.toStdString());
    if (!transparency.isEmpty()) png += chunk("tRNS", transparency.toStdString());
    png += chunk("IDAT", packed) + chunk("IEND", "");
    QTemporaryDir dir;
    const auto path = writeText(dir, "frame.png", png);
    const auto image = readPng(path);
    QCOMPARE(image.width, 2);
    QCOMPARE(image.height, 1);
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(image.pixels.data()),
                        static_cast<int>(image.pixels.size())),
             expected);
  }

  void brokenPngsAreNamed() {
    QTemporaryDir dir;
    const auto text = writeText(dir, "a.png", "not a png at all");
    QVERIFY(errorOf([&] { readPng(text); }).find(text + ": not a PNG image") == 0);
    const auto cut = writeText(dir, "b.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16));
    QVERIFY(errorOf([&] { readPng(cut); }).find(cut + ": cannot decode the PNG image") == 0);
    // Over the reader's size limit: the size, not libpng's "Invalid IHDR data".
    const auto huge =
        writeText(dir, "c.png",
                  std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x4e\x20\0\0\x4e\x20"
                              "\x08\x02\0\0\0\0\0\0\0",
                              33));
    QCOMPARE(errorOf([&] { readPng(huge); }),
             huge + ": a PNG image of 20000x20000 pixels; this reader takes at most 8192 a side");
    QVERIFY(errorOf([&] { readPng(dir.filePath("none.png").toStdString()); }).find("cannot open") !=
            std::string::npos);
  }

  void pushingReaderErrorsNameTheFile() {
    QTemporaryDir dir;
    const auto root = makeTinyPushing(dir);
    const auto sequences = listPushingSequences(root + "/train");
    QCOMPARE(sequences.size(), size_t(4));
    const std::string seq = sequences[1];

    fs::remove(seq + "/5.png");
    QCOMPARE(errorOf([&] { loadPushingSequence(seq); }),
             seq + "/5.png: missing frame (frames 0 to 29 are read)");
    writePng(seq + "/5.png", RgbImage{32, 32, std::vector<std::uint8_t>(32 * 32 * 3)});
    QCOMPARE(errorOf([&] { loadPushingSequence(seq); }),
             seq + "/5.png: the frame is 32x32, expected 64x64");
    std::ofstream(seq + "/5.png") << "not a png";
    QVERIFY(errorOf([&] { loadPushingSequence(seq); }).find(seq + "/5.png: not a PNG image") == 0);

    const std::string other = sequences[2];
    std::ofstream(other + "/actions.csv") << "1,2,3,4\n";
    QCOMPARE(errorOf([&] { loadPushingSequence(other); }),
             other + "/actions.csv: 1 rows, expected 30");
    QVERIFY(errorOf([&] {
              listPushingSequences(root + "/nothing");
            }).find(root + "/nothing: no such folder") == 0);
    // A file given for the split folder (evaluate --test test.json) is said as a file.
    QVERIFY(errorOf([&] {
              listPushingSequences(other + "/actions.csv");
            }).find(other + "/actions.csv: a file, not a folder (expected a split folder") == 0);
  }

  // A sequence folder that is not whole is named, never skipped (it was skipped without a
  // word when 0.png was missing: 5 training sequences instead of 6).
  void incompleteSequencesAreNamedNotSkipped() {
    QTemporaryDir dir;
    const auto root = makeTinyPushing(dir);
    const auto sequences = listPushingSequences(root + "/train");
    // Hidden folders and loose files are not data.
    fs::create_directories(root + "/train/.ipynb_checkpoints/x");
    std::ofstream(root + "/train/README.txt") << "notes";
    std::ofstream(fs::path(sequences[0]).parent_path() / "notes.md") << "notes";
    QCOMPARE(listPushingSequences(root + "/train").size(), size_t(4));

    fs::remove(sequences[1] + "/0.png");
    QCOMPARE(errorOf([&] { listPushingSequences(root + "/train"); }),
             sequences[1] +
                 ": not a whole sequence: 0.png is missing (a sequence holds 0.png ... "
                 "29.png, actions.csv and endeffector_positions.csv)");
    writePng(sequences[1] + "/0.png", RgbImage{64, 64, std::vector<std::uint8_t>(64 * 64 * 3)});
    fs::remove(sequences[2] + "/actions.csv");
    fs::remove(sequences[2] + "/29.png");
    QVERIFY(errorOf([&] { listPushingSequences(root + "/train"); })
                .find(sequences[2] + ": not a whole sequence: actions.csv and 1 more files are "
                                     "missing") == 0);
    fs::remove_all(sequences[2]);
    fs::create_directories(sequences[2]);  // an empty folder where a sequence should be
    QVERIFY(errorOf([&] {
              listPushingSequences(root + "/train");
            }).find(sequences[2] + ": not a whole sequence") == 0);
    fs::remove_all(sequences[2]);

    // Damaged content is found by the check before training, not when a random window
    // reaches the frame epochs later.
    const std::string frame = sequences[3] + "/17.png";
    const auto listed = [&] {
      return errorOf([&] {
        for (const auto& sequence : listPushingSequences(root + "/train"))
          checkPushingSequence(sequence);
      });
    };
    std::ofstream(frame, std::ios::trunc).close();  // emptied
    QCOMPARE(listed(), frame + ": not a PNG image (its first 8 bytes are not a PNG signature)");
    std::ofstream(frame, std::ios::trunc) << "frame 17";
    QVERIFY(listed().find(frame + ": not a PNG image") == 0);
    writePng(frame, RgbImage{32, 32, std::vector<std::uint8_t>(32 * 32 * 3)});
    QCOMPARE(listed(), frame + ": the frame is 32x32, expected 64x64");
    fs::remove(frame);
    fs::create_directories(frame);  // a folder named 17.png
    QCOMPARE(listed(), frame + ": not a file");
    fs::remove_all(frame);
    writePng(frame, RgbImage{64, 64, std::vector<std::uint8_t>(64 * 64 * 3)});
    // A condition file a row short.
    const std::string actions = sequences[3] + "/actions.csv";
    std::ifstream in(actions);
    std::string line, kept;
    for (int row = 0; row < 29 && std::getline(in, line); ++row) kept += line + "\n";
    in.close();
    std::ofstream(actions, std::ios::trunc) << kept;
    QVERIFY2(listed().find(actions) == 0, listed().c_str());
  }

  void generatorOutputLoadsBackWithItsActions() {
    QTemporaryDir dir;
    const auto root = makeTinyPushing(dir);
    QCOMPARE(listPushingSequences(root + "/validate").size(), size_t(2));
    QCOMPARE(listPushingSequences(root + "/test").size(), size_t(2));
    const auto sequence = loadPushingSequence(listPushingSequences(root + "/train")[0]);
    QCOMPARE(sequence.frames.sizes().vec(), (std::vector<int64_t>{30, 3, 64, 64}));
    QCOMPARE(sequence.conditions.sizes().vec(), (std::vector<int64_t>{30, 7}));
    // Each frame's action moved the end effector to the next frame's position, except where a
    // wall stopped it.
    const auto c = sequence.conditions;
    int followed = 0;
    for (int t = 0; t + 1 < 30; ++t) {
      const auto step = c[t + 1].slice(0, 4, 6) - c[t].slice(0, 4, 6);
      followed += torch::allclose(step, c[t].slice(0, 0, 2), 1e-3, 1e-4) ? 1 : 0;
    }
    QVERIFY2(followed >= 20, qPrintable(QString::number(followed)));
    // Something moves: the arm at least.
    QVERIFY((sequence.frames[0] != sequence.frames[29]).any().item<bool>());

    // The same options write the same files.
    QTemporaryDir again;
    const auto root2 = makeTinyPushing(again);
    const auto twin = loadPushingSequence(listPushingSequences(root2 + "/train")[0]);
    QVERIFY(torch::equal(sequence.frames, twin.frames));
    QVERIFY(torch::equal(sequence.conditions, twin.conditions));
    // Windows start where asked.
    const auto window = loadPushingSequence(listPushingSequences(root + "/train")[0], 5, 4);
    QVERIFY(torch::equal(window.frames, sequence.frames.slice(0, 5, 9)));
    QVERIFY(torch::equal(window.conditions, sequence.conditions.slice(0, 5, 9)));
  }

  void shapesThroughBothEncoderVariants() {
    torch::manual_seed(0);
    for (const auto& [encoder, position_maps] : std::vector<std::pair<std::string, bool>>{
             {"dcgan", false}, {"vgg", false}, {"dcgan", true}}) {
      auto model = tinyModel(encoder, position_maps);
      const auto frames = torch::rand({5, 3, 3, 64, 64});
      const auto conditions = torch::rand({5, 3, 7});
      const auto loss =
          model->forwardTraining(frames, conditions, 2, torch::tensor({true, false, true}));
      QCOMPARE(loss.mse.dim(), int64_t(0));
      QVERIFY(loss.kl.item<double>() >= 0);
      QCOMPARE(loss.last_prediction.sizes().vec(), (std::vector<int64_t>{3, 3, 64, 64}));
      const auto all_forced =
          model->forwardTraining(frames, conditions, 2, torch::ones({3}, torch::kBool));
      QVERIFY(std::isfinite(all_forced.mse.item<double>()));
      torch::NoGradGuard no_grad;
      model->eval();
      auto generator = at::detail::createCPUGenerator(1);
      const auto predicted = model->predict(frames, conditions, 2, false, generator);
      QCOMPARE(predicted.sizes().vec(), (std::vector<int64_t>{3, 3, 3, 64, 64}));
      QVERIFY(predicted.min().item<double>() >= 0 && predicted.max().item<double>() <= 1);
    }
  }

  void positionMapsPeakAtTheEndEffector() {
    // Condition rows of 4 action values then (x, y, z); the blob is the last map.
    FrameDecoder decoder(
        FrameCodecOptions().width(0.125).frame_dim(16).spatial_condition(7).position_index(4));
    auto condition = torch::zeros({2, 7});
    condition[0][4] = 0.25;  // x -> column
    condition[0][5] = 0.75;  // y -> row
    condition[1][4] = 0.85;
    condition[1][5] = 0.15;
    torch::NoGradGuard no_grad;
    const auto maps = decoder->withCondition(torch::zeros({2, 1, 16, 16}), condition);
    QCOMPARE(maps.size(1), int64_t(1 + 2 + 7 + 3));
    const auto blob = maps.select(1, maps.size(1) - 1);
    // Pixel centres at -1 + 2i/15: x 0.25 -> -0.5 -> i = 3.75 -> 4; y 0.75 -> 0.5 -> 11.25 -> 11.
    const auto peak = [&](int b) {
      const int64_t flat = blob[b].flatten().argmax().item<int64_t>();
      return std::make_pair(flat / 16, flat % 16);
    };
    QCOMPARE(peak(0), std::make_pair(int64_t(11), int64_t(4)));
    // x 0.85 -> 0.7 -> 12.75 -> 13; y 0.15 -> -0.7 -> 2.25 -> 2.
    QCOMPARE(peak(1), std::make_pair(int64_t(2), int64_t(13)));
    QVERIFY(blob.max().item<double>() > 0.9);
  }

  void tinyModelOverfitsOneSequence() {
    QTemporaryDir dir;
    const auto root = makeTinyPushing(dir);
    const auto sequence = loadPushingSequence(listPushingSequences(root + "/train")[0], 0, 6);
    const auto batch = makeVideoBatch({sequence}, 0, 6);
    torch::manual_seed(3);
    auto model = tinyModel("dcgan");
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(3e-3));
    const auto forced = torch::ones({1}, torch::kBool);
    for (int step = 0; step < 300; ++step) {
      optimizer.zero_grad();
      const auto loss = model->forwardTraining(batch.frames, batch.conditions, 2, forced);
      (loss.mse + 1e-4 * loss.kl).backward();
      optimizer.step();
    }
    torch::NoGradGuard no_grad;
    model->eval();
    auto generator = at::detail::createCPUGenerator(1);
    const auto predicted = model->predict(batch.frames, batch.conditions, 2, false, generator);
    const auto truth = batch.frames.slice(0, 2).select(1, 0);
    const auto last_seen = batch.frames[1][0].unsqueeze(0).expand_as(truth);
    const double model_db = psnrPerFrame(predicted.select(1, 0), truth).mean().item<double>();
    const double copy_db = psnrPerFrame(last_seen, truth).mean().item<double>();
    QVERIFY2(model_db > copy_db + 3,
             qPrintable(QString("model %1 dB, copy-last %2 dB").arg(model_db).arg(copy_db)));
  }

  // Each split is renamed into place when whole: a set made again with fewer sequences keeps
  // none of the earlier ones, an interrupted one's leftovers go, and a set larger than the
  // free space is refused before anything is written.
  void madeDataReplacesWholeSplits() {
    namespace fs = std::filesystem;
    QTemporaryDir dir;
    const std::string root = dir.filePath("pushing").toStdString();
    PushingDataOptions options;
    options.train_sequences = 3;
    options.validate_sequences = 1;
    options.test_sequences = 1;
    makePushingData(root, options);
    fs::create_directories(root + "/.test.partial/traj_0_to_0/0");  // an interrupted run's
    options.train_sequences = 1;
    makePushingData(root, options);
    auto count = [](const std::string& split) {
      int n = 0;
      for (const auto& e : fs::recursive_directory_iterator(split))
        n += e.path().filename() == "actions.csv";
      return n;
    };
    QCOMPARE(count(root + "/train"), 1);
    QCOMPARE(count(root + "/test"), 1);
    QVERIFY(!fs::exists(root + "/.test.partial"));
    QVERIFY(!fs::exists(root + "/.train.partial"));

    const std::string huge = dir.filePath("huge").toStdString();
    options.train_sequences = 2000000000;
    const auto message = errorOf([&] { makePushingData(huge, options); });
    QVERIFY2(message.find(huge + ": the data set needs about ") == 0 &&
                 message.find(" MB are free there; ask for fewer sequences") != std::string::npos,
             message.c_str());
    QVERIFY(!fs::exists(huge));
  }

  // The made world is uncertain given what the model sees: the same scene and seed with other
  // hidden object properties starts with the same frame and goes on differently, in most
  // sequences within the 12 frames of an evaluation window.
  void hiddenPropertiesChangeTheFuture() {
    int differ = 0, within_window = 0;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      const auto a = renderPushingSequence(seed, 30);
      const auto b = renderPushingSequence(seed, 30, seed + 777);
      QCOMPARE(a.frames[0].pixels, b.frames[0].pixels);
      QCOMPARE(renderPushingSequence(seed, 30).frames[29].pixels, a.frames[29].pixels);
      bool any = false;
      for (int t = 0; t < 30; ++t) {
        if (a.frames[t].pixels == b.frames[t].pixels) continue;
        any = true;
        within_window += t < 12;
        break;
      }
      differ += any;
    }
    QVERIFY2(
        differ >= 15 && within_window >= 8,
        qPrintable(QString("%1 of 20 differ, %2 within 12 frames").arg(differ).arg(within_window)));
  }

  // Batch normalisation cannot train on one sequence: a last batch of one joins the one before
  // (4 sequences in batches of 3 failed at the second step), and a single sequence is named.
  void aLastBatchOfOneJoinsTheOneBefore() {
    QCOMPARE(pushingBatchCount(33, 32), int64_t(1));
    QCOMPARE(pushingBatchCount(64, 32), int64_t(2));
    QCOMPARE(pushingBatchCount(65, 32), int64_t(2));
    QCOMPARE(pushingBatchCount(66, 32), int64_t(3));
    QCOMPARE(pushingBatchCount(1, 32), int64_t(1));
    QTemporaryDir dir;
    auto config = tinyVideoConfig(dir);
    config.train.batch_size = 3;
    torch::manual_seed(4);
    VideoExperiment experiment(config, c10::kCPU);
    QCOMPARE(experiment.batchesPerEpoch(), int64_t(1));
    std::mt19937_64 rng(1);
    experiment.startEpoch(rng);
    const auto loss = experiment.trainStep(0, StepSchedule{1e-4, 0.5}, rng);
    QCOMPARE(loss.items, int64_t(4 * 4));
    QVERIFY(std::isfinite(loss.total.item<double>()));
    config.train.batch_size = 1;
    QVERIFY(errorOf([&] {
              validateConfig(config, "x.yaml");
            }).find("key 'train.batch_size': a video model needs at least 2 sequences") !=
            std::string::npos);
  }

  void evaluationIsDeterministic() {
    QTemporaryDir dir;
    const auto config = tinyVideoConfig(dir);
    torch::manual_seed(4);
    VideoExperiment experiment(config, c10::kCPU);
    std::mt19937_64 rng(1);
    experiment.startEpoch(rng);
    StepSchedule schedule{1e-4, 0.5};
    const auto loss = experiment.trainStep(1, schedule, rng);
    QCOMPARE(loss.items, int64_t(2 * 4));
    QCOMPARE(experiment.batchesPerEpoch(), int64_t(2));
    torch::randn({5});
    const auto first = experiment.evaluate();
    torch::randn({7});
    const auto second = experiment.evaluate();
    QCOMPARE(first.scores, second.scores);
    QCOMPARE(first.previews[0].rows, second.previews[0].rows);
    QCOMPARE(first.previews[0].rows.size(), size_t(4));
    QCOMPARE(first.frames.size(), size_t(2 + 2));  // truth, reconstruction, 2 prior samples
    QCOMPARE(first.frames[2].frames.size(), size_t(6));
    QCOMPARE(first.frames[2].frames[5].pixels, second.frames[2].frames[5].pixels);
    // Copy-last PSNR recomputed here with plain loops from the sequence files: the last seen
    // frame against each future frame, per-frame MSE of float32 pixels / 255 (as the batches
    // hold them), capped at 100 dB, averaged over frames and sequences. A changed window,
    // scaling or averaging moves it by far more than the 1e-7 dB allowed for summation order.
    const auto dirs = listPushingSequences(config.data.test);
    QVERIFY(!dirs.empty());
    const int past = config.video.past_frames, future = config.video.eval_future_frames;
    double sum_db = 0;
    int frames = 0;
    for (size_t s = 0; s < std::min<size_t>(dirs.size(), config.video.eval_sequences); ++s) {
      const auto sequence = loadPushingSequence(dirs[s], 0, past + future);
      const auto pixels = sequence.frames.contiguous();
      const auto* data = pixels.data_ptr<std::uint8_t>();
      const int64_t frame_size = pixels[0].numel();
      const auto* last_seen = data + (past - 1) * frame_size;
      for (int f = past; f < past + future; ++f) {
        double squared = 0;
        for (int64_t i = 0; i < frame_size; ++i) {
          const double d = static_cast<double>(last_seen[i] / 255.0f) -
                           static_cast<double>(data[f * frame_size + i] / 255.0f);
          squared += d * d;
        }
        sum_db += -10.0 * std::log10(std::max(squared / static_cast<double>(frame_size), 1e-10));
        ++frames;
      }
    }
    const double copy_last = sum_db / frames;
    QVERIFY2(std::abs(first.scores.at("psnr_copy_last") - copy_last) < 1e-7,
             qPrintable(QString("copy-last %1 dB, recomputed %2 dB")
                            .arg(first.scores.at("psnr_copy_last"), 0, 'f', 12)
                            .arg(copy_last, 0, 'f', 12)));
    // One row per evaluated sequence, named <group>/<sequence> with its folder; their PSNRs
    // average to the score (every sequence has the same number of predicted frames).
    QCOMPARE(first.previews.size(), size_t(3));
    const auto& sequences = first.previews[1];
    QCOMPARE(sequences.title, std::string("Sequences"));
    QCOMPARE(sequences.rows.size(), dirs.size());
    double sum_sequences = 0;
    for (size_t s = 0; s < dirs.size(); ++s) {
      const fs::path folder(dirs[s]);
      QCOMPARE(sequences.rows[s][0], std::to_string(s + 1));
      QCOMPARE(sequences.rows[s][1],
               (folder.parent_path().filename() / folder.filename()).string());
      QCOMPARE(sequences.rows[s][5], dirs[s]);
      sum_sequences += std::stod(sequences.rows[s][2]);
    }
    QVERIFY(std::abs(sum_sequences / dirs.size() - first.scores.at("psnr")) < 0.006);
  }

  // SVG-LP's best of K: each sequence's sample with the best mean over frames, all its frames.
  void bestOfSamplesPicksEachSequencesBestSample() {
    // [K = 2, frames = 2, sequences = 3]
    const auto scores = torch::tensor({{{1.0, 5.0, 2.0}, {9.0, 5.0, 2.0}},    // sample 0
                                       {{3.0, 4.0, 2.5}, {4.0, 4.0, 1.0}}});  // sample 1
    const auto best = bestOfSamples(scores);
    // Means over frames: sequence 0: 5 vs 3.5, sequence 1: 5 vs 4, sequence 2: 2 vs 1.75, so
    // sample 0 wins each, although sample 1 has the better first frame of sequences 0 and 2.
    QVERIFY(torch::equal(best, torch::tensor({{1.0, 5.0, 2.0}, {9.0, 5.0, 2.0}})));
    const auto swapped = bestOfSamples(scores.flip(0));
    QVERIFY(torch::equal(swapped, best));  // not the first sample's by default
    const auto frame_wise = torch::tensor({{{1.0}, {9.0}}, {{3.0}, {8.0}}});
    QVERIFY(torch::equal(bestOfSamples(frame_wise), torch::tensor({{3.0}, {8.0}})));
  }

  void evaluationScoresKPriorSamples() {
    QTemporaryDir dir;
    auto config = tinyVideoConfig(dir);
    torch::manual_seed(4);
    VideoExperiment one(config, c10::kCPU);
    const auto single = one.evaluate();
    QCOMPARE(single.scores.at("psnr_best"), single.scores.at("psnr"));
    QCOMPARE(single.scores.at("ssim_best"), single.scores.at("ssim"));
    QCOMPARE(single.previews[0].columns,
             (std::vector<std::string>{"frame", "PSNR (dB)", "best of 1 PSNR", "copy-last PSNR",
                                       "SSIM", "best of 1 SSIM", "copy-last SSIM", "KL (nats)"}));
    config.video.eval_samples = 3;
    torch::manual_seed(4);
    VideoExperiment three(config, c10::kCPU);
    const auto several = three.evaluate();
    QCOMPARE(several.scores.at("psnr_copy_last"), single.scores.at("psnr_copy_last"));
    QVERIFY(several.scores.at("psnr") != single.scores.at("psnr"));  // a mean of three now
    QVERIFY(several.scores.at("psnr_best") > several.scores.at("psnr"));
    QVERIFY(several.scores.at("ssim_best") > several.scores.at("ssim"));
    QCOMPARE(several.previews[0].columns[2], std::string("best of 3 PSNR"));
    QVERIFY(several.notes.back().find("3 samples from the learned prior each") !=
            std::string::npos);
    // The checkpoint choice reads the score best_by names.
    for (const char* score : {"psnr", "ssim", "psnr_best", "ssim_best"}) {
      config.evaluation.best_by = score;
      QCOMPARE(VideoExperiment(config, c10::kCPU).selectionScore(several),
               several.scores.at(score));
    }
  }

  // The collapse watch for a latent per frame: the trace's KL is the training loss's KL term
  // step by step, and the evaluation's per-frame KL and per-dimension KL are two sums of the
  // same numbers (the mean over frames of one equals the total of the other).
  void latentTraceMatchesTheKlTermAndFeedsTheWatch() {
    QTemporaryDir dir;
    const auto root = makeTinyPushing(dir);
    const auto sequence = loadPushingSequence(listPushingSequences(root + "/train")[0], 0, 6);
    const auto batch = makeVideoBatch({sequence, sequence}, 0, 6);
    torch::manual_seed(3);
    auto model = tinyModel("dcgan");
    torch::NoGradGuard no_grad;
    const auto loss =
        model->forwardTraining(batch.frames, batch.conditions, 2, torch::ones({2}, torch::kBool));
    const auto trace = model->latentTrace(batch.frames);
    QVERIFY(trace.kl.sizes().vec() == (std::vector<int64_t>{5, 2, 4}));
    QVERIFY(trace.posterior_mean.sizes().vec() == trace.kl.sizes().vec());
    QVERIFY((trace.kl >= -1e-6).all().item<bool>());
    const double per_step_total = trace.kl.sum(2).mean(1).sum().item<double>();
    QVERIFY2(std::abs(per_step_total - loss.kl.item<double>()) < 1e-4 * (1 + per_step_total),
             qPrintable(QString("%1 vs %2").arg(per_step_total).arg(loss.kl.item<double>())));
    // Free bits: none is the KL itself; a floor above every dimension's KL costs exactly the
    // floor for each of the 4 dimensions at each of the 5 steps; a small one only raises it.
    QCOMPARE(loss.kl_optimized.item<double>(), loss.kl.item<double>());
    QVERIFY((trace.kl.mean(1) < 10).all().item<bool>());
    const auto floored = model->forwardTraining(batch.frames, batch.conditions, 2,
                                                torch::ones({2}, torch::kBool), 10.0);
    QVERIFY(std::abs(floored.kl_optimized.item<double>() - 10.0 * 4 * 5) < 1e-3);
    QVERIFY(std::abs(floored.kl.item<double>() - loss.kl.item<double>()) < 1e-5);
    const auto some = model->forwardTraining(batch.frames, batch.conditions, 2,
                                             torch::ones({2}, torch::kBool), 0.05);
    QVERIFY(some.kl_optimized.item<double>() >= some.kl.item<double>() - 1e-6);

    auto config = tinyVideoConfig(dir);
    torch::manual_seed(4);
    VideoExperiment experiment(config, c10::kCPU);
    const auto evaluation = experiment.evaluate();
    QVERIFY(evaluation.latent.has_value());
    const auto& latent = *evaluation.latent;
    QCOMPARE(latent.kl.size(), static_cast<size_t>(config.model.latent_size));
    QCOMPARE(latent.kl_per_frame.size(), static_cast<size_t>(config.video.eval_future_frames));
    QCOMPARE(latent.frame_numbers.front(), config.video.past_frames + 1);
    QCOMPARE(latent.frame_numbers.back(),
             config.video.past_frames + config.video.eval_future_frames);
    double by_frame = 0, by_dimension = 0;
    for (double kl : latent.kl_per_frame) by_frame += kl / latent.kl_per_frame.size();
    for (double kl : latent.kl) by_dimension += kl;
    QVERIFY2(std::abs(by_frame - by_dimension) < 1e-6 * (1 + by_dimension),
             qPrintable(QString("%1 vs %2").arg(by_frame).arg(by_dimension)));
    QVERIFY(by_dimension > 0);  // an untrained posterior and prior disagree
    // Tables: the per-frame KL beside the PSNR, and the latent units.
    QCOMPARE(evaluation.previews.back().title, std::string("Latent units"));
    QCOMPARE(evaluation.previews.back().rows.size(), latent.kl.size());
    QCOMPARE(evaluation.previews[0].rows[0].back(), formatFixed(latent.kl_per_frame[0], 3));
    // A posterior that ignores the frames has no active unit: collapse.
    const auto same = torch::zeros({40, 4}), kl = torch::rand({40, 4});
    const auto collapsed = latentActivity(same, kl);
    QCOMPARE(collapsed.active_units, 0);
    QVERIFY(std::abs(collapsed.kl[2] - kl.select(1, 2).mean().item<double>()) < 1e-6);
    QVERIFY_EXCEPTION_THROWN(latentActivity(torch::zeros({3, 4}), torch::zeros({3, 5})),
                             std::invalid_argument);
  }

  void frameStripsSurviveThePreviewFile() {
    QTemporaryDir dir;
    SavedPreviews saved;
    saved.epoch = 3;
    saved.step = 40;
    for (int s = 0; s < 2; ++s) {
      FrameStrip strip{s == 0 ? "ground truth" : "prior sample 1", {}, {}};
      for (int t = 0; t < 3; ++t) {
        strip.frames.push_back(RgbImage{
            64, 64, std::vector<std::uint8_t>(64 * 64 * 3, static_cast<std::uint8_t>(s * 50 + t))});
        strip.psnr.push_back(s == 0 || t == 0 ? std::nan("") : 20.5 + t);
      }
      saved.evaluation.frames.push_back(strip);
    }
    const std::string path = dir.filePath("previews.tsv").toStdString();
    writePreviewFile(path, saved);
    const auto back = readPreviewFile(path);
    QCOMPARE(back.evaluation.frames.size(), size_t(2));
    QCOMPARE(back.evaluation.frames[1].title, std::string("prior sample 1"));
    QVERIFY(std::isnan(back.evaluation.frames[1].psnr[0]));
    QCOMPARE(back.evaluation.frames[1].psnr[2], 22.5);
    QCOMPARE(back.evaluation.frames[1].frames[2].pixels,
             saved.evaluation.frames[1].frames[2].pixels);
    fs::remove(dir.filePath("preview-frames/1_2.png").toStdString());
    const auto message = errorOf([&] { readPreviewFile(path); });
    QVERIFY2(message.find("preview-frames/1_2.png") != std::string::npos, message.c_str());
  }

  // GIF export keeps the colours: made pushing frames and a smooth gradient, written as a GIF
  // and decoded by giflib, against the frames given: the mean absolute difference per channel
  // is below 1.5 levels of 255 for the pushing frames (measured 0.70, where the former fixed
  // 6×7×6 colour cube gave 12.9 and turned the grey arm pink) and below 7.5 for a gradient of
  // 4,096 colours in 256 (measured 6.5; the cube 12.1).
  void gifKeepsTheFramesColours() {
    QTemporaryDir dir;
    const std::string root = makeTinyPushing(dir);
    std::vector<std::string> pngs;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root + "/test"))
      if (entry.path().extension() == ".png") pngs.push_back(entry.path().string());
    std::sort(pngs.begin(), pngs.end());
    QVERIFY(pngs.size() >= 8);
    std::vector<RgbImage> frames;
    for (size_t i = 0; i < 8; ++i) frames.push_back(readPng(pngs[i]));
    RgbImage gradient{64, 64, std::vector<std::uint8_t>(64 * 64 * 3)};
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x) {
        auto* p = &gradient.pixels[(y * 64 + x) * 3];
        p[0] = static_cast<std::uint8_t>(4 * x);
        p[1] = static_cast<std::uint8_t>(4 * y);
        p[2] = static_cast<std::uint8_t>(255 - 2 * (x + y));
      }
    struct Case {
      std::vector<RgbImage> frames;
      double bound;
    };
    for (const Case& c : {Case{frames, 1.5}, Case{{gradient, gradient}, 7.5}}) {
      const std::string path = dir.filePath("clip.gif").toStdString();
      writeAnimatedGif(path, c.frames, 10);
      int error = 0;
      GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
      QVERIFY2(gif, GifErrorString(error));
      QCOMPARE(DGifSlurp(gif), GIF_OK);
      QCOMPARE(gif->ImageCount, static_cast<int>(c.frames.size()));
      double sum = 0;
      size_t n = 0;
      for (int i = 0; i < gif->ImageCount; ++i) {
        const SavedImage& image = gif->SavedImages[i];
        const ColorMapObject* map =
            image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
        QVERIFY(map);
        QCOMPARE(image.ImageDesc.Width, c.frames[i].width);
        QCOMPARE(image.ImageDesc.Height, c.frames[i].height);
        for (int p = 0; p < image.ImageDesc.Width * image.ImageDesc.Height; ++p) {
          const GifColorType colour = map->Colors[image.RasterBits[p]];
          const std::uint8_t* want = &c.frames[i].pixels[3 * static_cast<size_t>(p)];
          sum += std::abs(colour.Red - want[0]) + std::abs(colour.Green - want[1]) +
                 std::abs(colour.Blue - want[2]);
          n += 3;
        }
      }
      DGifCloseFile(gif, &error);
      const double mad = sum / static_cast<double>(n);
      // The former palette: each channel to the nearest of 6, 7 and 6 even levels.
      double cube_sum = 0;
      for (const auto& frame : c.frames)
        for (size_t i = 0; i < frame.pixels.size(); ++i) {
          const int levels = i % 3 == 1 ? 7 : 6;
          const int v = frame.pixels[i];
          const int level = (v * (levels - 1) + 127) / 255;
          cube_sum += std::abs(level * 255 / (levels - 1) - v);
        }
      const double cube_mad = cube_sum / static_cast<double>(n);
      qInfo("GIF mean absolute difference %.3f (the 6x7x6 cube: %.3f)", mad, cube_mad);
      QVERIFY2(mad < c.bound && mad < 0.6 * cube_mad,
               qPrintable(QString("mean absolute difference %1, cube %2").arg(mad).arg(cube_mad)));
    }
  }

  void presetsLoad() {
    const auto cpu = presetConfig(ExperimentKind::Video);
    QCOMPARE(cpu.video.encoder, std::string("dcgan"));
    QCOMPARE(cpu.video.past_frames, 2);
    const auto gpu = loadConfigFile(CVAE_SOURCE_DIR "/configs/video_svg_gpu.yaml");
    QCOMPARE(gpu.video.encoder, std::string("vgg"));
    // The preset for futures that differ: the CPU preset but for β, the samples and best_by.
    auto diverse = loadConfigFile(CVAE_SOURCE_DIR "/configs/video_svg_diverse.yaml");
    QCOMPARE(diverse.kl.max_beta, 1e-5);
    QCOMPARE(diverse.evaluation.best_by, std::string("psnr_best"));
    QVERIFY(diverse.video.eval_samples >= 2);
    QCOMPARE(diverse.video.prior_samples, diverse.video.eval_samples);
    diverse.kl.max_beta = cpu.kl.max_beta;
    diverse.evaluation.best_by = cpu.evaluation.best_by;
    diverse.video.prior_samples = cpu.video.prior_samples;
    diverse.name = cpu.name;
    QVERIFY(configDifferences(cpu, diverse).empty());
    const auto message = errorOf([] {
      loadConfigText("experiment: video\nvideo:\n  past_frames: 20\n  future_frames: 15\n",
                     "v.yaml", "/");
    });
    QVERIFY2(message.find("video.future_frames") != std::string::npos &&
                 message.find("30-frame sequence: 20 + 15 = 35") != std::string::npos,
             message.c_str());
  }
};

CVAE_TEST_GUILESS_MAIN(TestVideo);
#include "test_video.moc"
