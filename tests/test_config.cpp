#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "ErrorOf.h"

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"

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
    config.name = "round trip: \"quoted\" name";
    config.data.train = "/data/some path/train.txt";
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
    QVERIFY2(msg.find("bad.yaml:4:") == 0, msg.c_str());
    QVERIFY2(msg.find("unknown key 'train.epoks'") != std::string::npos, msg.c_str());
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

  void keyOfAnotherExperiment() {
    const auto msg = loadError("experiment: tense\nmodel:\n  bidirectional: true\n");
    QVERIFY2(
        msg.find("'model.bidirectional' does not apply to a tense experiment") != std::string::npos,
        msg.c_str());
  }

  void crossFieldChecks() {
    auto msg = loadError("experiment: tense\nteacher_forcing:\n  initial: 0.5\n  floor: 0.8\n");
    QVERIFY2(msg.find("'teacher_forcing.floor'") != std::string::npos, msg.c_str());
    msg = loadError("experiment: spelling\nevaluation:\n  best_by: gaussian\n");
    QVERIFY2(msg.find("'evaluation.best_by'") != std::string::npos, msg.c_str());
  }

  void missingFile() {
    const auto msg = errorOf([] { loadConfigFile("/nonexistent/x.yaml"); });
    QVERIFY2(msg.find("/nonexistent/x.yaml: cannot open") == 0, msg.c_str());
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
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
