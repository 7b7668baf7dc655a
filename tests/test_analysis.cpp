// Comparing runs (core/analysis): parameter importance on synthetic runs where one key drives
// the score, Spearman's correlation and schedule phases against values computed by hand. The
// sweep runner applying the phase-aligned median rule is in test_sweeps.
// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

#include "TestRegistry.h"
#include "core/analysis/MedianRule.h"
#include "core/analysis/ParamImportance.h"
#include "core/analysis/RunImportance.h"
#include "core/analysis/ScheduleColumns.h"
#include "core/analysis/SeriesAgainst.h"
#include "core/analysis/SeriesBand.h"
#include "core/analysis/SeriesDifference.h"
#include "core/io/InputError.h"

#include "SyntheticRuns.h"
#endif

using namespace cvae;

namespace {

// 40 runs over three keys: learning rate (log-uniform), a policy (two categories) and a seed
// that does nothing. The score follows the learning rate, plus a little noise.
struct SyntheticSweep {
  std::vector<ImportanceColumn> columns{
      {"optimizer.learning_rate", {}}, {"kl_annealing.policy", {}}, {"train.seed", {}}};
  std::vector<double> lr, noise;
};

SyntheticSweep syntheticSweep(int runs) {
  SyntheticSweep sweep;
  std::mt19937 random(7);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < runs; ++i) {
    const double lr = std::pow(10.0, -4 + 2 * unit(random));
    sweep.lr.push_back(lr);
    sweep.noise.push_back(0.02 * (unit(random) - 0.5));
    sweep.columns[0].values.push_back(std::to_string(lr));
    sweep.columns[1].values.push_back(i % 2 ? "cyclical" : "monotonic");
    sweep.columns[2].values.push_back(std::to_string(i + 1));
  }
  return sweep;
}

}  // namespace

