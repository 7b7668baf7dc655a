#pragma once
// The course's tense data format.
//   train.txt: one verb per line, 4 words: simple present, third person, progressive, past.
//   test.txt:  one pair per line, "SOURCE TARGET". Without tense names, row i uses the i-th
//              entry of the format's fixed list (sp->p, sp->pg, sp->tp, sp->tp, p->tp, sp->pg,
//              p->sp, pg->sp, pg->p, pg->tp), so such a file has at most 10 rows. A row may
//              name its tenses instead: "SOURCE TARGET FROM TO", e.g. "abet abetting sp pg".
// Tense names: sp | tp | pg | p (or simple_present, third_person, present_progressive,
// simple_past).

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/metrics/GaussianScore.h"

namespace cvae {

enum class Tense { SimplePresent = 0, ThirdPerson = 1, Progressive = 2, SimplePast = 3 };
constexpr int kTenseCount = 4;

std::string shortName(Tense tense);  // sp, tp, pg, p
std::string longName(Tense tense);   // "simple present", ...
std::optional<Tense> parseTense(const std::string& name);

struct TensePair {
  std::string source;
  std::string target;
  Tense from = Tense::SimplePresent;
  Tense to = Tense::SimplePresent;
};

// The fixed tense list of the course's test.txt readme.
const std::vector<std::pair<Tense, Tense>>& courseTestTenses();

// Both readers throw InputError naming the file and line for any problem.
std::vector<TenseTuple> readTenseTrainingFile(const std::string& path);
std::vector<TensePair> readTenseTestFile(const std::string& path);

// Throws InputError "PATH:LINE: word '…' has N letters; this model writes words of at most M
// (model.max_length)" for the first word longer than `max_letters`, in rows or pairs the
// readers above took from `path`. Training refuses such a word (the decoder stops at
// model.max_length); a probe of a trained model may lower the bound on purpose.
void checkTenseWordLengths(const std::vector<TenseTuple>& rows, size_t max_letters,
                           const std::string& path);
void checkTenseWordLengths(const std::vector<TensePair>& pairs, size_t max_letters,
                           const std::string& path);

void writeTenseTrainingFile(const std::string& path, const std::vector<TenseTuple>& rows);
// Writes explicit tense names on every row, so any number of rows reads back.
void writeTenseTestFile(const std::string& path, const std::vector<TensePair>& pairs);

}  // namespace cvae
