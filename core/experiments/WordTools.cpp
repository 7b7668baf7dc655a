#include "core/experiments/WordTools.h"

#include "core/io/NumberText.h"

namespace cvae {

std::string letterProbabilityText(const WordConverter::Scored& scored) {
  std::string text;
  for (size_t i = 0; i < scored.probabilities.size(); ++i) {
    if (!text.empty()) text += "  ";
    text += i < scored.output.size() ? std::string(1, scored.output[i]) : std::string("end");
    text += " " + formatFixed(scored.probabilities[i], 2);
  }
  return text;
}

}  // namespace cvae
