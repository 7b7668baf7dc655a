// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <clocale>
#include <cmath>
#include <cstdio>
#include <optional>

#include "ErrorOf.h"
#include "TestRegistry.h"

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/config/Presets.h"
#include "core/config/SweepFile.h"
#include "core/config/YamlDocument.h"
#include "core/io/NumberText.h"
#endif

using namespace cvae;

namespace {

// Runs `load` and returns the InputError's message, or "" when nothing was thrown.

std::string loadError(const std::string& yaml) {
  return errorOf([&] { loadConfigText(yaml, "bad.yaml", "/tmp"); });
}

}  // namespace

class TestConfig : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void presetsLoad_data() {
    QTest::addColumn<QString>("file");
    const QDir dir(QStringLiteral(CVAE_SOURCE_DIR "/configs"));
    for (const auto& name : dir.entryList({"*.yaml"}, QDir::Files))
      QTest::newRow(qPrintable(name)) << dir.filePath(name);
  }
  void presetsLoad() {
    QFETCH(QString, file);
    const auto config = loadConfigFile(file.toStdString());
    QVERIFY(!config.name.empty());
  }

  void roundTripPreservesEveryKey() {
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    config.name = "round-trip.name_2";
    config.data.train = "/data/some path/train: \"quoted\".txt";
    config.model.hidden_size = 384;
    config.optimizer.learning_rate = 0.1 + 0.2;  // not exactly representable as short decimal
    config.kl.policy = KlPolicy::Monotonic;
    config.kl.unit = ScheduleUnit::Epoch;
    config.kl.ratio = 1.0 / 3.0;
    config.teacher_forcing = {0.9, 3, 0.05, 0.2};
    config.train.seed = 123456789012345ULL;
    const std::string yaml = configToYaml(config);
    const auto loaded = loadConfigText(yaml, "saved.yaml", "/");
    QVERIFY2(loaded == config, yaml.c_str());
    QCOMPARE(configToYaml(loaded), yaml);
  }

  void roundTripThroughFileForEveryKind() {
    QTemporaryDir dir;
    for (auto kind : {ExperimentKind::Tense, ExperimentKind::Spelling, ExperimentKind::Video}) {
      const auto config = ExperimentConfig::defaultsFor(kind);
      const std::string path = dir.filePath("c.yaml").toStdString();
      saveConfigFile(config, path);
      QVERIFY(loadConfigFile(path) == config);
    }
  }

  void relativeDataPathsResolveAgainstTheConfigFolder() {
    const auto c = loadConfigText("experiment: tense\ndata:\n  train: d/train.txt\n", "x.yaml",
                                  "/base/configs");
    QCOMPARE(QString::fromStdString(c.data.train), QStringLiteral("/base/configs/d/train.txt"));
  }

  void unknownKeyNamesFileLineAndKey() {
    const auto msg = loadError("experiment: tense\ntrain:\n  epochs: 3\n  epoks: 4\n");
    QVERIFY2(msg.find("bad.yaml:4:3:") == 0, msg.c_str());  // the key, not its value
    QVERIFY2(msg.find("unknown key 'train.epoks'") != std::string::npos, msg.c_str());
  }

  // yaml-cpp counts a line's columns in bytes; an editor counts characters, so a place after
  // "é" on its line was one column off for each such letter.
  void columnsCountCharactersNotBytes_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << QString::fromUtf8(
                                        "experiment: tense\ndata: {train: \"é.txt\", bogus: 1}\n")
                                 << "bad.yaml:2:24: unknown key 'data.bogus'";
    QTest::newRow("wrong value") << QString::fromUtf8(
                                        "experiment: tense\nname: x\ntrain: {\"éé\": 1}\n")
                                 << "bad.yaml:3:9: unknown key 'train.éé'";
    QTest::newRow("bad value") << QString::fromUtf8(
                                      "{experiment: tense, name: \"ü\", train: {epochs: x}}\n")
                               << "bad.yaml:1:48: key 'train.epochs': expected an integer";
    QTest::newRow("quote left open")
        << QString::fromUtf8("experiment: tense\nname: [\"é\", \"open]\ntrain:\n  epochs: 3\n")
        << "line 2, column 13 opens a quoted value";
    QTest::newRow("after a byte-order mark")
        << QString::fromUtf8(
               "\xef\xbb\xbf"
               "experiment: tense\ntrain: {éé: 1, epochs: x}\n")
        << "bad.yaml:2:9: unknown key 'train.éé'";
    QTest::newRow("tag") << QString::fromUtf8(
                                "experiment: tense\ndata: {train: \"ä\", test: !custom x}\n")
                         << "bad.yaml:2:26: the YAML tag '!custom'";
  }
  void columnsCountCharactersNotBytes() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const auto msg = loadError(yaml.toStdString());
    QVERIFY2(msg.find(expected.toStdString()) != std::string::npos, msg.c_str());
  }
  void sweepColumnsCountCharacters() {
    const auto msg = errorOf([] {
      parseSweepText("base: a.yaml\ngrid: {\"é\": [1], train.epochs: []}\n", "s.yaml", "/tmp");
    });
    QVERIFY2(msg.find("s.yaml:2:18: grid key 'train.epochs' has no values") == 0, msg.c_str());
  }

  void wrongTypeIsRejected() {
    const auto msg = loadError("experiment: tense\ntrain:\n  epochs: many\n");
    QVERIFY2(msg.find("bad.yaml:3:11") == 0, msg.c_str());
    QVERIFY2(msg.find("'train.epochs': expected an integer") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("got 'many'") != std::string::npos, msg.c_str());
  }

  void realWhereIntegerExpected() {
    const auto msg = loadError("experiment: tense\ntrain:\n  batch_size: 6.5\n");
    QVERIFY2(msg.find("'train.batch_size'") != std::string::npos, msg.c_str());
  }

  void outOfRangeValues_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("key");
    QTest::newRow("negative epochs") << "train:\n  epochs: -5\n"
                                     << "train.epochs";
    QTest::newRow("zero batch") << "train:\n  batch_size: 0\n"
                                << "train.batch_size";
    QTest::newRow("ratio above 1") << "teacher_forcing:\n  initial: 1.5\n"
                                   << "teacher_forcing.initial";
    QTest::newRow("kl ratio below 0") << "kl_annealing:\n  ratio: -0.1\n"
                                      << "kl_annealing.ratio";
    QTest::newRow("cycles below 1") << "kl_annealing:\n  cycles: 0\n"
                                    << "kl_annealing.cycles";
    QTest::newRow("nan learning rate") << "optimizer:\n  learning_rate: .nan\n"
                                       << "optimizer.learning_rate";
    QTest::newRow("unknown policy") << "kl_annealing:\n  policy: sometimes\n"
                                    << "kl_annealing.policy";
    QTest::newRow("unknown device") << "train:\n  device: tpu\n"
                                    << "train.device";
    QTest::newRow("bool as number") << "model:\n  max_length: true\n"
                                    << "model.max_length";
  }
  void outOfRangeValues() {
    QFETCH(QString, yaml);
    QFETCH(QString, key);
    const auto msg = loadError("experiment: tense\n" + yaml.toStdString());
    QVERIFY2(msg.find("bad.yaml:3:") == 0, msg.c_str());
    QVERIFY2(msg.find("'" + key.toStdString() + "'") != std::string::npos, msg.c_str());
  }

  void invalidYamlSyntaxNamesTheLine() {
    const auto msg = loadError("experiment: tense\ntrain:\n  epochs: [1, 2\n");
    QVERIFY2(msg.find("bad.yaml:") == 0, msg.c_str());
    QVERIFY2(msg.find("invalid YAML") != std::string::npos, msg.c_str());
  }

  // yaml-cpp 0.7 cannot get past a ',' at the top level: LoadAll returned empty documents
  // until memory ran out and Load an empty node (found by the fuzz test). Each is named now.
  void unreadableYamlIsNamedNotLooped_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("leading comma") << ",experiment: tense\n"
                                   << "bad.yaml:1:1: invalid YAML";
    // A tab in the indentation failed as yaml-cpp's "illegal map value", named nowhere.
    QTest::newRow("tab indent") << "experiment: tense\ntrain:\n  epochs: 3\n\tbatch_size: 8\n"
                                << "(line 4 is indented with a tab: YAML indents with spaces only)";
    QTest::newRow("comma alone") << ","
                                 << "bad.yaml:1:1: invalid YAML";
    QTest::newRow("comment then comma") << "# mine\n, experiment: tense\n"
                                        << "bad.yaml:2:1: invalid YAML";
    QTest::newRow("two documents") << "experiment: tense\n---\nexperiment: video\n"
                                   << "bad.yaml:2:1: a second YAML document";
    QTest::newRow("second document is a comma") << "experiment: tense\n---\n,\n"
                                                << "a second YAML document";
    // yaml-cpp closes a quote left open at the end of the file: "runs became 'runs ' (a
    // folder name ending in a space) without a word.
    QTest::newRow("double quote left open at the end")
        << "experiment: tense\noutput:\n  dir: \"myruns\n"
        << "bad.yaml:3:8: invalid YAML: the quoted value is not closed (no matching \" before "
           "the end of the file)";
    QTest::newRow("single quote left open at the end")
        << "experiment: tense\nname: 'it''s\n"
        << "bad.yaml:2:7: invalid YAML: the quoted value is not closed (no matching '";
    QTest::newRow("quoted key left open")
        << "experiment: tense\n\"name: x\n"
        << "bad.yaml:2:1: invalid YAML: the quoted value is not closed";
    QTest::newRow("escaped quote at the end")
        << "experiment: tense\nname: \"ab\\\"\n"
        << "bad.yaml:2:7: invalid YAML: the quoted value is not closed";
    // yaml-cpp's own message for these is "bad file".
    // Left open mid-file, the quote is named where it opens (yaml-cpp fails lines later).
    QTest::newRow("double quote left open mid-file")
        << "experiment: tense\nname: \"open mid\ntrain:\n  epochs: 3\noutput:\n  dir: \"runs\"\n"
        << "(line 2, column 7 opens a quoted value that the line does not close: a missing \"?)";
    QTest::newRow("a list as a key") << "experiment: tense\n? [a, b]\n: 1\n"
                                     << "bad.yaml:2:3: a key must be a name, not a list";
    QTest::newRow("a mapping as a key in a section")
        << "experiment: tense\ntrain:\n  ? {a: 1}\n  : 2\n"
        << "bad.yaml:3:5: a key must be a name, not a mapping (in section 'train')";
    // yaml-cpp reads a tagged value as if untagged: the tag would be dropped without a word.
    QTest::newRow("a local tag on a number")
        << "experiment: tense\ntrain:\n  epochs: !custom 7\n"
        << "bad.yaml:3:11: the YAML tag '!custom' is not read: a config holds plain values, lists "
           "and maps; write the value without it";
    QTest::newRow("a core tag on a name") << "experiment: tense\nname: !!str 2024\n"
                                          << "bad.yaml:2:7: the YAML tag '!!str' is not read";
    QTest::newRow("a tag on a section") << "experiment: tense\ntrain: !!map {epochs: 3}\n"
                                        << "bad.yaml:2:8: the YAML tag '!!map' is not read";
    QTest::newRow("the bare tag") << "experiment: tense\ntrain:\n  epochs: ! 3\n"
                                  << "bad.yaml:3:11: the YAML tag '!' is not read";
    QTest::newRow("a tag on an empty value") << "experiment: tense\ndata:\n  test: !path\n"
                                             << "bad.yaml:3:9: the YAML tag '!path' is not read";
    QTest::newRow("lists nested too deeply")
        << "experiment: tense\nbogus: " + QString(1000, '[') + QString(1000, ']') + "\n"
        << "invalid YAML: nested more than ";
    QTest::newRow("maps nested too deeply")
        << "experiment: tense\nbogus: " + QString("{a: ").repeated(1000) + QString(1000, '}') + "\n"
        << "invalid YAML: nested more than ";
  }

  // With a byte-order mark, or in UTF-16, the quote check still sees the quote (yaml-cpp's
  // offsets skipped the mark and counted UTF-16's decoding: an open quote passed again).
  void openQuotesAreFoundInEveryEncoding() {
    const std::string open = "experiment: tense\n# caf\xC3\xA9\nname: \"myruns\n";
    auto utf16 = [](const std::string& ascii, bool little_endian) {
      std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
      for (char c : ascii) {
        if (static_cast<unsigned char>(c) >= 0x80) c = 'e';  // this test's text is ASCII else
        out += little_endian ? std::string{c, '\0'} : std::string{'\0', c};
      }
      return out;
    };
    for (const auto& text :
         {std::string("\xEF\xBB\xBF") + open, utf16(open, true), utf16(open, false)}) {
      const auto msg = loadError(text);
      QVERIFY2(msg.find("bad.yaml:3:7: invalid YAML: the quoted value is not closed") == 0,
               msg.c_str());
    }
    // The same files with the quote closed read as written.
    const std::string closed = "experiment: tense\nname: \"my-runs\"\n";
    for (const auto& text :
         {std::string("\xEF\xBB\xBF") + closed, utf16(closed, true), utf16(closed, false)}) {
      std::string error;
      try {
        QCOMPARE(loadConfigText(text, "ok.yaml", "/tmp").name, std::string("my-runs"));
      } catch (const std::exception& e) {
        error = e.what();
      }
      QVERIFY2(error.empty(), error.c_str());
    }
    // An apostrophe inside a plain word, or a quote in a comment, opens nothing: no hint.
    const auto plain = loadError("experiment: tense\nname: it's # \"don't\ntrain: [1\n");
    QCOMPARE(plain.substr(plain.find("invalid")),
             std::string("invalid YAML: end of sequence flow not found"));
    // An open quote on the last line, without a newline: yaml-cpp's "illegal EOF in scalar".
    const auto last = loadError("experiment: tense\nname: \"myruns");
    QVERIFY2(last.find("invalid YAML: the quoted value is not closed before the end of the file") !=
                 std::string::npos,
             last.c_str());
  }

  // Quotes that close, in both styles and with escapes, are read as written.
  void closedQuotesAreRead() {
    for (const auto& [text, name] : std::vector<std::pair<std::string, std::string>>{
             {"experiment: tense\nname: \"a\\\"b\"\n", "a\"b"},
             {"experiment: tense\nname: 'it''s'\n", "it's"},
             {"experiment: tense\nname: \"ab\"", "ab"},
             {"experiment: tense\nname: \"x\" # \"comment\n", "x"}}) {
      std::string error;
      try {
        const YAML::Node root = loadOneYamlDocument(YamlSource("ok.yaml", text), "a config");
        QCOMPARE(root["name"].Scalar(), name);
      } catch (const std::exception& e) {
        error = e.what();
      }
      QVERIFY2(error.empty(), (text + ": " + error).c_str());
    }
  }
  void unreadableYamlIsNamedNotLooped() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const auto msg = loadError(yaml.toStdString());
    QVERIFY2(msg.find(expected.toStdString()) != std::string::npos, msg.c_str());
  }

  void missingExperimentKind() {
    const auto msg = loadError("train:\n  epochs: 3\n");
    QVERIFY2(msg.find("'experiment' is missing") != std::string::npos, msg.c_str());
  }

  void rootMustBeAMapping() {
    QVERIFY(loadError("- 1\n- 2\n").find("must be a YAML mapping") != std::string::npos);
  }

  void sectionGivenAValue() {
    const auto msg = loadError("experiment: tense\ntrain: 5\n");
    QVERIFY2(msg.find("bad.yaml:2:8: key 'train' is a section") == 0, msg.c_str());
  }

  void listGivenForAScalar() {
    const auto msg = loadError("experiment: tense\ntrain:\n  epochs: [1, 2]\n");
    QVERIFY2(msg.find("got a list") != std::string::npos, msg.c_str());
  }

  // An empty value is named at its key: yaml-cpp marks a null where the next token starts.
  void emptyValueIsNamedOnItsKeysLine() {
    for (const auto& [text, place] : std::vector<std::pair<std::string, std::string>>{
             {"experiment: spelling\nmodel:\n  lexicon_channel:\n  cell: lstm\n", "bad.yaml:3:3: "},
             {"experiment: spelling\nmodel:\n  lexicon_trust:\n", "bad.yaml:3:3: "},
             {"experiment: tense\ntrain:\n  epochs:\n\n\noptimizer:\n  name: adam\n",
              "bad.yaml:3:3: "},
             {"experiment: tense\ntrain:\n  nope:\n  epochs: 2\n", "bad.yaml:3:3: "}}) {
      const auto msg = loadError(text);
      QVERIFY2(msg.find(place) == 0, msg.c_str());
    }
  }

  // A --set whose key has no effect given the others is named with the condition under which
  // it would; keys in use, and keys that always act, are not.
  void overridesWithoutEffectAreNamed() {
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Spelling);
    config.data.lexicon.clear();
    auto remarks =
        overridesWithoutEffect(config, {"model.lexicon_channel=learned", "train.epochs=3",
                                        "optimizer.momentum=0.5", "model.lexicon_channel=learned"});
    QCOMPARE(remarks.size(), size_t(2));
    QCOMPARE(remarks[0], std::string("--set model.lexicon_channel=learned has no effect here: it "
                                     "applies when data.lexicon is set and "
                                     "model.lexicon_search is nearest"));
    QVERIFY2(remarks[1].find("optimizer.name is sgd") != std::string::npos, remarks[1].c_str());
    config.data.lexicon = "/usr/share/dict/words";
    config.model.lexicon_search = "nearest";
    config.optimizer.name = "sgd";
    QVERIFY(
        overridesWithoutEffect(config, {"model.lexicon_channel=learned", "optimizer.momentum=0.5"})
            .empty());
    // Video rows are no previews (its sequences are), and the position maps are drawn into the
    // spatial condition: without it they shape nothing.
    auto video = ExperimentConfig::defaultsFor(ExperimentKind::Video);
    video.video.spatial_condition = false;
    const auto video_idle =
        overridesWithoutEffect(video, {"video.position_maps=true", "evaluation.preview_count=3"});
    QCOMPARE(video_idle.size(), size_t(2));
    QVERIFY2(video_idle[0].find("video.spatial_condition is true") != std::string::npos,
             video_idle[0].c_str());
    QVERIFY2(video_idle[1].find("the experiment is tense or spelling") != std::string::npos,
             video_idle[1].c_str());
    // A one-epoch cosine run trains at learning_rate: its lr_min has no epoch to reach.
    auto one_epoch = ExperimentConfig::defaultsFor(ExperimentKind::Spelling);
    one_epoch.optimizer.lr_schedule = "cosine";
    QVERIFY(overridesWithoutEffect(one_epoch, {"optimizer.lr_min=0.001"}).empty());
    one_epoch.train.epochs = 1;
    const auto lr_idle = overridesWithoutEffect(one_epoch, {"optimizer.lr_min=0.001"});
    QVERIFY(lr_idle.size() == 1 && lr_idle[0].find("train.epochs is above 1") != std::string::npos);
    // A step schedule shorter than one step never multiplies the rate.
    auto stepped = one_epoch;
    stepped.optimizer.lr_schedule = "step";
    stepped.optimizer.lr_step_epochs = 5;
    stepped.train.epochs = 5;
    QCOMPARE(overridesWithoutEffect(stepped, {"optimizer.lr_gamma=0.3"}).size(), size_t(1));
    stepped.train.epochs = 6;
    QVERIFY(overridesWithoutEffect(stepped, {"optimizer.lr_gamma=0.3"}).empty());
    // Every key with a condition says it; the others always act.
    for (const auto& spec : configSchema())
      QCOMPARE(fieldUseCondition(spec.key).empty(),
               fieldInUse(spec.key, ExperimentConfig{}) && fieldInUse(spec.key, [] {
                 ExperimentConfig c;
                 c.kl.policy = KlPolicy::None;
                 c.model.attention = false;
                 c.teacher_forcing.decay = 0;
                 c.optimizer.name = "adam";
                 c.optimizer.lr_schedule = "constant";
                 c.data.lexicon.clear();
                 c.kind = ExperimentKind::Video;
                 c.video.spatial_condition = false;
                 return c;
               }()));
  }

  // A relation that fails on --set is named by the assignment that set its key, else by all.
  void crossFieldErrorsNameTheAssignment() {
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    auto msg = errorOf([&] {
      applyOverrides(config, {"teacher_forcing.decay=0.1", "teacher_forcing.initial=0.2",
                              "teacher_forcing.floor=0.5"});
    });
    QVERIFY2(msg.find("--set teacher_forcing.decay=0.1 --set teacher_forcing.initial=0.2 --set "
                      "teacher_forcing.floor=0.5: key 'teacher_forcing.floor'") == 0,
             msg.c_str());
    // Only the assignments to the relation's keys.
    config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    msg = errorOf([&] { applyOverrides(config, {"train.epochs=3", "model.hidden_size=4"}); });
    QVERIFY2(msg.find("--set model.hidden_size=4: key 'model.condition_size'") == 0, msg.c_str());
    config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    config.teacher_forcing.floor = 0.5;
    msg = errorOf([&] {
      applyOverrides(config, {"teacher_forcing.decay=0.1", "teacher_forcing.initial=0.2"});
    });
    QVERIFY2(msg.find("--set teacher_forcing.decay=0.1 --set teacher_forcing.initial=0.2: key "
                      "'teacher_forcing.floor'") == 0,
             msg.c_str());
  }

  void overlongNamesAreRefused() {
    const std::string ok(kMaxNameLength, 'n');
    QVERIFY(loadError("experiment: tense\nname: " + ok + "\n").empty());
    const auto msg = loadError("experiment: tense\nname: " + ok + "x\n");
    QVERIFY2(msg.find("key 'name': is 201 characters long; at most 200") != std::string::npos,
             msg.c_str());
  }

  void keyOfAnotherExperiment() {
    const auto msg = loadError("experiment: tense\nmodel:\n  lexicon_edits: 2\n");
    QVERIFY2(
        msg.find("'model.lexicon_edits' does not apply to a tense experiment") != std::string::npos,
        msg.c_str());
  }

  void crossFieldChecks() {
    auto msg = loadError(
        "experiment: tense\nteacher_forcing:\n  initial: 0.5\n  decay: 0.1\n  floor: 0.8\n");
    QVERIFY2(msg.find("'teacher_forcing.floor'") != std::string::npos, msg.c_str());
    // Placed at the failing key's line, as every other error in a file.
    QVERIFY2(msg.rfind("bad.yaml:5:", 0) == 0, msg.c_str());
    // A relation whose failing key the file leaves at its default: placed at a key it sets.
    msg = loadError("experiment: tense\nmodel:\n  hidden_size: 4\n");
    QVERIFY2(msg.rfind("bad.yaml:3:", 0) == 0 &&
                 msg.find("'model.condition_size': 8 must not exceed model.hidden_size (4)") !=
                     std::string::npos,
             msg.c_str());
    // Without decay the floor has no effect, so it is not checked against the initial ratio.
    QVERIFY(
        loadError("experiment: tense\nteacher_forcing:\n  initial: 0.5\n  floor: 0.8\n").empty());
    msg = loadError("experiment: spelling\nevaluation:\n  best_by: gaussian\n");
    QVERIFY2(msg.find("'evaluation.best_by'") != std::string::npos, msg.c_str());
    QVERIFY2(msg.rfind("bad.yaml:3:", 0) == 0, msg.c_str());
    msg = loadError("experiment: tense\nevaluation:\n  best_by: psnr_best\n");
    QVERIFY2(msg.find("does not compute 'psnr_best' (it picks by bleu, gaussian, sum)") !=
                 std::string::npos,
             msg.c_str());
    // The best of K prior samples needs K of 2 or more, whichever key the file sets.
    QVERIFY(loadError("experiment: video\nvideo:\n  eval_samples: 2\nevaluation:\n"
                      "  best_by: ssim_best\n")
                .empty());
    msg = loadError(
        "experiment: video\nvideo:\n  eval_samples: 1\nevaluation:\n"
        "  best_by: psnr_best\n");
    QVERIFY2(msg.rfind("bad.yaml:5:", 0) == 0 &&
                 msg.find("'evaluation.best_by': 'psnr_best' picks by the best of "
                          "video.eval_samples prior samples, and 1 sample is its own best: draw 2 "
                          "or more, or pick by 'psnr'") != std::string::npos,
             msg.c_str());
    msg = loadError(
        "experiment: video\nvideo:\n  eval_samples: 1\nevaluation:\n"
        "  best_by: ssim_best\n");
    QVERIFY2(msg.find("or pick by 'ssim'") != std::string::npos, msg.c_str());
    // The tense encoder's first state holds the tense embedding.
    msg = loadError("experiment: tense\nmodel:\n  encoder_hidden_size: 4\n");
    QVERIFY2(msg.find("'model.condition_size': 8 must not exceed model.encoder_hidden_size (4)") !=
                 std::string::npos,
             msg.c_str());
    msg = loadError("experiment: tense\nmodel:\n  encoder_hidden_size: -1\n");
    QVERIFY2(msg.find("'model.encoder_hidden_size'") != std::string::npos, msg.c_str());
    msg = loadError("experiment: tense\nmodel:\n  dropout: 0.95\n");
    QVERIFY2(msg.find("'model.dropout'") != std::string::npos, msg.c_str());
  }

  void missingFile() {
    const auto msg = errorOf([] { loadConfigFile("/nonexistent/x.yaml"); });
    QVERIFY2(msg.find("/nonexistent/x.yaml: no such config file") == 0, msg.c_str());
  }

  void overridesApply() {
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    applyOverrides(config, {"train.epochs=5", "kl_annealing.policy=monotonic",
                            "teacher_forcing.floor=0.25", "name=x"});
    QCOMPARE(config.train.epochs, 5);
    QVERIFY(config.kl.policy == KlPolicy::Monotonic);
    QCOMPARE(config.teacher_forcing.floor, 0.25);
    QCOMPARE(config.name, std::string("x"));
  }

  void badOverrides() {
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    QVERIFY(errorOf([&] { applyOverride(config, "train.epochs"); }).find("KEY=VALUE") !=
            std::string::npos);
    QVERIFY(errorOf([&] { applyOverride(config, "train.epoch=3"); }).find("unknown key") !=
            std::string::npos);
    QVERIFY(errorOf([&] {
              applyOverride(config, "train.epochs=-1");
            }).find("--set train.epochs=-1: key 'train.epochs'") == 0);
    QVERIFY(errorOf([&] { applyOverride(config, "experiment=video"); }).find("cannot") !=
            std::string::npos);
    // A section given a value is said as a section (it was "unknown key 'train'").
    QCOMPARE(errorOf([&] { applyOverride(config, "train={epochs: 3}"); }),
             std::string("--set train={epochs: 3}: 'train' is a section, not a key: set one of its "
                         "keys, e.g. train.epochs=..."));
  }

  // A flag reads as YAML 1.1 writes a bool (yaml-cpp's spellings, in their three cases), and
  // as 1 or 0, alike in a file and on --set; anything else is named.
  void flagsReadEveryYamlSpelling() {
    for (const std::string yes :
         {"true", "True", "TRUE", "yes", "Yes", "y", "on", "ON", "1", " 1"}) {
      auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
      config.model.attention = false;
      applyOverride(config, "model.attention=" + yes);
      QVERIFY2(config.model.attention, yes.c_str());
      const auto loaded = loadConfigText("experiment: tense\nmodel:\n  attention: " + yes + "\n",
                                         "flag.yaml", "/tmp");
      QVERIFY2(loaded.model.attention, yes.c_str());
    }
    for (const std::string no : {"false", "False", "FALSE", "no", "NO", "off", "Off", "0"}) {
      auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
      config.model.attention = true;
      applyOverride(config, "model.attention=" + no);
      QVERIFY2(!config.model.attention, no.c_str());
    }
    for (const std::string bad : {"maybe", "2", "tru", "yES", "01", ""}) {
      auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
      const auto msg = errorOf([&] { applyOverride(config, "model.attention=" + bad); });
      QVERIFY2(msg.find("key 'model.attention': expected true or false, got '" + bad + "'") !=
                   std::string::npos,
               msg.c_str());
    }
    const auto in_file = loadError("experiment: tense\nmodel:\n  attention: 2\n");
    QVERIFY2(in_file.find("bad.yaml:3") != std::string::npos &&
                 in_file.find("expected true or false") != std::string::npos,
             in_file.c_str());
  }

  void runNamesStayInsideTheOutputFolder() {
    for (const char* bad : {"../../esc", "a/b", "", ".hidden", "sp ace"}) {
      const auto message = loadError(std::string("experiment: tense\nname: \"") + bad + "\"\n");
      QVERIFY2(message.find("key 'name'") != std::string::npos, message.c_str());
    }
    QVERIFY(loadError("experiment: tense\nname: tense-cvae_2.b\n").empty());
  }

  void repeatedKeysNameBothLines_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("learning rate twice")
        << "experiment: tense\noptimizer:\n  learning_rate: 0.003\n  name: adam\n"
           "  learning_rate: 3\n"
        << "bad.yaml:5:3: key 'optimizer.learning_rate' appears twice, on lines 3 and 5";
    QTest::newRow("section twice") << "experiment: tense\ntrain:\n  epochs: 2\ntrain:\n  seed: 1\n"
                                   << "key 'train' appears twice, on lines 2 and 4";
    QTest::newRow("top-level key twice") << "experiment: tense\nname: a\nname: b\n"
                                         << "key 'name' appears twice, on lines 2 and 3";
    QTest::newRow("experiment twice") << "experiment: tense\nexperiment: video\n"
                                      << "key 'experiment' appears twice";
  }
  void repeatedKeysNameBothLines() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const auto message = loadError(yaml.toStdString());
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }

  // Old-Mac CR-only line ends are named (YAML would misread them); CRLF and a byte-order mark
  // read as if absent.
  void lineEndsAndByteOrderMarks() {
    QTemporaryDir dir;
    auto write = [&](const char* name, const std::string& text) {
      const QString path = dir.filePath(name);
      QFile f(path);
      f.open(QIODevice::WriteOnly);
      f.write(text.data(), static_cast<qint64>(text.size()));
      return path.toStdString();
    };
    const auto crlf = write("crlf.yaml",
                            "\xEF\xBB\xBF"
                            "experiment: tense\r\ntrain:\r\n  epochs: 3\r\n");
    QCOMPARE(loadConfigFile(crlf).train.epochs, 3);
    const auto cr = write("cr.yaml", "experiment: tense\rtrain:\r  epochs: 3\r");
    const auto message = errorOf([&] { loadConfigFile(cr); });
    QVERIFY2(message.find("cr.yaml:1: a line ends with CR alone") != std::string::npos,
             message.c_str());
  }

  void numberTextIsLocaleIndependent() {
    QCOMPARE(formatShortest(0.003), std::string("0.003"));
    QCOMPARE(formatShortest(100000.0), std::string("100000"));
    QCOMPARE(formatShortest(0.1), std::string("0.1"));
    QCOMPARE(formatShortest(1e-12), std::string("1e-12"));
    QCOMPARE(formatShortest(1.0 / 3.0), std::string("0.3333333333333333"));
    QCOMPARE(formatFixed(28.456, 2), std::string("28.46"));
    QCOMPARE(formatGeneral(1234567.0, 3), std::string("1.23e+06"));
    QCOMPARE(*parseDouble("+1.5e3"), 1500.0);
    QCOMPARE(*parseDouble("-0.25"), -0.25);
    QVERIFY(std::isinf(*parseDouble("inf")));
    for (const char* bad : {"", "0,003", " 1", "1 ", "0x10", "1e", "--1", "+-1", "+", "1.2.3"})
      QVERIFY2(!parseDouble(bad), bad);
    QCOMPARE(*parseInteger("+42"), 42LL);
    QVERIFY(!parseInteger("4.2"));
  }

  // A desktop whose locale writes "0,5" (QApplication applies it to the C library) must not
  // change how files are read or written: the preset's learning_rate 0.003 aborted the GUI.
  void configsAndNumbersIgnoreACommaDecimalLocale() {
    const char* chosen = nullptr;
    for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"})
      if (std::setlocale(LC_NUMERIC, name)) {
        chosen = name;
        break;
      }
    if (!chosen)
      QSKIP(
          "no comma-decimal locale is installed (scripts/setup.sh makes de_DE.UTF-8 and "
          "fr_FR.UTF-8 with localedef)");
    char probe[16];
    std::snprintf(probe, sizeof probe, "%.1f", 0.5);
    const std::string active = probe;
    ExperimentConfig preset, reloaded;
    std::string shortest, error;
    std::optional<double> parsed;
    try {
      preset = presetConfig(ExperimentKind::Tense);
      reloaded = loadConfigText(configToYaml(preset), "saved.yaml", "/tmp");
      shortest = formatShortest(0.003);
      parsed = parseDouble("0.003");
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::setlocale(LC_NUMERIC, "C");
    QCOMPARE(active, std::string("0,5"));  // the locale really was in force
    QVERIFY2(error.empty(), error.c_str());
    QCOMPARE(preset.optimizer.learning_rate, 0.003);
    QVERIFY(reloaded == preset);
    QCOMPARE(shortest, std::string("0.003"));
    QCOMPARE(*parsed, 0.003);
  }

  void everyFieldRoundTripsItsOwnText() {
    const auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    for (const auto& spec : configSchema()) {
      std::string problem;
      const auto text = formatFieldValue(spec.get(config));
      const auto parsed = parseFieldValue(spec, text, problem);
      QVERIFY2(parsed.has_value(), (spec.key + ": " + problem).c_str());
      QVERIFY2(*parsed == spec.get(config), spec.key.c_str());
    }
  }

  // Integer bounds are compared and printed as integers: train.seed's 2^53 + 1 passed as a
  // double (rounded to the bound), and the bound read 9.00719925474099e+15.
  void integerBoundsAreExact() {
    const FieldSpec* seed = findField("train.seed");
    QVERIFY(seed);
    std::string problem;
    QVERIFY(parseFieldValue(*seed, "9007199254740992", problem).has_value());
    QVERIFY(!parseFieldValue(*seed, "9007199254740993", problem).has_value());
    QCOMPARE(problem, std::string("expected an integer in [0, 9007199254740992], got "
                                  "'9007199254740993'"));
    QVERIFY(!parseFieldValue(*seed, "-1", problem).has_value());
    const auto message = errorOf([] {
      loadConfigText("experiment: tense\ntrain:\n  seed: 9007199254740993\n", "c.yaml", "/tmp");
    });
    QVERIFY2(
        message.find("c.yaml:3") == 0 && message.find("9007199254740992]") != std::string::npos,
        message.c_str());
  }

  // Data paths the file system refuses to look up (a name over 255 bytes, a folder that is a
  // file) load as written, lexically normalised; the data reader names them when it opens
  // them. They used to escape the config reader as std::filesystem::filesystem_error (found by
  // the libFuzzer program tests/fuzz, fuzz_config, within 101 inputs).
  void unresolvablePathsLoadAsWritten() {
    QTemporaryDir dir;
    const std::string base = dir.path().toStdString();
    QFile file(dir.filePath("file"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const std::string long_name(300, 'a');
    for (const std::string& path : {long_name + "/train.txt", std::string("file/../x/./train.txt"),
                                    std::string("file/inside/train.txt")}) {
      const auto message = errorOf([&] {
        const auto config = loadConfigText(
            "experiment: tense\ndata:\n  train: " + path + "\n  test: t.txt\n", "c.yaml", base);
        QVERIFY2(config.data.train.rfind(base + "/", 0) == 0, config.data.train.c_str());
        QVERIFY2(config.data.train.size() > base.size() + 10, config.data.train.c_str());
      });
      QVERIFY2(message.empty(), message.c_str());
    }
    const auto config = loadConfigText(
        "experiment: tense\ndata:\n  train: " + long_name + "/train.txt\n  test: t.txt\n", "c.yaml",
        base);
    QCOMPARE(config.data.train, base + "/" + long_name + "/train.txt");
    // A sweep's base config of such a name: named when the sweep reads it, never a crash.
    const QString sweep = dir.filePath("sweep.yaml");
    QFile sweep_file(sweep);
    QVERIFY(sweep_file.open(QIODevice::WriteOnly));
    sweep_file.write(QByteArray::fromStdString("name: s\nbase: " + long_name + ".yaml\n"));
    sweep_file.close();
    const auto sweep_error = errorOf([&] {
      const auto read = readSweepFile(sweep.toStdString());
      QCOMPARE(read.base_config, base + "/" + long_name + ".yaml");
    });
    QVERIFY2(sweep_error.empty() || sweep_error.find(sweep.toStdString()) == 0,
             sweep_error.c_str());
  }
};

CVAE_TEST_GUILESS_MAIN(TestConfig);
#include "test_config.moc"