class TestAnalysis : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void spearmanByHand() {
    // Ranks of a: 1 2 3 4; of b: 2 1 4 3; d² = 1+1+1+1 = 4; ρ = 1 − 6·4 / (4·15) = 0.6.
    QCOMPARE(spearman({1, 2, 3, 4}, {20, 10, 40, 30}), 0.6);
    QCOMPARE(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
    // Ties take the average rank: a ranks 1.5 1.5 3 4, b 1 2 3 4 → Pearson of the ranks.
    const double rho = spearman({5, 5, 6, 7}, {1, 2, 3, 4});
    QVERIFY(std::abs(rho - 0.9486832980505138) < 1e-12);
    QVERIFY(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
  }

  void theKeyThatDrivesTheScoreRanksFirst() {
    const auto sweep = syntheticSweep(40);
    std::vector<double> bleu;  // better higher, rises with log lr
    for (size_t i = 0; i < sweep.lr.size(); ++i)
      bleu.push_back(0.5 + 0.2 * std::log10(sweep.lr[i]) / 2 + sweep.noise[i]);
    const auto result = paramImportance(sweep.columns, bleu);
    QVERIFY2(result.problem.empty(), result.problem.c_str());
    QCOMPARE(result.runs, 40);
    QCOMPARE(result.keys.size(), size_t(3));
    QCOMPARE(result.keys[0].key, std::string("optimizer.learning_rate"));
    QVERIFY2(result.keys[0].importance > 0.5,
             qPrintable(QString::number(result.keys[0].importance)));
    for (size_t k = 1; k < 3; ++k)
      QVERIFY2(result.keys[k].importance < 0.1 * result.keys[0].importance,
               qPrintable(QString::fromStdString(result.keys[k].key) + " " +
                          QString::number(result.keys[k].importance)));
    QVERIFY(result.forest_r2 > 0.7);
    QVERIFY(result.keys[0].correlation && *result.keys[0].correlation > 0.9);
    // The policy is text: no correlation, but the value with the better mean.
    for (const auto& key : result.keys)
      if (key.key == "kl_annealing.policy") {
        QVERIFY(!key.numeric);
        QVERIFY(!key.correlation);
        QVERIFY(key.best_value == "cyclical" || key.best_value == "monotonic");
      }
  }

  void aMinimisedScoreKeepsTheSignOfBetter() {
    // A loss that falls as the learning rate rises: a higher learning rate is better, so the
    // correlation is positive although the loss and the learning rate are anti-correlated.
    const auto sweep = syntheticSweep(40);
    std::vector<double> loss;
    for (size_t i = 0; i < sweep.lr.size(); ++i)
      loss.push_back(2.0 - 0.5 * std::log10(sweep.lr[i]) + sweep.noise[i]);
    ImportanceOptions options;
    options.higher_is_better = false;
    const auto result = paramImportance(sweep.columns, loss, options);
    QCOMPARE(result.keys[0].key, std::string("optimizer.learning_rate"));
    QVERIFY(result.keys[0].correlation && *result.keys[0].correlation > 0.9);
    options.higher_is_better = true;  // the same numbers read as a score: worse with lr
    const auto as_score = paramImportance(sweep.columns, loss, options);
    QVERIFY(as_score.keys[0].correlation && *as_score.keys[0].correlation < -0.9);
  }

  void aCategoryThatDrivesTheScoreRanksFirstWithItsBestValue() {
    const auto sweep = syntheticSweep(30);
    std::vector<double> psnr;
    for (size_t i = 0; i < sweep.lr.size(); ++i)
      psnr.push_back((i % 2 ? 24.0 : 21.0) + 10 * sweep.noise[i]);
    const auto result = paramImportance(sweep.columns, psnr);
    QCOMPARE(result.keys[0].key, std::string("kl_annealing.policy"));
    QCOMPARE(result.keys[0].best_value, std::string("cyclical"));
    QVERIFY(result.keys[0].importance > 0.5);
  }

  void noSignalMeansNoImportance() {
    // Pure noise: the forest explains nothing out of bag and no key stands out. (With tens of
    // runs a key that does nothing still scores up to about 0.3 by chance: the noise floor the
    // GUI's error bars and R² note warn of.)
    const auto sweep = syntheticSweep(60);
    const auto result = paramImportance(sweep.columns, sweep.noise);
    QVERIFY2(result.forest_r2 < 0.2, qPrintable(QString::number(result.forest_r2)));
    for (const auto& key : result.keys)
      QVERIFY2(key.importance < 0.3,
               qPrintable(QString::fromStdString(key.key) + " " + QString::number(key.importance) +
                          " r2 " + QString::number(result.forest_r2)));
  }

  void tooFewRunsAndConstantKeysAreSaid() {
    auto sweep = syntheticSweep(4);
    auto result = paramImportance(sweep.columns, {0.1, 0.2, 0.3, 0.4});
    QVERIFY(result.keys.empty());
    QVERIFY(result.problem.find("at least 5 runs") != std::string::npos);
    // NaN scores (runs never evaluated) are left out before counting.
    sweep = syntheticSweep(6);
    result = paramImportance(sweep.columns, {0.1, NAN, 0.3, 0.4, NAN, 0.2});
    QCOMPARE(result.runs, 4);
    QVERIFY(!result.problem.empty());
    // A key with one value is listed last, as constant.
    sweep = syntheticSweep(10);
    for (auto& v : sweep.columns[1].values) v = "monotonic";
    result = paramImportance(sweep.columns, sweep.lr);
    QVERIFY(result.problem.empty());
    QCOMPARE(result.keys.back().key, std::string("kl_annealing.policy"));
    QVERIFY(result.keys.back().constant);
    // Every score equal: nothing to explain.
    result = paramImportance(sweep.columns, std::vector<double>(10, 0.5));
    QVERIFY(result.problem.find("same score") != std::string::npos);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             paramImportance(sweep.columns, std::vector<double>(3, 0.5)));
  }

