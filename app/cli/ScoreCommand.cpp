#include <cstdio>
#include <string>
#include <vector>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigError.h"
#include "core/io/TextLines.h"
#include "core/io/Utf8.h"
#include "core/metrics/Bleu.h"

namespace cvae::cli {
namespace {

// Reads `prediction<TAB>reference` lines (a leading '#' line is a comment) and prints each
// score and the mean, so users can score prediction files from any model.
int scoreBleu(const std::string& path) {
  // As every text reader: a byte-order mark skipped (it counted as a character of the first
  // prediction), CRLF read, CR-only line ends and folders refused by name.
  // UTF-16 (Windows "Unicode") is read as the text it is: its bytes read as "\xFF is not UTF-8".
  const auto lines =
      splitTextLines(utf8WithoutByteOrderMark(readUserTextFile(path, "prediction file")), path);
  double total = 0;
  int count = 0;
  struct Scored {
    std::string prediction, reference;
    double score;
  };
  std::vector<Scored> scored;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::string where = path + ":" + std::to_string(i + 1);
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos)
      throw InputError(where + ": expected 'prediction<TAB>reference'");
    // Characters are code points, as nltk reads a Python str; bytes that are no UTF-8 have
    // no character to count (Python would not read the file).
    bool valid = true;
    const std::u32string characters = decodeUtf8(line, &valid);
    if (!valid)
      for (size_t c = 0; c < characters.size(); ++c)
        if (characters[c] >= 0xDC80 && characters[c] <= 0xDCFF) {  // decodeUtf8's escape
          char byte[64];
          std::snprintf(byte, sizeof byte, "character %zu: byte \\x%02X is not UTF-8", c + 1,
                        static_cast<unsigned>(characters[c] - 0xDC00));
          throw InputError(where + ": " + byte + "; the file must be UTF-8 text");
        }
    scored.push_back({line.substr(0, tab), line.substr(tab + 1), 0.0});
  }
  // Every line is read before any is printed: a bad line late in the file printed the scores
  // above it and then failed.
  for (auto& [prediction, reference, score] : scored) {
    score = bleu4(prediction, reference);
    std::printf("%s\t%s\t%.12f\n", prediction.c_str(), reference.c_str(), score);
    total += score;
    ++count;
  }
  if (count == 0) throw InputError(path + ": no prediction/reference lines");
  std::printf("mean BLEU-4 over %d pairs: %.6f\n", count, total / count);
  return 0;
}

}  // namespace

Command scoreCommand() {
  return {"score", "score bleu FILE",
          "BLEU-4 (nltk method1, characters) of each 'prediction<TAB>reference' line and the mean",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {});
            a.expectPositionals({"METRIC", "FILE"});
            const std::string metric = a.positional(0, "metric (bleu)");
            if (metric != "bleu") throw InputError("unknown metric '" + metric + "' (bleu)");
            return scoreBleu(a.positional(1, "FILE"));
          }};
}

}  // namespace cvae::cli
