// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QTemporaryDir>
#include <QtTest>

#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "ErrorOf.h"
#include "SameTensors.h"
#include "TestRegistry.h"
#include "TinyData.h"
#include "core/config/ConfigIo.h"
#include "core/data/CharVocabulary.h"
#include "core/experiments/TenseExperiment.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/metrics/GaussianScore.h"
#include "core/models/SequenceLoss.h"
#include "core/models/TenseCvae.h"
#include "core/training/Checkpoint.h"
#include "core/training/CheckpointLoader.h"
#include "core/training/LatentLog.h"
#include "core/training/Trainer.h"
#endif

using namespace cvae;

namespace {

// The small model most unit tests below build: 8-wide letter embeddings, 16 hidden units, 4
// latent dimensions, a 4-wide tense embedding.
TenseCvaeOptions smallOptions() {
  return TenseCvaeOptions().embedding_size(8).hidden_size(16).latent_size(4).condition_size(4);
}

}  // namespace

class TestTenseModel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { at::set_num_threads(1); }

  void shapesThroughTheModel() {
    torch::manual_seed(0);
    for (const std::string cell : {"lstm", "gru"}) {
      TenseCvae model(
          TenseCvaeOptions().hidden_size(32).latent_size(6).condition_size(4).cell(cell));
      const auto words = WordBatch::fromWords({"abc", "de", "fghij"}, c10::kCPU);
      const auto tenses = torch::tensor({0, 1, 3}, torch::kLong);
      const auto q = model->encode(words, tenses);
      QCOMPARE(q.mean.sizes().vec(), (std::vector<int64_t>{3, 6}));
      const auto mixed = torch::tensor({true, false, true});
      const auto logits = model->decodeForTraining(q.sample(), tenses, words, mixed);
      QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{6, 3, 28}));
      QCOMPARE(model->decodeGreedy(q.mean, tenses, 5).size(), size_t(3));
    }
  }

  void klFormulas() {
    // One example, two dimensions: KL_j = 0.5 * (mean^2 + exp(logvar) - 1 - logvar).
    DiagonalGaussian q{torch::tensor({{1.0, 0.0}}), torch::tensor({{0.0, std::log(0.5)}})};
    const double kl0 = 0.5, kl1 = 0.5 * (0.5 - 1 - std::log(0.5));
    QVERIFY(std::abs(klToStandardNormal(q).item<double>() - (kl0 + kl1)) < 1e-6);
    QVERIFY(std::abs(klWithFreeBits(q, 0.0).item<double>() - (kl0 + kl1)) < 1e-6);
    QVERIFY(std::abs(klWithFreeBits(q, 0.4).item<double>() - (kl0 + 0.4)) < 1e-6);
    DiagonalGaussian same{q.mean, q.logvar};
    QVERIFY(std::abs(klBetween(q, same).item<double>()) < 1e-9);
    DiagonalGaussian prior{torch::zeros({1, 2}), torch::zeros({1, 2})};
    QVERIFY(std::abs(klBetween(q, prior).item<double>() - (kl0 + kl1)) < 1e-6);
  }

  void latentActivityByHand() {
    // Four inputs, three dimensions, unit posterior variances (float32, as the models give).
    // Dimension 0's mean varies by ±1 (variance 1: active), 1's is the same for all (0: collapsed),
    // 2's varies by 0.05 around 0.05 (0.0025: below Burda et al.'s 0.01, inactive).
    DiagonalGaussian q{
        torch::tensor({{-1.0, 0.3, 0.0}, {1.0, 0.3, 0.1}, {-1.0, 0.3, 0.0}, {1.0, 0.3, 0.1}}),
        torch::zeros({4, 3})};
    const LatentActivity a = latentActivity(q);
    QCOMPARE(a.active_units, 1);
    QCOMPARE(a.kl.size(), size_t(3));
    // KL_j = mean over inputs of 0.5 · mean² (unit variance).
    QVERIFY(std::abs(a.kl[0] - 0.5) < 1e-6);
    QVERIFY(std::abs(a.kl[1] - 0.045) < 1e-6);
    QVERIFY(std::abs(a.kl[2] - 0.0025) < 1e-6);
    QVERIFY(std::abs(a.mean_variance[0] - 1.0) < 1e-6);
    QVERIFY(std::abs(a.mean_variance[1]) < 1e-6);
    QVERIFY(std::abs(a.mean_variance[2] - 0.0025) < 1e-6);
    QCOMPARE(latentActivity(q, 0.001).active_units, 2);  // the threshold decides
    // A posterior variance below 1 costs KL even with the mean at 0.
    DiagonalGaussian narrow{torch::zeros({2, 1}), torch::full({2, 1}, std::log(0.5))};
    QVERIFY(std::abs(latentActivity(narrow).kl[0] - 0.5 * (0.5 - 1 - std::log(0.5))) < 1e-6);
    QCOMPARE(latentActivity(narrow).active_units, 0);
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        latentActivity(DiagonalGaussian{torch::zeros({0, 3}), torch::zeros({0, 3})}));
  }

  void collapsedDimensionsOfAModelAreCounted() {
    // A tense CVAE whose posterior-mean head has dimensions 1 and 3 zeroed (weights and bias)
    // gives those dimensions the same mean for every word: 2 of 4 units stay active.
    torch::manual_seed(0);
    TenseCvae model(TenseCvaeOptions().hidden_size(32).latent_size(4).condition_size(4));
    torch::NoGradGuard no_grad;
    int zeroed = 0;
    for (auto& item : model->named_parameters()) {
      if (item.key().find("mean") == std::string::npos) continue;
      auto& p = item.value();
      if (p.dim() >= 1 && p.size(0) == 4) {
        p.index_put_({1}, 0.0);
        p.index_put_({3}, 0.0);
        ++zeroed;
      }
    }
    QVERIFY2(zeroed == 2, "expected the mean head's weight and bias");
    const auto words =
        WordBatch::fromWords({"abet", "zip", "wrapping", "hugged", "go", "sees"}, c10::kCPU);
    const auto q = model->encode(words, torch::tensor({0, 1, 2, 3, 0, 1}));
    const LatentActivity a = latentActivity(q, 1e-6);
    QCOMPARE(a.active_units, 2);
    QCOMPARE(a.mean_variance[1], 0.0);
    QCOMPARE(a.mean_variance[3], 0.0);
  }

  void collapseIsSaidOnceWhenItSetsIn() {
    LatentActivity active{{0.4, 0.2}, {0.5, 0.1}, 2, 0.01, {}, {}};
    LatentActivity collapsed{{0.001, 0.002}, {0.0, 0.0}, 0, 0.01, {}, {}};
    CollapseWatch watch;
    QVERIFY(!watch.update(active, 0, 0.1));
    const auto warning = watch.update(collapsed, 1, 0.7);
    QVERIFY(warning);
    QVERIFY2(warning->find("posterior collapse after epoch 2") != std::string::npos,
             warning->c_str());
    QVERIFY2(warning->find("KL 0.003 nats at β 0.7") != std::string::npos, warning->c_str());
    QVERIFY(warning->find("free bits") != std::string::npos);
    QVERIFY(!watch.update(collapsed, 2, 0.8));  // said once
    QVERIFY(!watch.update(active, 3, 0.0));
    QVERIFY(watch.update(collapsed, 4, 1.0));  // again after the units came back
    // The advice names only what the run does not do already.
    KlAnnealingConfig kl;
    kl.policy = KlPolicy::Cyclical;
    kl.free_bits = 2;
    CollapseWatch tuned(kl);
    const auto advice = tuned.update(collapsed, 0, 1.0);
    QVERIFY2(advice->find("try more free bits (kl_annealing.free_bits above 2) or a lower "
                          "kl_annealing.max_beta") != std::string::npos,
             advice->c_str());
    QVERIFY(advice->find("cyclical") == std::string::npos);
  }

  void encoderIgnoresPadding() {
    // A word's posterior must not depend on the longer words batched with it.
    torch::manual_seed(0);
    TenseCvae model(TenseCvaeOptions().hidden_size(32).latent_size(6).condition_size(4));
    torch::NoGradGuard no_grad;
    const auto alone = model->encode(WordBatch::fromWords({"ab"}, c10::kCPU), torch::tensor({2}));
    const auto batched =
        model->encode(WordBatch::fromWords({"abcdefgh", "ab"}, c10::kCPU), torch::tensor({0, 2}));
    QVERIFY(torch::allclose(alone.mean[0], batched.mean[1], 1e-5, 1e-6));
  }

  void tinyModelOverfitsEightWords() {
    torch::manual_seed(1);
    TenseCvae model(
        TenseCvaeOptions().embedding_size(16).hidden_size(64).latent_size(8).condition_size(4));
    std::vector<std::string> words;
    for (const auto& row : tinyTenseRows()) words.push_back(row[2]);
    const auto batch = WordBatch::fromWords(words, c10::kCPU);
    const auto tenses = torch::full({8}, 2, torch::kLong);
    const auto forced = torch::ones({8}, torch::kBool);
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
    namespace F = torch::nn::functional;
    for (int step = 0; step < 400; ++step) {  // 300 sufficed for some seeds only
      optimizer.zero_grad();
      const auto q = model->encode(batch, tenses);
      const auto logits = model->decodeForTraining(q.sample(), tenses, batch, forced);
      const auto ce = F::cross_entropy(logits.reshape({-1, 28}), batch.ids.reshape({-1}),
                                       F::CrossEntropyFuncOptions().reduction(torch::kNone));
      const auto loss =
          (ce.view_as(batch.ids) * batch.mask).sum() / 8 + 0.01 * klToStandardNormal(q);
      loss.backward();
      optimizer.step();
    }
    torch::NoGradGuard no_grad;
    const auto decoded = model->decodeGreedy(model->encode(batch, tenses).mean, tenses, 20);
    QCOMPARE(decoded, words);
  }

  void attentionPathIsUsedOnlyWhenOpen() {
    // With the path closed (or no memory: generation from the prior) the decoder is exactly
    // the z-only decoder; open, it reads the letters, and its weights learn from them.
    torch::manual_seed(7);
    TenseCvae model(smallOptions().attention(true));
    const auto source = WordBatch::fromWords({"abet", "go", "walking"}, c10::kCPU);
    const auto target = WordBatch::fromWords({"abetted", "went", "walks"}, c10::kCPU);
    const auto from = torch::tensor({0, 0, 2}, torch::kLong);
    const auto to = torch::tensor({3, 3, 1}, torch::kLong);
    AttentionMemory memory;
    const auto q = model->encode(source, from, &memory);
    QCOMPARE(memory.states.sizes(), (std::vector<int64_t>{8, 3, 16}));  // "walking" + EOS
    QCOMPARE(memory.valid.sum().item<int64_t>(), int64_t(5 + 3 + 8));
    // The encoder's summary is its state after each word's last letter (padding skipped).
    const auto plain = model->encode(source, from);
    QVERIFY(torch::allclose(q.mean, plain.mean, 1e-5, 1e-6));
    const auto forced = torch::ones({3}, torch::kBool);
    const auto without = model->decodeForTraining(q.mean, to, target, forced);
    memory.open = torch::tensor({0.f, 0.f, 0.f});
    QVERIFY(torch::equal(model->decodeForTraining(q.mean, to, target, forced, memory), without));
    memory.open = torch::tensor({1.f, 0.f, 1.f});
    const auto with = model->decodeForTraining(q.mean, to, target, forced, memory);
    QVERIFY(!torch::allclose(with.select(1, 0), without.select(1, 0)));
    QVERIFY(torch::equal(with.select(1, 1), without.select(1, 1)));  // closed row: unchanged
    with.sum().backward();
    bool attention_learns = false;
    for (const auto& p : model->named_parameters())
      if (p.key().find("attention_score") != std::string::npos)
        attention_learns =
            p.value().grad().defined() && p.value().grad().abs().sum().item<double>() > 0;
    QVERIFY(attention_learns);
    // Greedy decoding agrees with the teacher-forced path on what it reads: free-running rows
    // (teacher forcing 0) take the same memory.
    const auto free =
        model->decodeForTraining(q.mean, to, target, torch::zeros({3}, torch::kBool), memory);
    QCOMPARE(free.sizes(), with.sizes());
    // A model without attention has no attention weights: older checkpoints still load.
    TenseCvae plain_model(TenseCvaeOptions().embedding_size(8).hidden_size(16).latent_size(4));
    for (const auto& p : plain_model->named_parameters())
      QVERIFY2(p.key().find("attention") == std::string::npos, p.key().c_str());
  }

  void bidirectionalEncoderReadsTheLettersAfterEach() {
    // Each letter's attention state holds both directions: the reverse half at a letter has
    // read the word's end, so the same prefix in two words gets two states. The posterior reads
    // both final states, and a word's encoding does not depend on the words batched with it.
    // The encoder is half the decoder's width per direction (model.encoder_hidden_size).
    torch::manual_seed(4);
    TenseCvae model(smallOptions().encoder_hidden_size(8).attention(true).bidirectional(true));
    model->eval();
    torch::NoGradGuard no_grad;
    const auto tenses = torch::tensor({0, 0}, torch::kLong);
    AttentionMemory memory;
    const auto q =
        model->encode(WordBatch::fromWords({"drop", "dropping"}, c10::kCPU), tenses, &memory);
    QCOMPARE(memory.states.sizes(), (std::vector<int64_t>{9, 2, 16}));
    const auto forward = memory.states.slice(2, 0, 8), backward = memory.states.slice(2, 8);
    QVERIFY(torch::allclose(forward[1][0], forward[1][1]));  // "dr" read forwards: the same
    QVERIFY(!torch::allclose(backward[1][0], backward[1][1]));
    const auto alone =
        model->encode(WordBatch::fromWords({"drop"}, c10::kCPU), tenses.slice(0, 0, 1), nullptr);
    QVERIFY(torch::allclose(alone.mean[0], q.mean[0], 1e-5, 1e-6));
    QVERIFY(torch::allclose(alone.logvar[0], q.logvar[0], 1e-5, 1e-6));
  }

  void dropoutOnlyWhileTraining() {
    // model.dropout and model.word_dropout change the decoder's outputs in training only:
    // evaluation, conversion and generation are deterministic.
    torch::manual_seed(6);
    TenseCvae model(smallOptions().attention(true).copy(true).dropout(0.3).word_dropout(0.3));
    const auto source = WordBatch::fromWords({"abet", "walking"}, c10::kCPU);
    const auto target = WordBatch::fromWords({"abetted", "walks"}, c10::kCPU);
    const auto from = torch::tensor({0, 2}, torch::kLong), to = torch::tensor({3, 1}, torch::kLong);
    const auto forced = torch::ones({2}, torch::kBool);
    auto pass = [&] {
      AttentionMemory memory;
      const auto q = model->encode(source, from, &memory);
      return model->decodeForTraining(q.mean, to, target, forced, memory);
    };
    model->train();
    QVERIFY(!torch::allclose(pass(), pass()));
    model->eval();
    QVERIFY(torch::equal(pass(), pass()));
  }

  void copyingMixesTheAttentionIntoTheVocabulary() {
    // A pointer-generator's outputs are log-probabilities: a closed path (or none) writes from
    // the vocabulary alone, log_softmax of the plain decoder's logits; an open one moves
    // probability onto the source's letters and trains the gate.
    torch::manual_seed(9);
    TenseCvae model(smallOptions().attention(true).copy(true));
    const auto source = WordBatch::fromWords({"abet", "zzq"}, c10::kCPU);
    const auto target = WordBatch::fromWords({"abets", "zzq"}, c10::kCPU);
    const auto tenses = torch::tensor({0, 0}, torch::kLong);
    AttentionMemory memory;
    const auto q = model->encode(source, tenses, &memory);
    QVERIFY(torch::equal(memory.ids, source.ids));
    const auto forced = torch::ones({2}, torch::kBool);
    const auto without = model->decodeForTraining(q.mean, tenses, target, forced);
    QVERIFY(torch::allclose(without.exp().sum(2), torch::ones({6, 2}), 1e-5, 1e-5));
    memory.open = torch::tensor({0.f, 1.f});
    const auto mixed = model->decodeForTraining(q.mean, tenses, target, forced, memory);
    QVERIFY(torch::allclose(mixed.exp().sum(2), torch::ones({6, 2}), 1e-5, 1e-5));
    QVERIFY(torch::allclose(mixed.select(1, 0), without.select(1, 0), 1e-6, 1e-6));
    // Row 1 reads only z, q and the letter 'z' twice: its 'z' gains over the closed path.
    memory.open = torch::tensor({0.f, 0.f});
    const auto closed = model->decodeForTraining(q.mean, tenses, target, forced, memory);
    const int64_t z = CharVocabulary::kFirstLetter + ('z' - 'a');
    QVERIFY(
        (mixed.select(1, 1).select(1, z) > closed.select(1, 1).select(1, z)).all().item<bool>());
    mixed.sum().backward();
    bool gate_learns = false;
    for (const auto& p : model->named_parameters())
      if (p.key().find("copy_gate") != std::string::npos)
        gate_learns = p.value().grad().defined() && p.value().grad().abs().sum().item<double>() > 0;
    QVERIFY(gate_learns);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             CharDecoder(CharDecoderOptions().attention_size(0).copy(true)));
  }

  void latentDropGivesOpenRowsAPriorDraw() {
    // model.latent_drop 1 with every path open: each word is decoded from its letters and a z
    // drawn from N(0, I), so with beta 0 the posterior's mean head gets no gradient at all;
    // with latent_drop 0 it does. Without attention the option changes nothing.
    QTemporaryDir dir;
    auto gradientOfMeanHead = [&](bool attention, double latent_drop) {
      auto config = tinyTenseConfig(dir);
      config.model.attention = attention;
      config.model.attention_drop = 0.0;
      config.model.latent_drop = latent_drop;
      torch::manual_seed(11);
      TenseExperiment experiment(config, c10::kCPU);
      std::mt19937_64 rng(3);
      experiment.startEpoch(rng);
      StepSchedule schedule;
      schedule.beta = 0.0;
      experiment.trainStep(0, schedule, rng).total.backward();
      for (const auto& p : experiment.model().named_parameters())
        if (p.key() == "to_mean.weight") return p.value().grad().abs().sum().item<double>();
      return -1.0;
    };
    QCOMPARE(gradientOfMeanHead(true, 1.0), 0.0);
    QVERIFY(gradientOfMeanHead(true, 0.0) > 0);
    QVERIFY(gradientOfMeanHead(false, 1.0) > 0);
    QCOMPARE(gradientOfMeanHead(false, 1.0), gradientOfMeanHead(false, 0.0));
  }

  void letterProbabilitiesReadTheGreedyDecodersOwnSteps() {
    // convertScored's probabilities come from a teacher-forced pass over the greedy output. That
    // pass must see what greedy decoding saw: at every written letter its most likely character
    // is that letter, and the probability read there is that maximum; after the last one (for
    // words that ended before max_length) no letter is most likely, and EOS's probability is
    // read. Without the attention path, with it, and with it copying letters.
    // Variant 3 also reads the letters backwards (a bidirectional encoder).
    int ended = 0;
    for (int variant : {0, 1, 2, 3}) {
      const bool attention = variant > 0;
      torch::manual_seed(variant >= 2 ? 8 : attention ? 5 : 6);
      TenseCvae model(
          smallOptions().attention(attention).copy(variant >= 2).bidirectional(variant == 3));
      model->eval();
      torch::NoGradGuard no_grad;
      const auto source = WordBatch::fromWords({"abet", "go", "walking", "x"}, c10::kCPU);
      const auto from = torch::tensor({0, 0, 2, 1}, torch::kLong);
      const auto to = torch::tensor({2, 3, 1, 0}, torch::kLong);
      AttentionMemory memory;
      const auto q = model->encode(source, from, &memory);
      const int64_t max_length = 12;
      const auto written = model->decodeGreedy(q.mean, to, max_length, memory);
      const auto target = decodedWordBatch(written, c10::kCPU);  // a word may be empty
      const auto logits =
          model->decodeForTraining(q.mean, to, target, torch::ones({4}, torch::kBool), memory);
      const auto probabilities = targetProbabilities(logits, target);
      const auto best = torch::softmax(logits.to(torch::kDouble), 2).max(2);
      for (size_t b = 0; b < written.size(); ++b) {
        QCOMPARE(probabilities[b].size(), written[b].size() + 1);
        const bool cut = static_cast<int64_t>(written[b].size()) == max_length;
        ended += cut ? 0 : 1;
        for (size_t t = 0; t < written[b].size(); ++t) {
          const int64_t letter = CharVocabulary::kFirstLetter + (written[b][t] - 'a');
          QCOMPARE(std::get<1>(best)[int64_t(t)][int64_t(b)].item<int64_t>(), letter);
          QCOMPARE(probabilities[b][t], std::get<0>(best)[int64_t(t)][int64_t(b)].item<double>());
          QVERIFY(probabilities[b][t] > 0 && probabilities[b][t] <= 1);
        }
        if (cut) continue;  // greedy never asked for an end there
        // Greedy ended the word because no letter was most likely (EOS or SOS); the end's
        // probability is EOS's.
        const auto end = static_cast<int64_t>(written[b].size());
        QVERIFY(std::get<1>(best)[end][int64_t(b)].item<int64_t>() < CharVocabulary::kFirstLetter);
        const double eos =
            torch::softmax(logits.to(torch::kDouble), 2)[end][int64_t(b)][CharVocabulary::kEos]
                .item<double>();
        QCOMPARE(probabilities[b].back(), eos);
      }
    }
    QVERIFY2(ended >= 1, qPrintable(QString("%1 words ended before max_length").arg(ended)));
    // A decoder may end a word at once: scored, that word is EOS alone.
    const auto empty = decodedWordBatch({"", "ab"}, c10::kCPU);
    QCOMPARE(empty.lengths[0].item<int64_t>(), int64_t(1));
    QCOMPARE(empty.lengths[1].item<int64_t>(), int64_t(3));
    QCOMPARE(empty.ids[0][0].item<int64_t>(), CharVocabulary::kEos);
    QCOMPARE(empty.mask.sum(0)[0].item<int64_t>(), int64_t(1));
    QVERIFY(torch::equal(empty.ids.select(1, 1),
                         WordBatch::fromWords({"ab"}, c10::kCPU).ids.select(1, 0)));
  }

  void scoredConversionIsTheConversion() {
    // The experiment's convertScored writes what convert writes, one probability per letter
    // and one for the end; a model overfitted on the tiny rows is sure of its answers.
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.model.attention = true;
    config.model.attention_drop = 0.3;
    torch::manual_seed(12);
    TenseExperiment experiment(config, c10::kCPU);
    torch::optim::Adam optimizer(experiment.model().parameters(), torch::optim::AdamOptions(1e-2));
    std::mt19937_64 rng(1);
    for (int epoch = 0; epoch < 60; ++epoch) {
      experiment.startEpoch(rng);
      for (int64_t b = 0; b < experiment.batchesPerEpoch(); ++b) {
        optimizer.zero_grad();
        experiment.trainStep(b, StepSchedule{0.01, 1.0}, rng).total.backward();
        optimizer.step();
      }
    }
    int sure = 0;
    for (const auto& row : tinyTenseRows()) {
      const auto scored = experiment.convertScored(row[0], "sp", "pg");
      QCOMPARE(scored.output, experiment.convert(row[0], "sp", "pg"));
      QCOMPARE(scored.probabilities.size(), scored.output.size() + 1);
      if (scored.output == row[2] &&
          *std::min_element(scored.probabilities.begin(), scored.probabilities.end()) > 0.5)
        ++sure;
    }
    QVERIFY2(sure >= 6, qPrintable(QString("%1 of 8 converted surely").arg(sure)));
    const auto message = errorOf([&] { experiment.convertScored("Abet", "sp", "pg"); });
    QVERIFY2(message.find("not a lower-case a-z word") != std::string::npos, message.c_str());
  }

  void attentionCopiesLettersOfWordsItNeverSaw() {
    // Reconstruction (same tense in and out) of random 3-6 letter strings: through the
    // attention path a tiny model copies strings it never saw; from z alone (4 dimensions) it
    // cannot. The path is what issue 18's unseen verbs need.
    torch::manual_seed(11);
    std::mt19937 rng(3);
    const auto held_out = randomWords(rng, 64, 3, 6, 26);
    TenseCvae model(TenseCvaeOptions()
                        .embedding_size(16)
                        .hidden_size(64)
                        .latent_size(4)
                        .condition_size(4)
                        .attention(true));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
    const auto tenses = torch::zeros({64}, torch::kLong);
    const auto forced = torch::ones({64}, torch::kBool);
    for (int step = 0; step < 300; ++step) {
      const auto batch = WordBatch::fromWords(randomWords(rng, 64, 3, 6, 26), c10::kCPU);
      AttentionMemory memory;
      const auto q = model->encode(batch, tenses, &memory);
      const auto logits = model->decodeForTraining(q.mean, tenses, batch, forced, memory);
      optimizer.zero_grad();
      sequenceCrossEntropy(logits, batch).backward();
      optimizer.step();
    }
    torch::NoGradGuard no_grad;
    model->eval();
    const auto batch = WordBatch::fromWords(held_out, c10::kCPU);
    AttentionMemory memory;
    const auto q = model->encode(batch, tenses, &memory);
    const auto copied = model->decodeGreedy(q.mean, tenses, 12, memory);
    const auto from_z = model->decodeGreedy(q.mean, tenses, 12);
    int exact = 0, exact_from_z = 0;
    for (size_t i = 0; i < held_out.size(); ++i) {
      exact += copied[i] == held_out[i];
      exact_from_z += from_z[i] == held_out[i];
    }
    qInfo("held-out strings copied exactly: %d of 64 with the path, %d from z alone", exact,
          exact_from_z);
    QVERIFY2(exact >= 48, qPrintable(QString::number(exact)));
    QVERIFY(exact_from_z < 16);
  }

  void checkpointRoundTripGivesIdenticalOutputs() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    torch::manual_seed(3);
    TenseExperiment original(config, c10::kCPU);
    const std::string path = dir.filePath("c.pt").toStdString();
    CheckpointInfo info;
    info.epoch = 2;
    info.step = 17;
    info.config_yaml = configToYaml(config);
    info.scores = {{"bleu", 0.5}};
    saveCheckpoint(path, original.model(), nullptr, info);

    const auto loaded = loadExperimentFromCheckpoint(path);
    QCOMPARE(loaded.info.step, int64_t(17));
    QCOMPARE(loaded.info.scores.at("bleu"), 0.5);
    QVERIFY(loaded.config == config);
    auto& copy = dynamic_cast<TenseExperiment&>(*loaded.experiment);
    const auto a = original.evaluate(), b = copy.evaluate();
    QCOMPARE(a.scores, b.scores);
    QCOMPARE(a.previews[0].rows, b.previews[0].rows);
    QCOMPARE(a.previews[1].rows, b.previews[1].rows);
    auto pa = original.model().parameters(), pb = copy.model().parameters();
    const auto difference = tensorListDifference(pa, pb);
    QVERIFY2(difference.empty(), difference.c_str());
  }

  void interpolationEndsAtEachWordsOwnDecoding() {
    // z_0 is A's posterior mean and z_1 B's, exactly: the end rows are what `convert` gives
    // each word in every tense; the rows between are decoded from points in between.
    QTemporaryDir dir;
    torch::manual_seed(5);
    TenseExperiment experiment(tinyTenseConfig(dir), c10::kCPU);
    const auto rows = experiment.interpolate("abet", "went", "p", 4);
    QCOMPARE(rows.size(), size_t(4));
    QCOMPARE(rows.front()[0], std::string("0.00"));
    QCOMPARE(rows[1][0], std::string("0.33"));
    QCOMPARE(rows.back()[0], std::string("1.00"));
    const char* tenses[] = {"sp", "tp", "pg", "p"};
    for (int c = 0; c < 4; ++c) {
      QCOMPARE(rows.front()[1 + c], experiment.convert("abet", "p", tenses[c]));
      QCOMPARE(rows.back()[1 + c], experiment.convert("went", "p", tenses[c]));
    }
    QVERIFY_THROWS_EXCEPTION(InputError, experiment.interpolate("abet", "Went", "p", 4));
    QVERIFY_THROWS_EXCEPTION(InputError, experiment.interpolate("abet", "went", "x", 4));
    QVERIFY_THROWS_EXCEPTION(InputError, experiment.interpolate("abet", "went", "p", 1));
    // Longer than the model writes (model.max_length, 32 by default): refused, not cut short.
    const std::string long_word(40, 'a');
    try {
      experiment.convert(long_word, "sp", "p");
      QFAIL("a 40-letter word was converted");
    } catch (const InputError& e) {
      QVERIFY2(std::string(e.what()).find("has 40 letters; this model writes words of at most "
                                          "32 (model.max_length)") != std::string::npos,
               e.what());
    }
    QVERIFY_THROWS_EXCEPTION(InputError, experiment.interpolate(long_word, "went", "p", 3));
    experiment.convert(std::string(32, 'a'), "sp", "sp");  // at the limit: converted
    // The collapse watch's table: one row per latent dimension.
    const auto evaluation = experiment.evaluate();
    QCOMPARE(evaluation.previews.size(), size_t(3));
    QCOMPARE(evaluation.previews[2].title, std::string("Latent units"));
    QCOMPARE(evaluation.previews[2].rows.size(), size_t(8));
    QVERIFY(evaluation.latent.has_value());
    QCOMPARE(evaluation.latent->kl.size(), size_t(8));
  }

  void evaluationIsDeterministic() {
    QTemporaryDir dir;
    torch::manual_seed(4);
    TenseExperiment experiment(tinyTenseConfig(dir), c10::kCPU);
    torch::randn({5});  // disturb the global generator between the two evaluations
    const auto first = experiment.evaluate();
    torch::randn({7});
    const auto second = experiment.evaluate();
    QCOMPARE(first.scores, second.scores);
    QCOMPARE(first.previews[1].rows, second.previews[1].rows);
  }

  void gaussianScoreIsTheMeanOverSamplingSeeds() {
    // A training set made of what an untrained model generates: all of seed 43's draws and
    // half of seed 44's are rows of it, so the three sampling seeds score 1, 0.6 and 0 (one
    // more of seed 44's draws decodes to a row),
    // and a score that reused one seed, or kept only the first, is seen.
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.seed = 42;
    torch::manual_seed(6);
    TenseExperiment untrained(config, c10::kCPU);
    const std::string path = dir.filePath("c.pt").toStdString();
    CheckpointInfo info;
    info.config_yaml = configToYaml(config);
    saveCheckpoint(path, untrained.model(), nullptr, info);
    std::vector<TenseTuple> rows;
    auto add = [&](const TupleGenerator::Generated& sample, size_t count) {
      for (size_t i = 0; i < count; ++i) {
        const auto& r = sample.rows[i];
        rows.push_back({r[0], r[1], r[2], r[3]});
      }
    };
    add(untrained.generate(10, 43), 10);
    add(untrained.generate(10, 44), 5);
    const std::string train = dir.filePath("generated.txt").toStdString();
    writeTenseTrainingFile(train, rows);

    auto loaded =
        loadExperimentFromCheckpoint(path, {"data.train=" + train, "evaluation.gaussian_seeds=3"});
    auto& experiment = dynamic_cast<TenseExperiment&>(*loaded.experiment);
    std::vector<double> expected;
    for (std::uint64_t seed : {43, 44, 45}) {
      const auto sample = experiment.generate(10, seed);
      expected.push_back(std::count(sample.known.begin(), sample.known.end(), true) / 10.0);
    }
    const auto evaluation = experiment.evaluate();
    const double mean = (expected[0] + expected[1] + expected[2]) / 3;
    QCOMPARE(evaluation.scores.at("gaussian"), mean);
    const MeanStd& spread = evaluation.spread.at("gaussian");
    QCOMPARE(spread.n, 3);
    QCOMPARE(spread.min, *std::min_element(expected.begin(), expected.end()));
    QCOMPARE(spread.max, *std::max_element(expected.begin(), expected.end()));
    double squares = 0;
    for (double e : expected) squares += (e - mean) * (e - mean);
    QCOMPARE(spread.std, std::sqrt(squares / 2));
    QVERIFY(spread.std > 0.1);
    QVERIFY2(evaluation.notes.back().find("mean of 3 sampling seeds, sd ") != std::string::npos,
             evaluation.notes.back().c_str());
    // How many different training rows the draws hit, per seed on average.
    double distinct = 0, hits = 0;
    for (std::uint64_t seed : {43, 44, 45}) {
      std::vector<TenseTuple> tuples;
      for (const auto& r : experiment.generate(10, seed).rows)
        tuples.push_back({r[0], r[1], r[2], r[3]});
      distinct += distinctTrainingRows(tuples, rows);
      hits += gaussianScore(tuples, rows) * 10;
    }
    QVERIFY2(
        evaluation.notes.back().find("; " + formatFixed(distinct / 3, 1) +
                                     " different training rows per 10 draws") != std::string::npos,
        evaluation.notes.back().c_str());
    QCOMPARE(evaluation.notes.back().find("overstates") != std::string::npos,
             distinct < 0.5 * hits);
    // One seed is the course's single sample of gaussian_samples draws (seed train.seed + 1).
    auto single =
        loadExperimentFromCheckpoint(path, {"data.train=" + train, "evaluation.gaussian_seeds=1"});
    const auto one = single.experiment->evaluate();
    QCOMPARE(one.scores.at("gaussian"), expected[0]);
    QCOMPARE(one.spread.at("gaussian").std, 0.0);
  }

  // generate -n prints the rows a chunk at a time as they are decoded (a million draws printed
  // nothing for minutes): the chunks, in order, are the rows of one generate().
  void generatedRowsComeInChunksInOrder() {
    QTemporaryDir dir;
    torch::manual_seed(6);
    TenseExperiment untrained(tinyTenseConfig(dir), c10::kCPU);
    const auto whole = untrained.generate(5000, 7);
    std::vector<size_t> sizes;
    TupleGenerator::Generated joined;
    untrained.generateInChunks(5000, 7, [&](TupleGenerator::Generated chunk) {
      sizes.push_back(chunk.rows.size());
      joined.rows.insert(joined.rows.end(), chunk.rows.begin(), chunk.rows.end());
      joined.known.insert(joined.known.end(), chunk.known.begin(), chunk.known.end());
    });
    QCOMPARE(sizes, (std::vector<size_t>{4096, 904}));
    QVERIFY(joined.rows == whole.rows);
    QVERIFY(joined.known == whole.known);
  }

  void badCheckpointsAreReported() {
    QTemporaryDir dir;
    const auto path = dir.filePath("junk.pt").toStdString();
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::WriteOnly);
    f.write("not a checkpoint");
    f.close();
    const auto message = errorOf([&] { readCheckpointInfo(path); });
    QVERIFY2(message.find(path + ": not a") == 0, message.c_str());
  }

  void sameSeedGivesTheSameRun() {
    QTemporaryDir dir;
    auto config = tinyTenseConfig(dir);
    config.train.epochs = 2;
    TrainingObserver quiet;
    RunControl control1, control2;
    Trainer first(config, quiet, control1);
    first.setRunDirectory(dir.filePath("a").toStdString());
    Trainer second(config, quiet, control2);
    second.setRunDirectory(dir.filePath("b").toStdString());
    QCOMPARE(first.run().status, RunStatus::Completed);
    QCOMPARE(second.run().status, RunStatus::Completed);
    const auto a = loadExperimentFromCheckpoint(dir.filePath("a/last.pt").toStdString());
    const auto b = loadExperimentFromCheckpoint(dir.filePath("b/last.pt").toStdString());
    auto pa = a.experiment->model().parameters(), pb = b.experiment->model().parameters();
    const auto difference = tensorListDifference(pa, pb);
    QVERIFY2(difference.empty(), difference.c_str());
  }
};

CVAE_TEST_GUILESS_MAIN(TestTenseModel);
#include "test_tense_model.moc"