  void schedulePhasesByHand() {
    // β reaches its maximum after 4 epochs: 2 epochs in is half the warm-up, 6 is 2 after it.
    QCOMPARE(schedulePhase(2, 4), 0.5);
    QCOMPARE(schedulePhase(4, 4), 1.0);
    QCOMPARE(schedulePhase(6, 4), 3.0);
    QCOMPARE(schedulePhase(0.5, 0.25), 1.25);
    // β never rises (or is at its maximum from the start): all of the run is after warm-up.
    QCOMPARE(schedulePhase(3, -1), 4.0);
    QCOMPARE(schedulePhase(3, 0), 4.0);
  }

  void scoresAtAPhaseAreInterpolatedOnlyWhereEvaluated() {
    const std::vector<PhaseScore> e = {{0.25, 1}, {0.5, 2}, {1, 4}, {2, 5}};
    QCOMPARE(*scoreAtPhase(e, 0.5), 2.0);
    QCOMPARE(*scoreAtPhase(e, 0.75), 3.0);
    QCOMPARE(*scoreAtPhase(e, 1.5), 4.5);
    QCOMPARE(*scoreAtPhase(e, 0.25), 1.0);
    QCOMPARE(*scoreAtPhase(e, 2), 5.0);
    QVERIFY(!scoreAtPhase(e, 0.2));  // before its first evaluation
    QVERIFY(!scoreAtPhase(e, 2.5));  // not reached yet
    QVERIFY(!scoreAtPhase({}, 1));
  }

  void scheduleValuesAtAStepByHand() {
    // 10 epochs of 4 steps: 40 optimizer steps. Monotonic β to 0.8 over half the run (20
    // steps); teacher forcing 1 through epoch 1, then -0.25 per epoch down to 0.1.
    QTemporaryDir dir;
    SyntheticRun run;
    run.epochs = 10;
    run.config.train.epochs = 10;
    run.config.kl.policy = KlPolicy::Monotonic;
    run.config.kl.max_beta = 0.8;
    run.config.kl.ratio = 0.5;
    run.config.kl.unit = ScheduleUnit::Iteration;
    run.config.teacher_forcing = {1.0, 1, 0.25, 0.1};
    writeSyntheticRun(dir.filePath("m").toStdString(), run);
    const auto monotonic = summarizeRun(dir.filePath("m").toStdString());
    QCOMPARE(scheduleColumns(monotonic).count("β at step 5"), size_t(0));  // not asked
    QCOMPARE(scheduleColumns(monotonic).at("β warm-up end (epoch)"), std::string("5"));
    // β that never rises has no warm-up: epoch 0, a number ("never" made the column text, so
    // importance gave it a best value and no rank correlation).
    {
      SyntheticRun flat = run;
      flat.config.kl.policy = KlPolicy::Constant;
      writeSyntheticRun(dir.filePath("flat").toStdString(), flat);
      QCOMPARE(scheduleColumns(summarizeRun(dir.filePath("flat").toStdString()))
                   .at("β warm-up end (epoch)"),
               std::string("0"));
    }
    auto at = [](const RunSummary& s, int step, const std::string& column) {
      const auto all = scheduleColumns(s, step);
      const auto it = all.find(column + " at step " + std::to_string(step));
      return it == all.end() ? std::string("(none)") : it->second;
    };
    QCOMPARE(at(monotonic, 0, "β"), std::string("0"));
    QCOMPARE(at(monotonic, 5, "β"), std::string("0.2"));  // 0.8 · 5/20
    QCOMPARE(at(monotonic, 30, "β"), std::string("0.8"));
    QCOMPARE(at(monotonic, 5, "teacher forcing"), std::string("1"));     // epoch 1
    QCOMPARE(at(monotonic, 13, "teacher forcing"), std::string("0.5"));  // epoch 3: 1 - 2 · 0.25
    // Past the planned end: the values of the last step (epoch 9: at the floor).
    QCOMPARE(at(monotonic, 1000, "β"), std::string("0.8"));
    QCOMPARE(at(monotonic, 1000, "teacher forcing"), std::string("0.1"));

    run.config.kl.policy = KlPolicy::Cyclical;
    run.config.kl.cycles = 2;  // periods of 20 steps, each rising over its first 10
    writeSyntheticRun(dir.filePath("c").toStdString(), run);
    const auto cyclical = summarizeRun(dir.filePath("c").toStdString());
    QCOMPARE(at(cyclical, 5, "β"), std::string("0.4"));
    QCOMPARE(at(cyclical, 19, "β"), std::string("0.8"));
    QCOMPARE(at(cyclical, 20, "β"), std::string("0"));  // the second cycle starts at 0
    QCOMPARE(at(cyclical, 25, "β"), std::string("0.4"));

    // No KL term, no β column; teacher forcing still.
    SyntheticRun spelling;
    spelling.config = ExperimentConfig::defaultsFor(ExperimentKind::Spelling);
    writeSyntheticRun(dir.filePath("s").toStdString(), spelling);
    const auto s = summarizeRun(dir.filePath("s").toStdString());
    QCOMPARE(at(s, 3, "β"), std::string("(none)"));
    QVERIFY(at(s, 3, "teacher forcing") != "(none)");

    // Importance takes them as keys when asked: β at step 5 drives this score.
    std::vector<RunSummary> runs;
    for (int i = 0; i < 10; ++i) {
      SyntheticRun r = run;
      r.config.kl.policy = KlPolicy::Monotonic;
      r.config.kl.ratio = 0.1 * (1 + i % 5);  // β at step 5 from 0.8 down to 0.16
      r.config.train.seed = 1 + i;
      const double beta5 = 0.8 * std::min(1.0, 5.0 / (40 * r.config.kl.ratio));
      r.scores = {{1 - beta5, 0.0}};
      const std::string path = dir.filePath(QString("i%1").arg(i)).toStdString();
      writeSyntheticRun(path, r);
      runs.push_back(summarizeRun(path));
    }
    const auto plain = importanceOverRuns(runs, "bleu", ScoreSummary::Best);
    for (const auto& k : plain.keys) QVERIFY(k.key.find("at step") == std::string::npos);
    const auto with_step = importanceOverRuns(runs, "bleu", ScoreSummary::Best, {}, 5);
    bool found = false;
    for (const auto& k : with_step.keys)
      if (k.key == "β at step 5") {
        found = true;
        QVERIFY(*k.correlation < -0.99);  // higher β at step 5, lower score
      }
    QVERIFY(found);
  }

