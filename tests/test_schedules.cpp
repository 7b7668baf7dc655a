// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QtTest>

#include <cmath>
#include <limits>

#include <algorithm>

#include "TestRegistry.h"
#include "core/schedules/ScheduleSummary.h"
#include "core/schedules/Schedules.h"
#endif

using namespace cvae;

namespace {
KlAnnealingConfig kl(KlPolicy policy, double max_beta, int cycles, double ratio) {
  KlAnnealingConfig c;
  c.policy = policy;
  c.max_beta = max_beta;
  c.cycles = cycles;
  c.ratio = ratio;
  return c;
}
}  // namespace

class TestSchedules : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // The summaries against numbers worked out by hand for 10 epochs of 10 steps.
  void scheduleSummariesByHand() {
    auto config = cvae::ExperimentConfig::defaultsFor(cvae::ExperimentKind::Tense);
    config.kl.policy = cvae::KlPolicy::Monotonic;
    config.kl.ratio = 0.5;
    config.kl.max_beta = 1.0;
    config.kl.unit = cvae::ScheduleUnit::Iteration;
    config.train.epochs = 10;
    config.teacher_forcing = {1.0, 2, 0.1, 0.5};
    const cvae::RunLength run{10, 10};
    auto s = cvae::summarizeSchedules(config, run);
    // beta = t / 50 until step 50, then 1: (0 + ... + 49) / 50 + 50 ones over 100 steps.
    QCOMPARE(s.beta_warmup_end_epoch, 5.0);
    QCOMPARE(s.mean_beta, 0.745);
    QCOMPARE(s.beta_rises, 1);
    // 1 - 0.1 * (e - 2) reaches the floor 0.5 at epoch 7.
    QCOMPARE(s.teacher_forcing_floor_epoch, 7);
    QCOMPARE(s.final_teacher_forcing, 0.5);
    // Four cycles of 25 steps rising over 12.5: 1 from step 13 of each cycle.
    config.kl.policy = cvae::KlPolicy::Cyclical;
    config.kl.cycles = 4;
    s = cvae::summarizeSchedules(config, run);
    QCOMPARE(s.beta_warmup_end_epoch, 1.3);
    QCOMPARE(s.mean_beta, 4 * (78 / 12.5 + 12) / 100);
    QCOMPARE(s.beta_rises, 4);
    config.kl.policy = cvae::KlPolicy::Constant;
    config.teacher_forcing.decay = 0;
    s = cvae::summarizeSchedules(config, run);
    QCOMPARE(s.beta_warmup_end_epoch, -1.0);
    QCOMPARE(s.mean_beta, 1.0);
    QCOMPARE(s.beta_rises, 0);
    QCOMPARE(s.teacher_forcing_floor_epoch, -1);
    QCOMPARE(s.final_teacher_forcing, 1.0);
  }

  // A status.yaml edited to a huge step count: the summary ends (its loop over steps overflowed
  // and ran forever) and still finds where β reaches its top.
  void hugeRunLengthsAreSummarized() {
    auto config = cvae::ExperimentConfig::defaultsFor(cvae::ExperimentKind::Tense);
    config.kl.policy = cvae::KlPolicy::Monotonic;
    config.kl.ratio = 0.5;
    config.kl.unit = cvae::ScheduleUnit::Iteration;
    for (const cvae::RunLength run :
         {cvae::RunLength{1, std::numeric_limits<std::int64_t>::max()},
          cvae::RunLength{30, std::numeric_limits<std::int64_t>::max() / 7},
          cvae::RunLength{1000000, std::int64_t(1) << 40}}) {
      const auto s = cvae::summarizeSchedules(config, run);
      QVERIFY2(std::abs(s.beta_warmup_end_epoch - run.epochs * 0.5) <= 0.1 * run.epochs + 0.1,
               qPrintable(QString::number(s.beta_warmup_end_epoch)));
      QVERIFY(s.mean_beta > 0.7 && s.mean_beta < 0.8);
    }
  }

  void noneIsAlwaysZero() {
    const auto c = kl(KlPolicy::None, 1.0, 1, 0.5);
    for (int t : {0, 1, 50, 99, 100}) QCOMPARE(klBeta(c, t, 100), 0.0);
  }

  void constantIsAlwaysMax() {
    const auto c = kl(KlPolicy::Constant, 0.7, 1, 0.5);
    for (int t : {0, 1, 50, 100}) QCOMPARE(klBeta(c, t, 100), 0.7);
  }

  void monotonicRisesThenHolds() {
    const auto c = kl(KlPolicy::Monotonic, 2.0, 1, 0.25);
    QCOMPARE(klBeta(c, 0, 100), 0.0);   // first step
    QCOMPARE(klBeta(c, 10, 100), 0.8);  // 2 * (10/25)
    QCOMPARE(klBeta(c, 25, 100), 2.0);  // end of the rise
    QCOMPARE(klBeta(c, 99, 100), 2.0);  // last step holds
    QCOMPARE(klBeta(c, 100, 100), 2.0);
  }

  void monotonicWithRatioOneRisesOverTheWholeRun() {
    const auto c = kl(KlPolicy::Monotonic, 1.0, 1, 1.0);
    QCOMPARE(klBeta(c, 0, 10), 0.0);
    QCOMPARE(klBeta(c, 5, 10), 0.5);
    QCOMPARE(klBeta(c, 9, 10), 0.9);
  }

  void ratioZeroMeansNoRise() {
    QCOMPARE(klBeta(kl(KlPolicy::Monotonic, 1.0, 1, 0.0), 0, 10), 1.0);
    QCOMPARE(klBeta(kl(KlPolicy::Cyclical, 1.0, 2, 0.0), 5, 10), 1.0);
  }

  void cyclicalRestartsAtEveryCycleBoundary() {
    // 4 cycles over 100 steps: period 25, rising over the first half of each.
    const auto c = kl(KlPolicy::Cyclical, 1.0, 4, 0.5);
    QCOMPARE(klBeta(c, 0, 100), 0.0);
    QCOMPARE(klBeta(c, 6, 100), 6.0 / 12.5);
    QCOMPARE(klBeta(c, 12, 100), 12.0 / 12.5);
    QCOMPARE(klBeta(c, 13, 100), 1.0);
    QCOMPARE(klBeta(c, 24, 100), 1.0);  // last step of cycle 1 holds max
    for (int boundary : {25, 50, 75}) QCOMPARE(klBeta(c, boundary, 100), 0.0);
    QCOMPARE(klBeta(c, 99, 100), 1.0);  // last step of the run
  }

  // When the run is not a multiple of the cycles, every cycle still starts at exactly 0 on a
  // whole step and rises alike: the values of Fu et al.'s reference frange_cycle_linear.
  void cyclicalWithAPeriodThatIsNotAnInteger_data() {
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("cycles");
    QTest::addColumn<double>("ratio");
    QTest::addColumn<QVector<double>>("expected");
    // frange_cycle_linear(10, 0, 1, 3, 0.5): the epoch-unit example.
    QTest::newRow("10 steps, 3 cycles, ratio 0.5")
        << 10 << 3 << 0.5 << QVector<double>{0, .6, 1, 0, .6, 1, 0, .6, 1, 1};
    // frange_cycle_linear(10, 0, 1, 3, 1.0): steps of 0.3, restarting at 3 and 6.
    QTest::newRow("10 steps, 3 cycles, ratio 1")
        << 10 << 3 << 1.0 << QVector<double>{0, .3, .6, 0, .3, .6, 0, .3, .6, .9};
    // frange_cycle_linear(7, 0, 1, 2, 0.5): period 3.5, rise 1/1.75 per step, restart at 3.
    QTest::newRow("7 steps, 2 cycles, ratio 0.5")
        << 7 << 2 << 0.5 << QVector<double>{0, 1 / 1.75, 1, 0, 1 / 1.75, 1, 1};
    // frange_cycle_linear(11, 0, 1, 4, 0.5): period 2.75, restarts at 2, 5 and 8.
    QTest::newRow("11 steps, 4 cycles, ratio 0.5")
        << 11 << 4 << 0.5
        << QVector<double>{0, 1 / 1.375, 0, 1 / 1.375, 1, 0, 1 / 1.375, 1, 0, 1 / 1.375, 1};
  }
  void cyclicalWithAPeriodThatIsNotAnInteger() {
    QFETCH(int, steps);
    QFETCH(int, cycles);
    QFETCH(double, ratio);
    QFETCH(QVector<double>, expected);
    const auto c = kl(KlPolicy::Cyclical, 1.0, cycles, ratio);
    for (int t = 0; t < steps; ++t)
      QVERIFY2(qAbs(klBeta(c, t, steps) - expected[t]) < 1e-12,
               qPrintable(QString("step %1: %2, expected %3")
                              .arg(t)
                              .arg(klBeta(c, t, steps))
                              .arg(expected[t])));
  }

  // The same through the epoch unit, as the trainer asks for it.
  void cyclicalByEpochRestartsOnWholeEpochs() {
    auto c = kl(KlPolicy::Cyclical, 1.0, 3, 0.5);
    c.unit = ScheduleUnit::Epoch;
    const RunLength run{10, 7};
    const std::vector<double> expected = {0, .6, 1, 0, .6, 1, 0, .6, 1, 1};
    for (int epoch = 0; epoch < 10; ++epoch)
      for (int64_t i : {int64_t(0), int64_t(6)})
        QVERIFY(qAbs(klBeta(c, RunPosition{epoch, epoch * 7 + i}, run) - expected[epoch]) < 1e-12);
  }

  void singleCycleEqualsMonotonic() {
    const auto cyc = kl(KlPolicy::Cyclical, 1.0, 1, 0.3);
    const auto mono = kl(KlPolicy::Monotonic, 1.0, 1, 0.3);
    for (int t = 0; t < 50; ++t) QCOMPARE(klBeta(cyc, t, 50), klBeta(mono, t, 50));
  }

  void epochUnitChangesOncePerEpoch() {
    auto c = kl(KlPolicy::Monotonic, 1.0, 1, 1.0);
    c.unit = ScheduleUnit::Epoch;
    const RunLength run{4, 10};
    QCOMPARE(klBeta(c, RunPosition{0, 0}, run), 0.0);
    QCOMPARE(klBeta(c, RunPosition{0, 9}, run), 0.0);
    QCOMPARE(klBeta(c, RunPosition{1, 10}, run), 0.25);
    QCOMPARE(klBeta(c, RunPosition{3, 39}, run), 0.75);
    c.unit = ScheduleUnit::Iteration;
    QCOMPARE(klBeta(c, RunPosition{0, 9}, run), 9.0 / 40);
  }

  void teacherForcingDecaysAfterTheStartEpochDownToTheFloor() {
    const TeacherForcingConfig tf{1.0, 2, 0.25, 0.3};
    QCOMPARE(teacherForcingRatio(tf, 0), 1.0);
    QCOMPARE(teacherForcingRatio(tf, 2), 1.0);
    QCOMPARE(teacherForcingRatio(tf, 3), 0.75);
    QCOMPARE(teacherForcingRatio(tf, 4), 0.5);
    QCOMPARE(teacherForcingRatio(tf, 5), 0.3);  // 0.25 would be below the floor
    QCOMPARE(teacherForcingRatio(tf, 500), 0.3);
    // No decay: the ratio stays at its initial value whatever the (idle) floor.
    const TeacherForcingConfig flat{0.5, 0, 0.0, 0.8};
    QCOMPARE(teacherForcingRatio(flat, 0), 0.5);
    QCOMPARE(teacherForcingRatio(flat, 9), 0.5);
  }

  void teacherForcingWithoutDecayStaysPut() {
    QCOMPARE(teacherForcingRatio(TeacherForcingConfig{0.6, 0, 0.0, 0.0}, 1000), 0.6);
  }

  void learningRateSchedules() {
    OptimizerConfig o;
    o.learning_rate = 0.1;
    QCOMPARE(learningRate(o, 7, 10), 0.1);
    o.lr_schedule = "step";
    o.lr_step_epochs = 3;
    o.lr_gamma = 0.5;
    QCOMPARE(learningRate(o, 2, 10), 0.1);
    QCOMPARE(learningRate(o, 3, 10), 0.05);
    o.lr_schedule = "cosine";
    o.lr_min = 0.0;
    QCOMPARE(learningRate(o, 0, 11), 0.1);
    QVERIFY(qAbs(learningRate(o, 5, 11) - 0.05) < 1e-12);
    QVERIFY(qAbs(learningRate(o, 10, 11)) < 1e-12);
    // One epoch: no decay, the rate itself (a sweep over it trained every member at lr_min).
    QCOMPARE(learningRate(o, 0, 1), 0.1);
  }

  void planCoversTheWholeRunAndMatchesTheFunctions() {
    auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    config.train.epochs = 10;
    config.teacher_forcing = {1.0, 1, 0.1, 0.5};
    const RunLength run{10, 20};
    const auto curves = planSchedules(config, run, 10000);
    QCOMPARE(curves.beta.size(), size_t(200));
    QCOMPARE(curves.epoch.front(), 0.0);
    QCOMPARE(curves.epoch.back(), 199.0 / 20);
    for (size_t i = 0; i < curves.beta.size(); ++i) {
      QCOMPARE(curves.beta[i], klBeta(config.kl, RunPosition{int(i / 20), int64_t(i)}, run));
      QCOMPARE(curves.teacher_forcing[i], teacherForcingRatio(config.teacher_forcing, i / 20));
    }
    const auto thinned = planSchedules(config, run, 50);
    QCOMPARE(thinned.beta.size(), size_t(50));
    QCOMPARE(thinned.epoch.back(), 199.0 / 20);
  }

  void aPlanWithEditsFollowsEachScheduleFromItsStep() {
    // Monotonic β up to 1 over half the run; at step 57 (epoch 2) the user made it cyclical
    // with a cap of 0.5, at step 140 teacher forcing decays. Every sampled step takes the
    // schedules in force there, and the steps around each edit are sampled, so the jump shows.
    auto first = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    first.kl.policy = KlPolicy::Monotonic;
    first.kl.max_beta = 1.0;
    first.kl.ratio = 0.5;
    auto second = first;
    second.kl.policy = KlPolicy::Cyclical;
    second.kl.cycles = 4;
    second.kl.max_beta = 0.5;
    auto third = second;
    third.teacher_forcing = {1.0, 0, 0.25, 0.0};
    const RunLength run{10, 20};
    const std::vector<PlanSegment> segments = {{0, first}, {57, second}, {140, third}};
    auto inForce = [&](int64_t step) -> const ExperimentConfig& {
      return step >= 140 ? third : step >= 57 ? second : first;
    };
    const auto full = planSchedules(segments, run, 10000);
    QCOMPARE(full.beta.size(), size_t(200));
    for (size_t i = 0; i < full.beta.size(); ++i) {
      const auto step = static_cast<int64_t>(i);
      const RunPosition at{int(step / 20), step};
      QCOMPARE(full.epoch[i], step / 20.0);
      QCOMPARE(full.beta[i], klBeta(inForce(step).kl, at, run));
      QCOMPARE(full.teacher_forcing[i],
               teacherForcingRatio(inForce(step).teacher_forcing, at.epoch));
    }
    QVERIFY(full.beta[56] > 0.5);          // 56 / 100 of the monotonic rise
    QVERIFY(full.beta[57] <= 0.5 + 1e-9);  // capped from the edit on
    QCOMPARE(full.teacher_forcing[139], 1.0);
    QCOMPARE(full.teacher_forcing[140], 0.0);  // epoch 7 of a decay from epoch 0: the floor
    const auto thinned = planSchedules(segments, run, 20);
    for (double edge : {56.0, 57.0, 139.0, 140.0})
      QVERIFY2(
          std::find(thinned.epoch.begin(), thinned.epoch.end(), edge / 20) != thinned.epoch.end(),
          qPrintable(QString::number(edge)));
    QVERIFY(std::is_sorted(thinned.epoch.begin(), thinned.epoch.end()));
    QVERIFY(planSchedules(std::vector<PlanSegment>{}, run).beta.empty());
  }
};

CVAE_TEST_GUILESS_MAIN(TestSchedules);
#include "test_schedules.moc"
