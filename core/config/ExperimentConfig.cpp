#include "core/config/ExperimentConfig.h"

#include "core/config/ConfigSchema.h"

namespace cvae {

std::string toString(ExperimentKind kind) {
  switch (kind) {
    case ExperimentKind::Tense:
      return "tense";
    case ExperimentKind::Spelling:
      return "spelling";
    case ExperimentKind::Video:
      return "video";
  }
  return "?";
}

std::optional<ExperimentKind> parseExperimentKind(const std::string& name) {
  for (auto kind : {ExperimentKind::Tense, ExperimentKind::Spelling, ExperimentKind::Video})
    if (toString(kind) == name) return kind;
  return std::nullopt;
}

std::string toString(KlPolicy policy) {
  switch (policy) {
    case KlPolicy::Monotonic:
      return "monotonic";
    case KlPolicy::Cyclical:
      return "cyclical";
    case KlPolicy::Constant:
      return "constant";
    case KlPolicy::None:
      return "none";
  }
  return "?";
}

std::string toString(ScheduleUnit unit) {
  return unit == ScheduleUnit::Iteration ? "iteration" : "epoch";
}

ExperimentConfig ExperimentConfig::defaultsFor(ExperimentKind kind) {
  ExperimentConfig c;
  c.kind = kind;
  c.name = toString(kind);
  switch (kind) {
    case ExperimentKind::Tense:
      c.evaluation.best_by = "sum";
      break;
    case ExperimentKind::Spelling:
      c.kl.policy = KlPolicy::None;
      c.evaluation.best_by = "bleu";
      break;
    case ExperimentKind::Video:
      c.model.hidden_size = 128;
      c.model.latent_size = 16;
      c.evaluation.best_by = "psnr";
      break;
  }
  return c;
}

bool operator==(const ExperimentConfig& a, const ExperimentConfig& b) {
  for (const auto& spec : configSchema())
    if (spec.get(a) != spec.get(b)) return false;
  return true;
}

}  // namespace cvae