  void aForkMinusItsParentByHand() {
    // The parent logged at epochs 0, 1, 2, 3 (and 2 twice: a resume, the later counts); the
    // fork from epoch 1 on at 1, 1.5, 2, 3.5 and 4.
    const SeriesPoints parent{{0, 1, 2, 2, 3}, {4, 3, 9, 2, 1}};
    const SeriesPoints child{{0.5, 1, 1.5, 2, 3.5, 4}, {9, 3, 2, NAN, 0.5, 0}};
    const SeriesPoints d = seriesDifference(child, parent, 1);
    // 0.5 is before the fork; 1.5 interpolates 3 → 2 (2.5); 2 has no child value; 3.5 and 4
    // lie past the parent's last point: nothing is extrapolated.
    QCOMPARE(d.x, (std::vector<double>{1, 1.5}));
    QCOMPARE(d.y, (std::vector<double>{0, -0.5}));
    // Unsorted parent points are read in order of x.
    const SeriesPoints shuffled{{3, 0, 2, 1}, {1, 4, 2, 3}};
    const SeriesPoints late{{2.5}, {2}};
    QCOMPARE(seriesDifference(late, shuffled, 0).y, (std::vector<double>{0.5}));
    QVERIFY(seriesDifference(child, SeriesPoints{}, 0).x.empty());
  }

