#include <cstdio>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigError.h"
#include "core/data/SpellingData.h"
#include "core/data/TenseDataMaker.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/io/FilePaths.h"

namespace cvae::cli {

Command makeDataCommand() {
  return {"make-data",
          "make-data tense|spelling|pushing --out DIR [--size N|--sequences N] [--overwrite]",
          "write an experiment's embedded default data set in the course format; --size: "
          "training rows (tense), target words (spelling); --sequences: training sequences "
          "(pushing; validate and test keep 50 each)",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--out", "--size", "--sequences"}, {"--overwrite"});
            a.expectPositionals({"EXPERIMENT"});
            const std::string name = a.positional(0, "EXPERIMENT");
            if (!a.has("--out")) throw InputError("missing --out DIR");
            for (const auto& entry : experimentRegistry()) {
              if (toString(entry.kind) != name && entry.data_name != name) continue;
              // --size: training rows (tense), target words (spelling); --sequences: training
              // sequences (pushing). The other one is refused, not silently taken for it.
              const std::string& option = entry.data_size_option;
              for (const char* other : {"--size", "--sequences"})
                if (option != other && a.has(other))
                  throw InputError(std::string(other) + ": " + entry.data_name +
                                   " data is sized with " + option + " (" + entry.data_size_unit +
                                   ")");
              const int size = a.intValue(option, 0, 1, 10000000);
              // Runs read their data by path: replacing a data set under them would make a
              // resumed run train on other data without a word.
              const auto out = std::filesystem::path(a.value("--out"));
              if (const std::string blocker = blockerAlongPath((out / entry.train_file).string());
                  !blocker.empty())
                throw InputError("--out " + out.string() + ": " + blocker);
              std::error_code ec;
              if (!a.has("--overwrite") && (std::filesystem::exists(out / entry.train_file, ec) ||
                                            std::filesystem::exists(out / entry.test_file, ec)))
                throw InputError((out / entry.train_file).string() +
                                 ": a data set is there already; pass --overwrite to replace it "
                                 "(runs that read it would then train on the new data)");
              makeDefaultData(
                  entry.kind, a.value("--out"),
                  [](const std::string& m) { std::printf("%s\n", m.c_str()); }, size);
              return 0;
            }
            std::string known;
            for (const auto& entry : experimentRegistry())
              known += (known.empty() ? "" : ", ") + entry.data_name;
            throw InputError("no data maker for '" + name + "' (known: " + known + ")");
          }};
}

Command unseenVerbsCommand() {
  return {"unseen-verbs", "unseen-verbs TRAIN_FILE --out FILE [-n N] [--overwrite]",
          "write N tense conversion pairs (test.txt format) of WordNet verbs TRAIN_FILE lacks",
          [](const std::vector<std::string>& args) {
            // A dev set for the question a user asks of `convert`: does the model inflect a
            // verb it never saw? Scored with `evaluate CHECKPOINT --test FILE`.
            Arguments a(args, {"--out", "-n"}, {"--overwrite"});
            a.expectPositionals({"TRAIN_FILE"});
            if (!a.has("--out")) throw InputError("missing --out FILE");
            const int n = a.intValue("-n", 200, 1, 100000);
            const std::string out = a.value("--out");
            checkOutputFile(out, "--out", a.has("--overwrite"), {a.positional(0, "TRAIN_FILE")});
            const auto known = readTenseTrainingFile(a.positional(0, "TRAIN_FILE"));
            const auto unseen = makeUnseenTensePairs(known, n);
            writeTenseTestFile(out, unseen.pairs);
            std::printf(
                "wrote %s: %zu pairs of verbs none of whose forms is in %s (%d of them "
                "irregular), cycling through the course's ten tense pairs\n",
                out.c_str(), unseen.pairs.size(), a.positional(0, "TRAIN_FILE").c_str(),
                unseen.irregular);
            if (static_cast<int>(unseen.pairs.size()) < n)
              std::printf("note: WordNet has only %zu such verbs\n", unseen.pairs.size());
            return 0;
          }};
}

Command heldOutWordsCommand() {
  return {"held-out-words",
          "held-out-words TRAIN_JSON --train-out FILE --dev-out FILE [--share S] [--seed N] "
          "[--keep TEST_JSON] [--overwrite]",
          "split a spelling train.json by target word into a training part and a dev set of "
          "words it lacks",
          [](const std::vector<std::string>& args) {
            // The spelling model's question on new words: does it correct a word it never
            // trained on? Every misspelling of a held-out word goes to the dev set together.
            Arguments a(args, {"--train-out", "--dev-out", "--share", "--seed", "--keep"},
                        {"--overwrite"});
            a.expectPositionals({"TRAIN_JSON"});
            if (!a.has("--train-out")) throw InputError("missing --train-out FILE");
            if (!a.has("--dev-out")) throw InputError("missing --dev-out FILE");
            const double share = a.realValue("--share", 0.1, 0, 1);
            const int seed = a.intValue("--seed", 1, 0, 1000000000);
            const std::string train_out = a.value("--train-out"), dev_out = a.value("--dev-out");
            if (sameFile(train_out, dev_out))
              throw InputError("--train-out and --dev-out are one file");
            std::vector<std::string> inputs = {a.positional(0, "TRAIN_JSON")};
            if (a.has("--keep")) inputs.push_back(a.value("--keep"));
            // Both checked before either is written (a folder as --dev-out left --train-out
            // written and the command failed).
            checkOutputFile(train_out, "--train-out", a.has("--overwrite"), inputs);
            checkOutputFile(dev_out, "--dev-out", a.has("--overwrite"), inputs);
            const std::string source = a.positional(0, "TRAIN_JSON");
            std::set<std::string> keep;
            if (a.has("--keep"))
              for (const auto& e : readSpellingFile(a.value("--keep"))) keep.insert(e.target);
            SpellingSplit split;
            try {
              split = holdOutTargets(readSpellingFile(source), share, seed, keep);
            } catch (const std::invalid_argument& e) {
              throw InputError(source + ": " + e.what());
            }
            writeSpellingFile(train_out, split.train);
            writeSpellingFile(dev_out, split.held_out);
            std::printf(
                "wrote %s: %zu entries (%zu pairs) of words %s lacks; %s: the other %zu "
                "entries (%zu pairs)%s\n",
                dev_out.c_str(), split.held_out.size(), spellingPairs(split.held_out).size(),
                train_out.c_str(), train_out.c_str(), split.train.size(),
                spellingPairs(split.train).size(),
                keep.empty() ? "" : ", with every --keep target");
            return 0;
          }};
}

}  // namespace cvae::cli
