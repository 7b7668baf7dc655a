// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <QTemporaryDir>
#include <QtTest>

#include <torch/optim/adam.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "ErrorOf.h"
#include "SameTensors.h"
#include "SharedData.h"
#include "TestRegistry.h"
#include "TextFiles.h"
#include "TinyData.h"
#include "core/config/ConfigIo.h"
#include "core/data/CharVocabulary.h"
#include "core/data/EditChannel.h"
#include "core/data/Lexicon.h"
#include "core/data/SpellingData.h"
#include "core/data/SpellingDataMaker.h"
#include "core/experiments/SpellingExperiment.h"
#include "core/models/SequenceLoss.h"
#include "core/models/SpellingSeq2Seq.h"
#include "core/training/CheckpointLoader.h"
#include "core/training/Trainer.h"
#endif

using namespace cvae;

namespace {

std::vector<std::string> targetsOf(const std::vector<SpellingEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.target);
  return out;
}

}  // namespace

class TestSpelling : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { at::set_num_threads(1); }

  void readsTheCourseFiles() {
    const QString train = sharedPath("data/spelling/train.json");
    const QString test = sharedPath("data/spelling/test.json");
    REQUIRE_SHARED_FILE(train);
    REQUIRE_SHARED_FILE(test);
    const auto entries = readSpellingFile(train.toStdString());
    QCOMPARE(entries.size(), size_t(7461));
    QCOMPARE(spellingPairs(entries).size(), size_t(12925));
    QCOMPARE(entries[0].target, std::string("america"));
    QCOMPARE(entries[0].inputs, (std::vector<std::string>{"ameraca", "amercia"}));
    QCOMPARE(spellingPairs(readSpellingFile(test.toStdString())).size(), size_t(50));
  }

  void badInputsNameTheFileAndEntry_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("malformed JSON") << "[{\"input\": [\"ab\"],\n \"target\": }]"
                                    << "bad.json:2:12: malformed JSON: unexpected '}'";
    // The parser's own exception id and second position are left out of every reason.
    QTest::newRow("missing comma in a list")
        << "[{\"input\": [\"ab\" \"ac\"], \"target\": \"ab\"}]"
        << "bad.json:1:21: malformed JSON: in a list: unexpected string literal; expected ']'";
    QTest::newRow("trailing comma") << "[{\"input\": [\"ab\"], \"target\": \"ab\"},]"
                                    << "bad.json:1:36: malformed JSON: unexpected ']'";
    QTest::newRow("missing colon")
        << "[{\"input\" [\"ab\"], \"target\": \"ab\"}]"
        << "bad.json:1:11: malformed JSON: after an object's key: unexpected '['; expected ':'";
    QTest::newRow("number too large") << "[{\"input\": [\"ab\"], \"target\": 1e400}]"
                                      << "bad.json:1:30: malformed JSON: number overflow";
    QTest::newRow("number too large, line 2")
        << "[{\"input\": [\"ab\"], \"target\": \"ab\", \"n\": 21e4},\n {\"x\": 1e400}]"
        << "bad.json:2:8: malformed JSON: number overflow";
    QTest::newRow("tense text lines") << "abandon abandons abandoning abandoned\n"
                                      << "bad.json:1:1: not JSON: a spelling file is a JSON list";
    QTest::newRow("blank lines then text") << "\n\n  wrong right\n"
                                           << "bad.json:3:3: not JSON: a spelling file";
    QTest::newRow("a byte-order mark alone") << "\xEF\xBB\xBF\n"
                                             << "bad.json: the file is empty";
    QTest::newRow("not a list") << "{\"input\": [\"ab\"], \"target\": \"ab\"}"
                                << "bad.json: expected a JSON list";
    QTest::newRow("no entries") << "[]"
                                << "bad.json: the file has no entries";
    QTest::newRow("entry not an object") << "[{\"input\": [\"ab\"], \"target\": \"ab\"}, 3]"
                                         << "bad.json: entry 2 must be an object, not number";
    QTest::newRow("missing target") << "[{\"input\": [\"ab\"]}]"
                                    << "bad.json: entry 1: key 'target' is missing";
    QTest::newRow("missing input") << "[{\"target\": \"ab\"}]"
                                   << "bad.json: entry 1: key 'input' is missing";
    QTest::newRow("input not a list") << "[{\"input\": \"ab\", \"target\": \"ab\"}]"
                                      << "bad.json: entry 1: key 'input' must be a list of words";
    QTest::newRow("empty input list") << "[{\"input\": [], \"target\": \"ab\"}]"
                                      << "bad.json: entry 1: key 'input' is an empty list";
    QTest::newRow("non-string input") << "[{\"input\": [\"ab\", 7], \"target\": \"ab\"}]"
                                      << "bad.json: entry 1: key 'input' item 2 must be a string";
    QTest::newRow("non-string target") << "[{\"input\": [\"ab\"], \"target\": null}]"
                                       << "bad.json: entry 1: key 'target' must be a string";
    QTest::newRow("character outside a-z")
        << "[{\"input\": [\"ab\"], \"target\": \"ab\"}, {\"input\": [\"Ab\"], \"target\": \"ab\"}]"
        << "bad.json: entry 2: key 'input' item 1: word 'Ab' has character 'A'";
    QTest::newRow("accented letter")
        << QString::fromUtf8("[{\"input\": [\"caf\xC3\xA9\"], \"target\": \"cafe\"}]")
        << QString::fromUtf8(
               "bad.json: entry 1: key 'input' item 1: word 'caf\xC3\xA9' has "
               "character '\xC3\xA9' (U+00E9) outside the vocabulary a-z");
    QTest::newRow("repeated target")
        << "[{\"input\": [\"ab\"], \"target\": \"ab\"},\n"
           " {\"input\": [\"ab\"], \"target\": \"ab\", \"target\": \"ba\"}]"
        << "bad.json: entry 2: key 'target' appears twice";
    QTest::newRow("repeated input")
        << "[{\"input\": [\"ab\"], \"input\": [\"ba\"], \"target\": \"ab\"}]"
        << "bad.json: entry 1: key 'input' appears twice";
    QTest::newRow("empty word") << "[{\"input\": [\"ab\"], \"target\": \"\"}]"
                                << "bad.json: entry 1: key 'target' is an empty word";
  }

  void badInputsNameTheFileAndEntry() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const auto path = writeText(dir, "bad.json", text.toStdString());
    const auto message = errorOf([&] { readSpellingFile(path); });
    const std::string want = dir.path().toStdString() + "/" + expected.toStdString();
    QVERIFY2(message.find(want) == 0, ("got: " + message + "\nwant: " + want).c_str());
  }

  // model.max_length bounds what the model reads and writes: training refuses a longer input
  // or target, naming its entry (a 50-million-letter input failed in a tensor allocation naming
  // no file).
  void wordsLongerThanTheModelWritesNameTheirEntry() {
    QTemporaryDir dir;
    const std::string w33(33, 'x');
    const auto input = writeText(dir, "input.json",
                                 "[{\"input\": [\"ab\"], \"target\": \"ab\"},\n"
                                 " {\"input\": [\"ab\", \"" +
                                     w33 + "\"], \"target\": \"ab\"}]");
    const auto entries = readSpellingFile(input);
    QVERIFY(errorOf([&] { checkSpellingWordLengths(entries, 33, input); }).empty());
    QVERIFY(errorOf([&] { checkSpellingWordLengths(entries, 0, input); }).empty());  // no bound
    QCOMPARE(errorOf([&] { checkSpellingWordLengths(entries, 32, input); }),
             input + ": entry 2: key 'input' item 2: word '" + w33 +
                 "' has 33 letters; this model writes words of at most 32 (model.max_length)");
    const auto target =
        writeText(dir, "target.json",
                  "[{\"input\": [\"ab\"], \"target\": \"" + std::string(5000, 'y') + "\"}]");
    QCOMPARE(errorOf([&] { checkSpellingWordLengths(readSpellingFile(target), 32, target); }),
             target + ": entry 1: key 'target': word '" + std::string(40, 'y') +
                 "…' has 5000 letters; this model writes words of at most 32 (model.max_length)");
  }

  // The parser quotes what it last read: an invalid byte among it is shown escaped.
  void anInvalidByteIsShownEscaped() {
    QTemporaryDir dir;
    const auto path = writeText(dir, "bad.json", "[{\"input\": [\"a\xFF\"], \"target\": \"a\"}]");
    const auto message = errorOf([&] { readSpellingFile(path); });
    QCOMPARE(message, path +
                          ":1:15: malformed JSON: invalid string: ill-formed UTF-8 byte; last "
                          "read: '\"a\\xFF'");
  }

  // The column counts characters, as an editor does: "é" is two bytes and one column.
  void jsonColumnsCountCharacters() {
    QTemporaryDir dir;
    const auto path =
        writeText(dir, "c.json", "[{\"input\": [\"\xC3\xA9t\xC3\xA9\"], \"target\": x}]");
    const auto message = errorOf([&] { readSpellingFile(path); });
    QVERIFY2(message.find(path + ":1:31: malformed JSON") == 0, message.c_str());
  }

  // A byte-order mark (Windows Notepad) is read as if absent.
  void byteOrderMarkIsSkipped() {
    QTemporaryDir dir;
    const auto path = writeText(
        dir, "bom.json", "\xEF\xBB\xBF[{\"input\": [\"recetion\"], \"target\": \"recession\"}]");
    const auto entries = readSpellingFile(path);
    QCOMPARE(entries.size(), size_t(1));
    QCOMPARE(entries[0].target, std::string("recession"));
  }

  void missingFileIsReported() {
    const auto message = errorOf([] { readSpellingFile("/nonexistent/train.json"); });
    QCOMPARE(message,
             std::string("/nonexistent/train.json: cannot open: No such file or directory"));
    // A folder, or an empty file, is said as what it is (it read as malformed JSON at 1:1).
    QTemporaryDir dir;
    QVERIFY(errorOf([&] {
              readSpellingFile(dir.path().toStdString());
            }).find(": a folder, not a file") != std::string::npos);
    const std::string empty = writeText(dir, "empty.json", "\n");
    QVERIFY(errorOf([&] { readSpellingFile(empty); }).find("empty.json: the file is empty") !=
            std::string::npos);
  }

  void writtenFilesReadBack() {
    QTemporaryDir dir;
    const auto path = dir.filePath("s.json").toStdString();
    writeSpellingFile(path, tinySpellingEntries());
    const auto back = readSpellingFile(path);
    QCOMPARE(back.size(), tinySpellingEntries().size());
    QCOMPARE(back[0].inputs, tinySpellingEntries()[0].inputs);
    QCOMPARE(targetsOf(back), targetsOf(tinySpellingEntries()));
  }

  void typoKindsDoWhatTheirNamesSay() {
    std::mt19937_64 rng(5);
    const std::string word = "separate";
    for (int i = 0; i < 50; ++i) {
      QCOMPARE(applyTypo(word, TypoKind::Drop, rng).size(), word.size() - 1);
      QCOMPARE(applyTypo(word, TypoKind::Double, rng).size(), word.size() + 1);
      auto swapped = applyTypo(word, TypoKind::Swap, rng);
      QCOMPARE(swapped.size(), word.size());
      QVERIFY(std::is_permutation(swapped.begin(), swapped.end(), word.begin()));
      for (auto kind : {TypoKind::KeyboardNeighbour, TypoKind::VowelConfusion}) {
        const auto typo = applyTypo(word, kind, rng);
        QCOMPARE(typo.size(), word.size());
        int changed = 0;
        for (size_t k = 0; k < word.size(); ++k) changed += typo[k] != word[k];
        QCOMPARE(changed, 1);
      }
    }
    QCOMPARE(applyTypo("xzz", TypoKind::VowelConfusion, rng), std::string("xzz"));
    QCOMPARE(applyTypo("rhythm", TypoKind::VowelConfusion, rng).size(), size_t(6));
    QCOMPARE(applyTypo("b", TypoKind::Swap, rng), std::string("b"));
  }

  void madeDataIsDeterministicWithHeldOutTargets() {
    if (!QFileInfo::exists("/usr/share/dict/american-english"))
      QSKIP("the wamerican word list is not installed (scripts/setup.sh installs it)");
    SpellingDataOptions options;
    options.train_targets = 400;
    options.test_targets = 30;
    const auto first = makeSpellingData(options);
    const auto second = makeSpellingData(options);
    QCOMPARE(targetsOf(first.train), targetsOf(second.train));
    QCOMPARE(spellingPairs(first.train).size(), spellingPairs(second.train).size());
    QVERIFY(first.train.size() >= 390);
    QCOMPARE(first.test.size(), size_t(30));
    const auto train_targets = targetsOf(first.train);
    const std::set<std::string> in_train(train_targets.begin(), train_targets.end());
    for (const auto& e : first.test) QVERIFY2(!in_train.count(e.target), e.target.c_str());
    size_t pairs = 0;
    for (const auto& p : spellingPairs(first.train)) {
      QVERIFY(p.input != p.target);
      QVERIFY(CharVocabulary::isValidWord(p.input));
      ++pairs;
    }
    QVERIFY(pairs > first.train.size());  // one to three misspellings per word
    options.seed = 12;
    QVERIFY(targetsOf(makeSpellingData(options).train) != train_targets);
  }

  void missingWordListIsReported() {
    SpellingDataOptions options;
    options.word_list = "/nonexistent/words";
    const auto message = errorOf([&] { makeSpellingData(options); });
    QVERIFY2(message.find("/nonexistent/words: cannot open") == 0, message.c_str());
  }

  void shapesThroughTheModel() {
    torch::manual_seed(0);
    for (const std::string cell : {"lstm", "gru"}) {
      for (const int variant : {0, 1, 2, 3, 6, 7}) {
        const bool bidirectional = variant & 1, attention = variant & 2, copy = variant & 4;
        SpellingSeq2Seq model(SpellingSeq2SeqOptions()
                                  .hidden_size(24)
                                  .cell(cell)
                                  .bidirectional(bidirectional)
                                  .attention(attention)
                                  .copy(copy));
        const auto source = WordBatch::fromWords({"abc", "de", "fghij"}, c10::kCPU);
        const auto target = WordBatch::fromWords({"abcd", "d", "fghi"}, c10::kCPU);
        const auto logits =
            model->forwardTraining(source, target, torch::tensor({true, false, true}));
        QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{5, 3, 28}));
        QCOMPARE(model->correct(source, 6).size(), size_t(3));
      }
    }
  }

  void wordDropoutActsOnlyInTraining() {
    torch::manual_seed(2);
    SpellingSeq2Seq model(SpellingSeq2SeqOptions().hidden_size(24).word_dropout(0.9));
    const auto source = WordBatch::fromWords({"abcdef", "ghijk"}, c10::kCPU);
    const auto forced = torch::tensor({true, true});
    torch::NoGradGuard no_grad;
    model->eval();
    const auto a = model->forwardTraining(source, source, forced);
    const auto b = model->forwardTraining(source, source, forced);
    QVERIFY(torch::equal(a, b));
    model->train();
    const auto dropped = model->forwardTraining(source, source, forced);
    QVERIFY(torch::equal(dropped[0], a[0]));  // SOS is never hidden
    QVERIFY(!torch::allclose(dropped, a));
  }

  void tinyModelOverfitsAFewPairs_data() {
    QTest::addColumn<bool>("attention");
    QTest::newRow("summary only") << false;
    QTest::newRow("attention") << true;
  }

  void tinyModelOverfitsAFewPairs() {
    QFETCH(bool, attention);  // with copying too, as the letter probabilities must hold there
    torch::manual_seed(1);
    SpellingSeq2Seq model(SpellingSeq2SeqOptions()
                              .embedding_size(16)
                              .hidden_size(64)
                              .bidirectional(true)
                              .attention(attention)
                              .copy(attention));
    const auto pairs = spellingPairs(tinySpellingEntries());
    std::vector<std::string> inputs, targets;
    for (const auto& p : pairs) {
      inputs.push_back(p.input);
      targets.push_back(p.target);
    }
    const auto source = WordBatch::fromWords(inputs, c10::kCPU);
    const auto target = WordBatch::fromWords(targets, c10::kCPU);
    const auto forced = torch::ones({source.size()}, torch::kBool);
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
    for (int step = 0; step < 200; ++step) {
      optimizer.zero_grad();
      sequenceCrossEntropy(model->forwardTraining(source, target, forced), target).backward();
      optimizer.step();
    }
    torch::NoGradGuard no_grad;
    model->eval();
    QCOMPARE(model->correct(source, 20), targets);
    // The letter probabilities' teacher-forced pass over the corrections sees what greedy
    // decoding saw: its most likely character at every step is the letter written (then EOS),
    // and the trained model is sure of each.
    const auto logits = model->forwardTraining(source, target, forced);
    const auto best = torch::softmax(logits.to(torch::kDouble), 2).max(2);
    const auto probabilities = targetProbabilities(logits, target);
    for (size_t b = 0; b < targets.size(); ++b) {
      QCOMPARE(probabilities[b].size(), targets[b].size() + 1);
      for (size_t t = 0; t < probabilities[b].size(); ++t) {
        const int64_t id = t < targets[b].size() ? 2 + (targets[b][t] - 'a') : 1;  // EOS is 1
        QCOMPARE(std::get<1>(best)[int64_t(t)][int64_t(b)].item<int64_t>(), id);
        QCOMPARE(probabilities[b][t], std::get<0>(best)[int64_t(t)][int64_t(b)].item<double>());
        QVERIFY(probabilities[b][t] > 0.5);
      }
    }
  }

  // What attention is for: copying letters of words never trained on. A tiny model learns to
  // copy 300 random words and is asked to copy 100 others; through the attention path it gets
  // most of them letter for letter, from the encoder's summary alone hardly any.
  void attentionCopiesWordsItNeverSaw() {
    std::mt19937_64 rng(3);
    const auto train = randomWords(rng, 300, 3, 7, 10), unseen = randomWords(rng, 100, 3, 7, 10);
    std::map<int, int> copied;  // 0: summary only, 1: attention, 2: attention and copying
    for (const int variant : {0, 1, 2}) {
      torch::manual_seed(4);
      SpellingSeq2Seq model(SpellingSeq2SeqOptions()
                                .embedding_size(12)
                                .hidden_size(32)
                                .bidirectional(true)
                                .attention(variant > 0)
                                .copy(variant == 2));
      torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
      const auto forced = torch::ones({50}, torch::kBool);
      for (int epoch = 0; epoch < 15; ++epoch)
        for (size_t first = 0; first < train.size(); first += 50) {
          const std::vector<std::string> part(train.begin() + first, train.begin() + first + 50);
          const auto words = WordBatch::fromWords(part, c10::kCPU);
          optimizer.zero_grad();
          sequenceCrossEntropy(model->forwardTraining(words, words, forced), words).backward();
          optimizer.step();
        }
      torch::NoGradGuard no_grad;
      model->eval();
      const auto out = model->correct(WordBatch::fromWords(unseen, c10::kCPU), 12);
      for (size_t i = 0; i < unseen.size(); ++i) copied[variant] += out[i] == unseen[i];
    }
    QVERIFY2(copied[1] >= 80 && copied[2] >= 80 && copied[0] <= 40,
             qPrintable(QString("copied %1 of 100 unseen words with attention, %2 also copying, "
                                "%3 without")
                            .arg(copied[1])
                            .arg(copied[2])
                            .arg(copied[0])));
  }

  // The attention masks each row's padding and the reverse direction starts at the row's own
  // end: a word decodes the same alone and in a batch with longer words.
  void attentionDoesNotReadThePadding() {
    torch::manual_seed(6);
    SpellingSeq2Seq model(
        SpellingSeq2SeqOptions().hidden_size(24).bidirectional(true).attention(true));
    torch::NoGradGuard no_grad;
    model->eval();
    const auto alone = model->correct(WordBatch::fromWords({"abc"}, c10::kCPU), 8);
    const auto batched =
        model->correct(WordBatch::fromWords({"abc", "qwertyuiopas", "de"}, c10::kCPU), 8);
    QCOMPARE(batched[0], alone[0]);
    const auto target = WordBatch::fromWords({"abcd"}, c10::kCPU);
    const auto logits_alone = model->forwardTraining(WordBatch::fromWords({"abc"}, c10::kCPU),
                                                     target, torch::ones({1}, torch::kBool));
    const auto logits_batched = model->forwardTraining(
        WordBatch::fromWords({"abc", "qwertyuiopas"}, c10::kCPU),
        WordBatch::fromWords({"abcd", "qwertyuiopas"}, c10::kCPU), torch::ones({2}, torch::kBool));
    QVERIFY(torch::allclose(logits_batched.narrow(0, 0, 5).select(1, 0), logits_alone.select(1, 0),
                            1e-5, 1e-5));
  }

  void lexiconKnowsItsWordsAndWhatMayFollowAPrefix() {
    Lexicon lexicon;
    QVERIFY(lexicon.add("cat") && lexicon.add("cats") && lexicon.add("cot") && lexicon.add("cat"));
    QVERIFY(!lexicon.add("") && !lexicon.add("Cat") && !lexicon.add("can't"));
    QCOMPARE(lexicon.size(), size_t(3));
    QVERIFY(lexicon.contains("cat") && lexicon.contains("cats") && !lexicon.contains("ca"));
    QVERIFY(!lexicon.contains("dog") && !lexicon.contains(""));
    const auto id = [](char c) { return CharVocabulary::kFirstLetter + (c - 'a'); };
    const int c = lexicon.child(Lexicon::kRoot, id('c')), ca = lexicon.child(c, id('a'));
    const int cat = lexicon.child(ca, id('t'));
    QVERIFY(c >= 0 && ca >= 0 && cat >= 0);
    QCOMPARE(lexicon.child(c, id('x')), -1);
    QVERIFY(!lexicon.allows(Lexicon::kRoot, CharVocabulary::kEos));  // no empty word
    QVERIFY(!lexicon.allows(ca, CharVocabulary::kEos) && lexicon.allows(cat, CharVocabulary::kEos));
    QVERIFY(lexicon.allows(cat, id('s')) && !lexicon.allows(cat, id('x')));
    QVERIFY(!lexicon.allows(cat, CharVocabulary::kSos));

    QTemporaryDir dir;
    // A proper noun is kept in lower case; an acronym, a possessive or an accent is skipped.
    const auto path =
        writeText(dir, "words", "Zurich\nzebra\r\nzebra's\n\nzest\nnaïve\nNASA\nZurich's\n");
    const auto list = Lexicon::fromWordList(path);
    QCOMPARE(list.size(), size_t(3));
    QVERIFY(list.contains("zebra") && list.contains("zest") && list.contains("zurich"));
    QVERIFY(!list.contains("nasa") && !list.contains("naive"));
    QVERIFY(errorOf([&] {
              Lexicon::fromWordList(dir.filePath("none").toStdString());
            }).find("none: cannot open the word list") != std::string::npos);
    const auto unusable = writeText(dir, "unusable", "NASA\nParis's\ncafé\n");
    QVERIFY(errorOf([&] { Lexicon::fromWordList(unusable); }).find("unusable: no word of") !=
            std::string::npos);
  }

  // The trie walk finds exactly the words that comparing with every word by editDistance
  // finds, with the same distances, on random words over a small alphabet (many near pairs).
  void lexiconFindsTheWordsWithinSoManyEdits() {
    // editDistance, the full table, is the reference, checked first on cases worked by hand.
    QCOMPARE(editDistance("teh", "the"), 1);  // a swap
    QCOMPARE(editDistance("ca", "abc"), 3);   // no substring edited twice (Damerau: 2)
    QCOMPARE(editDistance("", "abc"), 3);
    QCOMPARE(editDistance("kitten", "sitting"), 3);
    QCOMPARE(editDistance("abc", "abc"), 0);
    std::mt19937 rng(5);
    const auto randomWord = [&] {
      std::string w(1 + rng() % 7, 'a');
      for (auto& c : w) c = static_cast<char>('a' + rng() % 4);
      return w;
    };
    Lexicon lexicon;
    std::set<std::string> words;
    for (int i = 0; i < 400; ++i) {
      const auto w = randomWord();
      lexicon.add(w);
      words.insert(w);
    }
    int found_total = 0;
    for (int q = 0; q < 60; ++q) {
      const auto query = q == 0 ? std::string() : randomWord();
      for (int k = 0; k <= 3; ++k) {
        std::vector<std::pair<std::string, int>> expected, got;
        for (const auto& w : words)  // std::set: alphabetical, as the trie walk
          if (editDistance(query, w) <= k) expected.push_back({w, editDistance(query, w)});
        for (const auto& n : lexicon.within(query, k)) got.push_back({n.word, n.edits});
        QCOMPARE(got, expected);
        found_total += static_cast<int>(got.size());
      }
    }
    QVERIFY(found_total > 500);  // the comparison is not between empty lists

    Lexicon english;
    for (const auto* w : {"the", "then", "apple", "absolutely", "absolution", "tea"})
      english.add(w);
    const auto near = [&](const std::string& word, int k) {
      std::vector<std::string> out;
      for (const auto& n : english.within(word, k))
        out.push_back(n.word + ":" + std::to_string(n.edits));
      return out;
    };
    QCOMPARE(near("teh", 1), (std::vector<std::string>{"tea:1", "the:1"}));  // a swap: 1 edit
    QCOMPARE(near("teh", 2), (std::vector<std::string>{"tea:1", "the:1", "then:2"}));
    QCOMPARE(near("absolutly", 1), (std::vector<std::string>{"absolutely:1"}));
    QCOMPARE(near("absolutly", 2), (std::vector<std::string>{"absolutely:1"}));
    QCOMPARE(near("absolutly", 3), (std::vector<std::string>{"absolutely:1", "absolution:3"}));
    QCOMPARE(near("apple", 0), (std::vector<std::string>{"apple:0"}));
    QVERIFY(near("APPLE", 2).empty() && near("zzzzzz", 3).empty());
  }

  // The learned channel: untrained it is the edit distance; counted from pairs it makes the
  // slips the pairs make cheap and the others dear, on the scale of the average edit.
  void editChannelWeighsEditsAsThePairsMakeThem() {
    std::mt19937 rng(11);
    const auto randomWord = [&] {
      std::string w(rng() % 7, 'a');
      for (auto& c : w) c = static_cast<char>('a' + rng() % 4);
      return w;
    };
    const EditChannel uniform;
    const auto nothing = EditChannel::fromPairs({{"same", "same"}, {"far", "faraway"}});
    QCOMPARE(nothing.pairsCounted(), int64_t(0));  // identical, and more than 2 edits apart
    for (int k = 0; k < 300; ++k) {
      const auto a = randomWord(), b = randomWord();
      QCOMPARE(uniform.cost(a, b), static_cast<double>(editDistance(a, b)));
      QCOMPARE(nothing.cost(a, b), static_cast<double>(editDistance(a, b)));
    }

    // A doubled letter written once, a swapped "ie", e for a; and a few other slips.
    const std::vector<std::pair<std::string, std::string>> pairs{
        {"letter", "leter"},    {"butter", "buter"},      {"matter", "mater"},
        {"little", "litle"},    {"better", "beter"},      {"setting", "seting"},
        {"believe", "beleive"}, {"field", "feild"},       {"piece", "peice"},
        {"grammar", "grammer"}, {"calendar", "calender"}, {"separate", "seperate"},
        {"house", "hous"},      {"word", "wrd"},          {"cat", "cats"},
        {"dog", "dig"}};
    const auto channel = EditChannel::fromPairs(pairs);
    QCOMPARE(channel.pairsCounted(), int64_t(pairs.size()));
    QCOMPARE(channel.editsCounted(), int64_t(pairs.size()));
    // The pairs' own edits average one unit (an alignment cheaper than the counted one can
    // only lower a pair's cost).
    double total = 0;
    for (const auto& [intended, typed] : pairs) total += channel.cost(intended, typed);
    QVERIFY2(total / pairs.size() <= 1.0 + 1e-9 && total / pairs.size() > 0.5,
             std::to_string(total).c_str());
    // beter: "better" with a t dropped after a t (counted five times) is nearer than "beater"
    // (an a dropped after an e, never counted); uniformly both are one edit.
    QCOMPARE(editDistance("better", "beter"), editDistance("beater", "beter"));
    QVERIFY(channel.cost("better", "beter") < channel.cost("beater", "beter"));
    QVERIFY(channel.cost("better", "beter") < 1.0);
    QVERIFY(channel.cost("beater", "beter") > 1.0);
    // A swapped "ie" (counted three times) is cheaper than a swap never seen.
    QVERIFY(channel.cost("friend", "freind") < channel.cost("from", "form"));
    // e written for a (counted twice) against o written for a.
    QVERIFY(channel.cost("dollar", "doller") < channel.cost("dollar", "dollor"));
    // A word typed as intended costs what the pairs make it: none of these pairs is one, so
    // more than the average slip; pairs that often are make it cheap. Uniformly it is free.
    QCOMPARE(channel.cost("better", "better"), channel.keepCost());
    QVERIFY(channel.keepCost() > 1.0);
    auto with_kept = pairs;
    for (int k = 0; k < 40; ++k) with_kept.push_back({"kept", "kept"});
    QVERIFY(EditChannel::fromPairs(with_kept).keepCost() < 0.5);
    QCOMPARE(uniform.cost("better", "better"), 0.0);
    // Any slip costs something, characters outside a-z too.
    for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
             {"cafe", "caf\xc3\xa9"}, {"", "a"}, {"a", ""}, {"ab", "ba"}, {"x-ray", "xray"}})
      QVERIFY2(channel.cost(a, b) > 0 && std::isfinite(channel.cost(a, b)), (a + "/" + b).c_str());
    // Between different words it is a distance along the cheapest alignment: never above the
    // uniform distance times the dearest edit, never below it times the cheapest.
    for (int k = 0; k < 300; ++k) {
      const auto a = randomWord(), b = randomWord();
      if (a == b) continue;
      QVERIFY(channel.cost(a, b) <= 20.0 * editDistance(a, b));
      QVERIFY(channel.cost(a, b) >= 0.001 * editDistance(a, b));
    }
  }

  // Under a lexicon the greedy decoder writes only its words, even untrained; an experiment
  // with data.lexicon writes only the list's words and its training targets.
  void decodingUnderALexiconWritesOnlyItsWords() {
    {
      torch::manual_seed(12);
      SpellingSeq2Seq model(SpellingSeq2SeqOptions().hidden_size(24).bidirectional(true));
      model->eval();
      torch::NoGradGuard no_grad;
      Lexicon lexicon;
      for (const auto* w : {"apple", "apply", "banana", "band", "a"}) lexicon.add(w);
      const auto source = WordBatch::fromWords({"aple", "bnana", "xyz", "q", "applyy"}, c10::kCPU);
      for (const auto& word : model->correct(source, 12, &lexicon))
        QVERIFY2(lexicon.contains(word), word.c_str());
      // max_length cuts a word short only when the lexicon's words are longer than it.
      for (const auto& word : model->correct(source, 3, &lexicon))
        QVERIFY2(word == "a" || word.size() == 3, word.c_str());
    }

    QTemporaryDir dir;
    auto config = tinySpellingConfig(dir);
    config.data.lexicon = writeText(dir, "words", "tree\nhouse\n");
    TrainingObserver quiet;
    RunControl control;
    Trainer trainer(config, quiet, control);
    trainer.setRunDirectory(dir.filePath("run").toStdString());
    const auto result = trainer.run();
    QVERIFY2(result.status == RunStatus::Completed, result.message.c_str());
    auto loaded = loadExperimentFromCheckpoint(dir.filePath("run/last.pt").toStdString());
    auto& experiment = dynamic_cast<SpellingExperiment&>(*loaded.experiment);
    const auto evaluation = experiment.evaluate();
    QVERIFY2(evaluation.notes.back().find("lexicon (9 words") != std::string::npos,
             evaluation.notes.back().c_str());  // tree, house and the 7 training targets
    std::set<std::string> allowed{"tree", "house"};
    for (const auto& e : tinySpellingEntries()) allowed.insert(e.target);
    for (const auto& row : evaluation.previews[0].rows)
      QVERIFY2(allowed.count(row[2]), row[2].c_str());
    for (const auto* word : {"hous", "zzzz", "tre"})
      QVERIFY2(allowed.count(experiment.convert(word, "", "")), word);

    // The nearest search: each answer is a word of the lexicon within lexicon_edits edits of
    // the input, the one the model scores highest; greedy under the lexicon where none is near.
    config.model.lexicon_search = "nearest";
    config.model.lexicon_edits = 1;
    auto nearest =
        loadExperimentFromCheckpoint(dir.filePath("run/last.pt").toStdString(),
                                     {"model.lexicon_search=nearest", "model.lexicon_edits=1"});
    auto& ranked = dynamic_cast<SpellingExperiment&>(*nearest.experiment);
    QCOMPARE(ranked.convert("hous", "", ""), std::string("house"));   // the only word 1 edit away
    QCOMPARE(ranked.convert("houes", "", ""), std::string("house"));  // a swap
    QCOMPARE(ranked.convert("tree", "", ""), std::string("tree"));
    QVERIFY(allowed.count(ranked.convert("zzzz", "", "")));  // nothing near: greedy
    const auto corrected = ranked.correct({"juce", "hous", "zzzz", "dirven", "problam"});
    QCOMPARE(corrected[0], std::string("juice"));
    QCOMPARE(corrected[1], std::string("house"));
    QCOMPARE(corrected[3], std::string("driven"));
    QCOMPARE(corrected[4], std::string("problem"));
    QVERIFY(ranked.evaluate().notes.back().find("within 1 edit of the input ranked by the model") !=
            std::string::npos);

    // model.lexicon_trust 0: the free answer stands whenever it is a lexicon word, however far
    // (any probability is above 0); elsewhere the nearest search answers as before. The list
    // holds decoys one edit from misspellings whose trained targets lie two away, and a high
    // edit cost makes the plain search take the decoys.
    // A model trained long enough to write its training targets freely.
    auto longer = config;
    longer.model.lexicon_search = "greedy";
    longer.train.epochs = 60;
    longer.evaluation.every_epochs = 60;
    Trainer long_trainer(longer, quiet, control);
    long_trainer.setRunDirectory(dir.filePath("run60").toStdString());
    QVERIFY(long_trainer.run().status == RunStatus::Completed);
    const auto run = dir.filePath("run60/last.pt").toStdString();
    const std::string decoys = writeText(dir, "decoys", "tree\nhouse\nreception\ncompaid\n");
    const std::vector<std::string> probes{"recetion", "compair", "juce", "hous", "zzzz"};
    auto free_experiment = loadExperimentFromCheckpoint(run, {"data.lexicon="});
    const auto free_answers =
        dynamic_cast<SpellingExperiment&>(*free_experiment.experiment).correct(probes);
    auto correctWith = [&](const std::string& trust) {
      auto loaded = loadExperimentFromCheckpoint(
          run, {"data.lexicon=" + decoys, "model.lexicon_search=nearest", "model.lexicon_edits=1",
                "model.lexicon_edit_cost=100", "model.lexicon_trust=" + trust});
      return dynamic_cast<SpellingExperiment&>(*loaded.experiment).correct(probes);
    };
    const auto near_answers = correctWith("1"), trusted = correctWith("0");
    QCOMPARE(near_answers[0], std::string("reception"));
    QCOMPARE(near_answers[1], std::string("compaid"));
    std::set<std::string> listed{"tree", "house", "reception", "compaid"};
    for (const auto& e : tinySpellingEntries()) listed.insert(e.target);
    int overruled = 0;
    for (size_t i = 0; i < probes.size(); ++i) {
      if (probes[i] == "zzzz") continue;  // nothing near: greedy under the lexicon either way
      const bool stands = listed.count(free_answers[i]) > 0;
      QCOMPARE(trusted[i], stands ? free_answers[i] : near_answers[i]);
      overruled += trusted[i] != near_answers[i] ? 1 : 0;
    }
    QVERIFY2(overruled > 0, (free_answers[0] + " " + free_answers[1]).c_str());

    // data.common_words with a high model.rare_word_cost: of the words one edit from "hous"
    // (house, hours), the common one is written whatever the model prefers.
    const std::string words = writeText(dir, "words2", "tree\nhouse\nhours\n");
    for (const auto& [common, expected] : std::vector<std::pair<std::string, std::string>>{
             {"hours\n", "hours"}, {"house\n", "house"}}) {
      const std::string common_file = writeText(dir, "common", common);
      auto prior = loadExperimentFromCheckpoint(
          run,
          {"data.lexicon=" + words, "data.common_words=" + common_file,
           "model.lexicon_search=nearest", "model.lexicon_edits=1", "model.rare_word_cost=100"});
      QCOMPARE(dynamic_cast<SpellingExperiment&>(*prior.experiment).convert("hous", "", ""),
               expected);
    }
    // model.lexicon_channel learned: the training pairs drop a doubled l (localy), never write
    // r or x or t for l, so of two words one edit from "stil" (still, stir) the doubled one is
    // written whatever the model prefers; counting every edit alike, the model decides.
    const std::vector<std::pair<std::string, std::string>> doubled_or_not{
        {"stil", "still"}, {"wel", "well"}, {"bal", "ball"}, {"tol", "toll"},
        {"mil", "mill"},   {"hil", "hill"}, {"sel", "sell"}};
    const std::string pairs_words =
        writeText(dir, "words3",
                  "still\nstir\nwell\nwet\nball\nbar\ntoll\ntop\nmill\nmix\nhill\n"
                  "him\nsell\nset\n");
    auto answersWith = [&](const std::string& channel) {
      auto loaded = loadExperimentFromCheckpoint(
          run,
          {"data.lexicon=" + pairs_words, "model.lexicon_search=nearest", "model.lexicon_edits=1",
           "model.lexicon_edit_cost=100", "model.lexicon_channel=" + channel});
      std::vector<std::string> probes;
      for (const auto& p : doubled_or_not) probes.push_back(p.first);
      auto& spelling = dynamic_cast<SpellingExperiment&>(*loaded.experiment);
      return std::make_pair(spelling.correct(probes), spelling.evaluate().notes.back());
    };
    const auto [learned, learned_note] = answersWith("learned");
    const auto [counted, counted_note] = answersWith("uniform");
    int differ = 0;
    for (size_t i = 0; i < doubled_or_not.size(); ++i) {
      QCOMPARE(learned[i], doubled_or_not[i].second);
      differ += counted[i] != learned[i] ? 1 : 0;
    }
    QVERIFY(differ > 0);  // the channel, not the model, chose
    // Training pairs with nothing to count (each written right): the note says the channel
    // counts every edit alike.
    const std::string written_right = dir.filePath("right.json").toStdString();
    writeSpellingFile(written_right, {{{"tree", "house"}, "tree"}, {{"house"}, "house"}});
    auto right = loadExperimentFromCheckpoint(
        run, {"data.lexicon=" + pairs_words, "model.lexicon_search=nearest",
              "model.lexicon_channel=learned", "data.train=" + written_right});
    const auto right_note =
        dynamic_cast<SpellingExperiment&>(*right.experiment).evaluate().notes.back();
    QVERIFY2(right_note.find("every edit counts 1 (uniform)") != std::string::npos,
             right_note.c_str());
    QVERIFY2(
        learned_note.find(", each edit weighed as 8 training pairs make it") != std::string::npos &&
            counted_note.find("weighed") == std::string::npos,
        learned_note.c_str());

    const auto no_common = errorOf([&] {
      loadExperimentFromCheckpoint(run, {"data.common_words=" + dir.filePath("nope").toStdString(),
                                         "model.lexicon_search=nearest"});
    });
    QVERIFY2(no_common.find("data.common_words: ") == 0 &&
                 no_common.find("nope: cannot open") != std::string::npos,
             no_common.c_str());
    // An idle key's file is not opened: without a lexicon (or under greedy search) the common
    // words and the channel act nowhere, and a stale path there must not stop the run.
    for (const std::vector<std::string>& idle :
         {std::vector<std::string>{"data.lexicon=",
                                   "data.common_words=" + dir.filePath("nope").toStdString()},
          std::vector<std::string>{"model.lexicon_search=greedy",
                                   "data.common_words=" + dir.filePath("nope").toStdString()}}) {
      const auto idle_error = errorOf([&] { loadExperimentFromCheckpoint(run, idle); });
      QVERIFY2(idle_error.empty(), idle_error.c_str());
    }

    config.data.lexicon = dir.filePath("missing").toStdString();
    const auto message = errorOf([&] { SpellingExperiment broken(config, c10::kCPU); });
    QVERIFY2(message.find("data.lexicon: ") == 0 &&
                 message.find("missing: cannot open") != std::string::npos,
             message.c_str());
  }

  // log p(candidate | source) from one batch, each source encoded once, is the sum of the logs
  // of the probabilities each word gets when scored alone.
  void logLikelihoodOfCandidatesMatchesScoringEachAlone() {
    for (const bool attention : {false, true}) {
      torch::manual_seed(3);
      SpellingSeq2Seq model(
          SpellingSeq2SeqOptions().hidden_size(24).bidirectional(true).attention(attention));
      model->eval();
      torch::NoGradGuard no_grad;
      const std::vector<std::string> sources{"aple", "bnana"};
      const std::vector<std::string> candidates{"apple", "ample", "banana", "bandana", "a"};
      const std::vector<int64_t> rows{0, 0, 1, 1, 0};
      const auto batched =
          model->logLikelihood(WordBatch::fromWords(sources, c10::kCPU), torch::tensor(rows),
                               WordBatch::fromWords(candidates, c10::kCPU));
      QCOMPARE(batched.size(0), int64_t(5));
      for (size_t k = 0; k < candidates.size(); ++k) {
        const auto target = WordBatch::fromWords({candidates[k]}, c10::kCPU);
        const auto logits =
            model->forwardTraining(WordBatch::fromWords({sources[rows[k]]}, c10::kCPU), target,
                                   torch::ones({1}, torch::kBool));
        const auto probabilities = targetProbabilities(logits, target);
        double expected = 0;
        for (const double p : probabilities.front()) expected += std::log(p);
        QVERIFY2(std::abs(batched[static_cast<int64_t>(k)].item<double>() - expected) < 1e-4,
                 candidates[k].c_str());
      }
    }
  }

  void heldOutTargetsAreDisjointDeterministicAndKeepTheKeepList() {
    std::vector<SpellingEntry> entries;
    for (int i = 0; i < 200; ++i) {
      const std::string word =
          "w" + std::string(1, char('a' + i % 26)) + std::string(1, char('a' + i / 26)) + "x";
      entries.push_back({{word + "q"}, word});
      if (i % 3 == 0) entries.push_back({{word + "z", word + "y"}, word});  // a repeated target
    }
    const std::set<std::string> keep{entries[0].target, entries[5].target};
    const auto split = holdOutTargets(entries, 0.1, 7, keep);
    QCOMPARE(split.train.size() + split.held_out.size(), entries.size());
    std::set<std::string> held, trained;
    for (const auto& e : split.held_out) held.insert(e.target);
    for (const auto& e : split.train) trained.insert(e.target);
    QCOMPARE(held.size(), size_t(20));  // 10 % of the 200 distinct words
    for (const auto& t : held) QVERIFY2(!trained.count(t) && !keep.count(t), t.c_str());
    // Every entry of a held-out word went with it, in file order.
    for (size_t i = 1; i < split.held_out.size(); ++i) {
      const auto a = std::find_if(entries.begin(), entries.end(), [&](const SpellingEntry& e) {
        return e.inputs == split.held_out[i - 1].inputs;
      });
      const auto b = std::find_if(entries.begin(), entries.end(), [&](const SpellingEntry& e) {
        return e.inputs == split.held_out[i].inputs;
      });
      QVERIFY(a < b);
    }
    QCOMPARE(targetsOf(holdOutTargets(entries, 0.1, 7, keep).held_out), targetsOf(split.held_out));
    QVERIFY(targetsOf(holdOutTargets(entries, 0.1, 8, keep).held_out) != targetsOf(split.held_out));
    for (const double bad : {0.0, 1.0, -0.5, std::nan("")})
      QVERIFY_THROWS_EXCEPTION(std::invalid_argument, holdOutTargets(entries, bad, 7));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,  // rounds to no word at all
                             holdOutTargets(entries, 0.001, 7));
    // Each way a share leaves a part empty is said with its numbers.
    auto reason = [&](double share, const std::set<std::string>& kept) {
      try {
        holdOutTargets(entries, share, 7, kept);
      } catch (const std::invalid_argument& e) {
        return std::string(e.what());
      }
      return std::string();
    };
    QCOMPARE(reason(0.001, {}),
             std::string("a share of 0.001 of the 200 target words holds out none of them; give "
                         "a larger share"));
    QCOMPARE(reason(0.999, {}),
             std::string("a share of 0.999 of the 200 target words holds out all of them, "
                         "leaving no training words; give a smaller share"));
    QCOMPARE(reason(0.995, keep),
             std::string("a share of 0.995 of the 200 target words is 199 words, but only 198 "
                         "may be held out (2 are --keep targets, which stay in training); give a "
                         "smaller share"));
  }

  void presetLoadsAndRejectsKlKeys() {
    const auto preset = loadConfigFile(CVAE_SOURCE_DIR "/configs/spelling_seq2seq.yaml");
    QVERIFY(preset.kind == ExperimentKind::Spelling);
    QVERIFY(preset.model.bidirectional);
    QVERIFY(preset.model.attention);
    QCOMPARE(preset.data.lexicon, std::string("/usr/share/dict/american-english"));
    QCOMPARE(preset.model.lexicon_search, std::string("nearest"));
    QVERIFY(preset.model.lexicon_trust < 1 && preset.model.lexicon_edit_cost > 0);
    QCOMPARE(preset.model.lexicon_channel, std::string("learned"));
    const auto message = errorOf([] {
      loadConfigText("experiment: spelling\nkl_annealing:\n  policy: cyclical\n", "s.yaml", "/");
    });
    QVERIFY2(
        message.find("s.yaml:3:") == 0 && message.find("kl_annealing.policy") != std::string::npos,
        message.c_str());
    auto config =
        loadConfigText("experiment: spelling\nevaluation:\n  best_by: accuracy\n", "s.yaml", "/");
    QCOMPARE(config.evaluation.best_by, std::string("accuracy"));
    const auto gaussian = errorOf([] {
      loadConfigText("experiment: spelling\nevaluation:\n  best_by: gaussian\n", "s.yaml", "/");
    });
    QVERIFY2(gaussian.find("does not compute 'gaussian'") != std::string::npos, gaussian.c_str());
  }

  void trainingRunsAreRepeatableAndCheckpointsRoundTrip_data() {
    QTest::addColumn<bool>("attention");
    QTest::newRow("summary only") << false;
    QTest::newRow("attention") << true;
  }

  void trainingRunsAreRepeatableAndCheckpointsRoundTrip() {
    QFETCH(bool, attention);
    QTemporaryDir dir;
    auto config = tinySpellingConfig(dir);
    config.model.attention = attention;
    config.model.copy = attention;
    TrainingObserver quiet;
    RunControl control1, control2;
    Trainer first(config, quiet, control1);
    first.setRunDirectory(dir.filePath("a").toStdString());
    Trainer second(config, quiet, control2);
    second.setRunDirectory(dir.filePath("b").toStdString());
    QCOMPARE(first.run().status, RunStatus::Completed);
    QCOMPARE(second.run().status, RunStatus::Completed);
    auto a = loadExperimentFromCheckpoint(dir.filePath("a/last.pt").toStdString());
    auto b = loadExperimentFromCheckpoint(dir.filePath("b/last.pt").toStdString());
    auto pa = a.experiment->model().parameters(), pb = b.experiment->model().parameters();
    const auto difference = tensorListDifference(pa, pb);
    QVERIFY2(difference.empty(), difference.c_str());

    // Evaluation is deterministic and the same from both copies.
    torch::randn({3});
    const auto ea = a.experiment->evaluate();
    torch::randn({5});
    const auto eb = b.experiment->evaluate();
    QCOMPARE(ea.scores, eb.scores);
    QCOMPARE(ea.previews[0].rows, eb.previews[0].rows);
    QCOMPARE(ea.scores.size(), size_t(2));
    QVERIFY(ea.scores.count("bleu") && ea.scores.count("accuracy"));
    QCOMPARE(ea.previews[0].columns,
             (std::vector<std::string>{"input", "target", "prediction", "BLEU-4"}));

    // One word through convert equals that word decoded in the evaluation's batch (padding,
    // sorting by length and batching must not change a prediction).
    auto& converter = dynamic_cast<WordConverter&>(*a.experiment);
    QVERIFY(ea.previews[0].rows.size() >= 2);
    for (const auto& row : ea.previews[0].rows) QCOMPARE(converter.convert(row[0], "", ""), row[2]);
    QVERIFY(errorOf([&] { converter.convert("Juce", "", ""); }).find("'Juce'") == 0);
    for (const auto& row : ea.previews[0].rows) {
      const auto scored = converter.convertScored(row[0], "", "");
      QCOMPARE(scored.output, row[2]);
      QCOMPARE(scored.probabilities.size(), row[2].size() + 1);
    }
    QVERIFY(errorOf([&] { converter.convertScored("Juce", "", ""); }).find("'Juce'") == 0);
  }
};

CVAE_TEST_GUILESS_MAIN(TestSpelling);
#include "test_spelling.moc"