  void importanceOverRunFolders() {
    // Twelve tense runs: the learning rate sets the best BLEU, the seed and the KL cycles vary
    // without effect; one video run has no BLEU and no tense keys.
    QTemporaryDir dir;
    std::vector<RunSummary> runs;
    for (int i = 0; i < 12; ++i) {
      SyntheticRun run;
      run.config.optimizer.learning_rate = 0.0005 * (1 + i % 6);
      run.config.train.seed = 1 + i;
      run.config.kl.cycles = 2 + (i * 7) % 5;
      run.config.name = "run" + std::to_string(i);
      const double bleu = 0.2 + 100 * run.config.optimizer.learning_rate;
      run.scores = {{bleu - 0.1, 0.0}, {bleu, 0.0}, {bleu - 0.05, 0.0}};
      const std::string path = dir.filePath(QString("r%1").arg(i)).toStdString();
      writeSyntheticRun(path, run);
      runs.push_back(summarizeRun(path));
    }
    SyntheticRun video;
    video.config = ExperimentConfig::defaultsFor(ExperimentKind::Video);
    writeSyntheticRun(dir.filePath("video").toStdString(), video);
    runs.push_back(summarizeRun(dir.filePath("video").toStdString()));

    // Runs of two experiments are refused: the keys of one are missing in the other.
    try {
      importanceOverRuns(runs, "bleu", ScoreSummary::Best);
      QFAIL("runs of two experiments were compared");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find("several experiments (12 tense, 1 video)") !=
                   std::string::npos,
               e.what());
    }
    runs.pop_back();
    const auto best = importanceOverRuns(runs, "bleu", ScoreSummary::Best);
    QVERIFY2(best.problem.empty(), best.problem.c_str());
    QCOMPARE(best.runs, 12);
    QCOMPARE(best.keys.front().key, std::string("optimizer.learning_rate"));
    QVERIFY(*best.keys.front().correlation > 0.9);
    bool has_name = false;
    for (const auto& k : best.keys) has_name = has_name || k.key == "name";
    QVERIFY(!has_name);  // a label, not a setting
    const auto last = importanceOverRuns(runs, "bleu", ScoreSummary::Last);
    QCOMPARE(last.keys.front().key, std::string("optimizer.learning_rate"));
    try {
      importanceOverRuns(runs, "psnr_typo", ScoreSummary::Best);
      QFAIL("an unknown score was accepted");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find("no run here has the score 'psnr_typo' (they have "
                                          "bleu, gaussian") != std::string::npos,
               e.what());
    }
  }

  void seedBandsByHand() {
    // Three seeds' BLEU at epochs 1..3; the third run was evaluated at 1 and 3 only, and its
    // value at 2 is interpolated: (0.4 + 0.8) / 2 = 0.6.
    const auto band =
        seriesBand({{1, 2, 3}, {1, 2, 3}, {1, 3}}, {{0.2, 0.5, 0.7}, {0.4, 0.7, 0.9}, {0.4, 0.8}});
    QCOMPARE(band.x, (std::vector<double>{1, 2, 3}));
    // At 1: 0.2, 0.4, 0.4 → mean 1/3, sample std sqrt(((−2/15)² + 2·(1/15)²) / 2) = 0.11547.
    QVERIFY(std::abs(band.mean[0] - 1.0 / 3) < 1e-12);
    QVERIFY(std::abs(band.std[0] - 0.115470053837925) < 1e-12);
    QCOMPARE(band.min[0], 0.2);
    QCOMPARE(band.max[0], 0.4);
    // At 2: 0.5, 0.7, 0.6 → mean 0.6, std 0.1.
    QVERIFY(std::abs(band.mean[1] - 0.6) < 1e-12);
    QVERIFY(std::abs(band.std[1] - 0.1) < 1e-12);
    // At 3: 0.7, 0.9, 0.8.
    QVERIFY(std::abs(band.mean[2] - 0.8) < 1e-12);
    QCOMPARE(band.n, (std::vector<int>{3, 3, 3}));

    // Only the range all runs cover; a NaN (a diverged step) is left out of its point.
    const auto partial = seriesBand({{0, 1, 2, 3}, {1, 2}}, {{9, 1, NAN, 5}, {3, 4}});
    QCOMPARE(partial.x, (std::vector<double>{1, 2}));
    QCOMPARE(partial.mean[0], 2.0);
    QCOMPARE(partial.n, (std::vector<int>{2, 1}));
    QCOMPARE(partial.mean[1], 4.0);
    QCOMPARE(partial.std[1], 0.0);
    QVERIFY(seriesBand({{1, 2}, {}}, {{1, 2}, {}}).x.empty());
  }

  void anySeriesAgainstAnyOther() {
    const MetricsColumns columns({"loss", "kl", "beta", "bleu"});
    auto row = [](const char* record, int epoch, std::int64_t step, std::vector<double> values) {
      MetricsRow r;
      r.record = record;
      r.epoch = epoch;
      r.step = step;
      r.elapsed_s = 0.5 * static_cast<double>(step);
      r.values = std::move(values);
      return r;
    };
    const std::vector<MetricsRow> rows = {
        row("train", 0, 1, {3.0, 0.1, 0.0, NAN}), row("train", 0, 2, {2.5, 0.4, 0.5, NAN}),
        row("eval", 0, 2, {NAN, NAN, NAN, 0.3}),  row("edit", 1, 2, {NAN, NAN, NAN, NAN}),
        row("train", 1, 3, {2.0, 0.2, 1.0, NAN}), row("train", 1, 4, {1.8, NAN, 0.0, NAN}),
        row("eval", 1, 4, {NAN, NAN, NAN, 0.6})};
    // KL against β: a point per train row with a KL; cyclical β goes back to 0.
    auto kl = seriesAgainst(rows, columns, "beta", "kl");
    QCOMPARE(kl.x, (std::vector<double>{0.0, 0.5, 1.0}));
    QCOMPARE(kl.y, (std::vector<double>{0.1, 0.4, 0.2}));
    // BLEU against β: eval rows take the β of the train row before them.
    auto bleu = seriesAgainst(rows, columns, "beta", "bleu");
    QCOMPARE(bleu.x, (std::vector<double>{0.5, 0.0}));
    QCOMPARE(bleu.y, (std::vector<double>{0.3, 0.6}));
    // The leading fields work on either axis.
    auto by_time = seriesAgainst(rows, columns, "elapsed_s", "loss");
    QCOMPARE(by_time.x, (std::vector<double>{0.5, 1.0, 1.5, 2.0}));
    auto steps = seriesAgainst(rows, columns, "kl", "step");
    QCOMPARE(steps.y, (std::vector<double>{1, 2, 2, 3, 4, 4}));  // edit rows give none
    QVERIFY(seriesAgainst(rows, columns, "nothing", "kl").x.empty());
    QCOMPARE(seriesNames(columns).front(), std::string("step"));
    QCOMPARE(seriesNames(columns).size(), size_t(7));
  }

  void hugeScoresDoNotOverflow() {
    // A run whose score is 1e200 (a diverged metric written as a number) squares to infinity
    // unless the scores are scaled first.
    const auto sweep = syntheticSweep(20);
    std::vector<double> score;
    for (size_t i = 0; i < sweep.lr.size(); ++i) score.push_back(1e200 * std::log10(sweep.lr[i]));
    score[3] = 1e308;
    const auto result = paramImportance(sweep.columns, score);
    QVERIFY2(std::isfinite(result.forest_r2), qPrintable(QString::number(result.forest_r2)));
    for (const auto& k : result.keys) QVERIFY(std::isfinite(k.importance));
  }

  void importanceIsDeterministic() {
    const auto sweep = syntheticSweep(20);
    const auto a = paramImportance(sweep.columns, sweep.lr);
    const auto b = paramImportance(sweep.columns, sweep.lr);
    for (size_t k = 0; k < a.keys.size(); ++k) {
      QCOMPARE(a.keys[k].key, b.keys[k].key);
      QVERIFY(std::abs(a.keys[k].importance - b.keys[k].importance) < 1e-9);
    }
  }
};

CVAE_TEST_GUILESS_MAIN(TestAnalysis);
#include "test_analysis.moc"
