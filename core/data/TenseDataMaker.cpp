#include "core/data/TenseDataMaker.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <random>
#include <sstream>

#include "core/config/ConfigError.h"
#include "core/data/CharVocabulary.h"

namespace cvae {
namespace {

bool isVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string thirdPerson(const std::string& base) {
  if (base == "have") return "has";
  if (endsWith(base, "s") || endsWith(base, "x") || endsWith(base, "z") || endsWith(base, "ch") ||
      endsWith(base, "sh"))
    return base + "es";
  if (base.size() > 1 && base.back() == 'y' && !isVowel(base[base.size() - 2]))
    return base.substr(0, base.size() - 1) + "ies";
  if (base.size() > 1 && base.back() == 'o' && !isVowel(base[base.size() - 2])) return base + "es";
  return base + "s";
}

std::string progressiveByRule(const std::string& base) {
  if (endsWith(base, "ie")) return base.substr(0, base.size() - 2) + "ying";
  if (base.size() > 2 && base.back() == 'e' && !endsWith(base, "ee") && !endsWith(base, "ye") &&
      !endsWith(base, "oe"))
    return base.substr(0, base.size() - 1) + "ing";
  return base + "ing";
}

std::string pastByRule(const std::string& base) {
  if (base.back() == 'e') return base + "d";
  if (base.size() > 1 && base.back() == 'y' && !isVowel(base[base.size() - 2]))
    return base.substr(0, base.size() - 1) + "ied";
  return base + "ed";
}

// verb.exc lists simple pasts and past participles alike (began, begun; went, gone). Regular
// "-ed" forms (abetted) win; otherwise participle-looking forms (-n, -ne) give way, and the
// alphabetically first of the rest is taken (began < begun, sang < sung).
std::string choosePast(const std::string& base, std::vector<std::string> candidates) {
  std::sort(candidates.begin(), candidates.end());
  for (const auto& c : candidates)
    if (endsWith(c, "ed")) return c;
  for (const auto& c : candidates)
    if (!endsWith(c, "n") && !endsWith(c, "ne")) return c;
  return candidates.empty() ? pastByRule(base) : candidates.front();
}

std::vector<std::string> split(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

struct VerbEntry {
  std::string lemma;
  int tagged_senses = 0;
};

// A count field of index.verb; nullopt unless it is all digits (and of a sane size).
std::optional<size_t> parseCount(const std::string& field) {
  if (field.empty() || field.size() > 9 ||
      !std::all_of(field.begin(), field.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<size_t>(std::stoul(field));
}

std::vector<VerbEntry> readIndexVerb(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open (install the Debian package wordnet-base)");
  std::vector<VerbEntry> verbs;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line[0] == ' ') continue;  // the licence header
    const auto f = split(line);
    // lemma pos synset_cnt p_cnt [ptr_symbol x p_cnt] sense_cnt tagsense_cnt synset_offsets...
    if (f.size() < 6 || f[1] != "v")
      throw InputError(path + ":" + std::to_string(line_number) + ": not an index.verb line");
    const auto pointers = parseCount(f[3]);
    const size_t tagged_at = pointers ? 4 + *pointers + 1 : f.size();
    const auto tagged = tagged_at < f.size() ? parseCount(f[tagged_at]) : std::nullopt;
    if (!tagged)
      throw InputError(path + ":" + std::to_string(line_number) +
                       ": truncated index.verb line, or a count that is not a number");
    if (!CharVocabulary::isValidWord(f[0]) || f[0].size() < 2) continue;  // multi-word lemmas
    verbs.push_back({f[0], static_cast<int>(*tagged)});
  }
  if (verbs.empty()) throw InputError(path + ": no verbs found");
  return verbs;
}

}  // namespace

VerbInflector::VerbInflector(std::map<std::string, std::vector<std::string>> exceptions_by_base)
    : exceptions_(std::move(exceptions_by_base)) {}

VerbInflector VerbInflector::fromWordNet(const std::string& wordnet_dir) {
  const std::string path = wordnet_dir + "/verb.exc";
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open (install the Debian package wordnet-base)");
  std::map<std::string, std::vector<std::string>> by_base;
  for (std::string line; std::getline(in, line);) {
    const auto f = split(line);
    if (f.size() < 2) continue;
    for (size_t i = 1; i < f.size(); ++i) by_base[f[i]].push_back(f[0]);
  }
  return VerbInflector(std::move(by_base));
}

TenseTuple VerbInflector::inflect(const std::string& base) const {
  // The one verb whose forms no rule or verb.exc line gives (its exceptions am/are/is/was/were
  // would make the past "am").
  if (base == "be") return {"be", "is", "being", "was"};
  std::string progressive = progressiveByRule(base);
  std::vector<std::string> past_candidates;
  auto it = exceptions_.find(base);
  if (it != exceptions_.end()) {
    std::vector<std::string> ing;
    for (const auto& form : it->second) {
      if (!CharVocabulary::isValidWord(form)) continue;
      if (endsWith(form, "ing"))
        ing.push_back(form);
      else if (form != thirdPerson(base) && !(endsWith(form, "s") && form.size() <= base.size()))
        past_candidates.push_back(form);  // "has", "is" are not pasts
    }
    if (!ing.empty()) progressive = *std::min_element(ing.begin(), ing.end());
  }
  // verb.exc lists only forms that differ from the base, so the pasts that equal it (cut, set)
  // are missing there and would be ruled "cutted", "seted".
  static const std::set<std::string> past_is_base = {
      "bet",   "bid",  "broadcast", "burst", "cast",  "cost",   "cut",    "forecast", "hit",
      "hurt",  "let",  "offset",    "put",   "quit",  "read",   "recast", "reset",    "rid",
      "set",   "shed", "shut",      "slit",  "split", "spread", "thrust", "typeset",  "undercut",
      "upset", "beset"};
  const std::string past = past_is_base.count(base) ? base
                           : past_candidates.empty() ? pastByRule(base)
                                                     : choosePast(base, past_candidates);
  return {base, thirdPerson(base), progressive, past};
}

namespace {

// WordNet's verbs, most frequent (tagged senses) first; ties alphabetical so the order never
// depends on the file's order.
std::vector<VerbEntry> verbsByFrequency(const std::string& wordnet_dir) {
  auto verbs = readIndexVerb(wordnet_dir + "/index.verb");
  std::stable_sort(verbs.begin(), verbs.end(), [](const VerbEntry& a, const VerbEntry& b) {
    return a.tagged_senses != b.tagged_senses ? a.tagged_senses > b.tagged_senses
                                              : a.lemma < b.lemma;
  });
  return verbs;
}

}  // namespace

TenseDataSet makeTenseData(const TenseDataOptions& options) {
  auto verbs = verbsByFrequency(options.wordnet_dir);
  const auto inflector = VerbInflector::fromWordNet(options.wordnet_dir);
  const size_t wanted = static_cast<size_t>(options.train_rows + options.test_pairs);
  // As many as asked or a refusal (10,000,000 rows asked gave WordNet's 8,379 without a word).
  if (verbs.size() < wanted)
    throw InputError(options.wordnet_dir + ": has " + std::to_string(verbs.size()) +
                     " usable verbs, " + std::to_string(wanted) + " are needed (" +
                     std::to_string(options.train_rows) + " training rows and " +
                     std::to_string(options.test_pairs) + " test pairs)");
  verbs.resize(wanted);

  std::vector<TenseTuple> rows;
  for (const auto& v : verbs) rows.push_back(inflector.inflect(v.lemma));
  std::mt19937_64 rng(options.seed);
  std::shuffle(rows.begin(), rows.end(), rng);

  TenseDataSet data;
  // train_rows rows exactly (a small --size gave half the verbs to the test pairs: 5 asked,
  // 28 written).
  const size_t test_count = static_cast<size_t>(options.test_pairs);
  const auto& tenses = courseTestTenses();
  for (size_t i = 0; i < test_count; ++i) {
    const auto [from, to] = tenses[i % tenses.size()];
    data.test.push_back({rows[i][static_cast<int>(from)], rows[i][static_cast<int>(to)], from, to});
  }
  data.train.assign(rows.begin() + static_cast<std::ptrdiff_t>(test_count), rows.end());
  std::sort(data.train.begin(), data.train.end());
  return data;
}

UnseenVerbs makeUnseenTensePairs(const std::vector<TenseTuple>& known, int count,
                                 const std::string& wordnet_dir) {
  std::set<std::string> known_forms;
  for (const auto& row : known) known_forms.insert(row.begin(), row.end());
  const auto inflector = VerbInflector::fromWordNet(wordnet_dir);
  const auto& tenses = courseTestTenses();
  UnseenVerbs out;
  for (const auto& verb : verbsByFrequency(wordnet_dir)) {
    if (static_cast<int>(out.pairs.size()) >= count) break;
    const TenseTuple row = inflector.inflect(verb.lemma);
    // A verb shares no form with the known rows: "rose" (rise) would leak "rose" (a noun verb).
    if (std::any_of(row.begin(), row.end(),
                    [&](const std::string& w) { return known_forms.count(w) > 0; }))
      continue;
    const auto [from, to] = tenses[out.pairs.size() % tenses.size()];
    out.pairs.push_back(
        {row[static_cast<int>(from)], row[static_cast<int>(to)], from, to});
    out.irregular += row[3] != pastByRule(row[0]) && row[3] != row[0] + row[0].back() + "ed";
    out.rows.push_back(row);
  }
  return out;
}

}  // namespace cvae
