#pragma once
// A sweep file expanded into its members: each one a full, validated config and the overrides
// that make it from the base config. Nothing runs here; `cvae-cli sweep --dry-run` prints this.

#include <string>
#include <vector>

#include "core/config/ConfigIo.h"
#include "core/config/ExperimentConfig.h"
#include "core/config/SweepFile.h"

namespace cvae {

struct SweepMember {
  int index = 0;
  std::string name;  // the run folder's name inside the sweep folder: "003-cyclical-4"
  // The swept keys' values as config text, one per SweepPlan::swept_keys.
  std::vector<std::string> values;
  // Every override from the base config, set then swept, as `--set` takes them ("key=value").
  std::vector<std::string> overrides;
  ExperimentConfig config;
};

struct SweepPlan {
  SweepFile file;
  ExperimentConfig base;                // the base config with the sweep's `set` applied
  std::vector<std::string> swept_keys;  // grid keys, random keys, then train.seed when seeded
  std::vector<SweepMember> members;
  // Swept keys that have no effect in some members' configs (kl_annealing.cycles under a
  // monotonic policy, say): those members train alike. Said, not refused.
  std::vector<std::string> warnings;
};

// Expands grid × random draws × seeds, in that order (the last grid key varies fastest; the
// same draws are crossed with every grid combination, so each combination is compared on the
// same random values). Random draws come from a SplitMix64 stream seeded by random.seed, so a
// sweep file always expands to the same members on every machine. Every key and value is
// checked against the config schema and every member's config validated before anything runs:
// throws InputError naming the sweep file's line (for a relation between keys: the member whose
// values break it, or the base file's line where no `set:` or swept key touches it).
SweepPlan expandSweep(const SweepFile& file);
// The same with the base config given (the GUI's current config) instead of read from
// file.base_config; `base_places`, when given (where a file sets the base's keys), names the
// base file's line for a relation no `set:` or swept key touches.
SweepPlan expandSweep(const SweepFile& file, const ExperimentConfig& base,
                      const ConfigPlaces* base_places = nullptr);

// The members as a table for a terminal (`--dry-run`).
std::string describeSweepPlan(const SweepPlan& plan);

// "a, b, c and 4 more": the first `shown` of `names` and how many are left, for the messages
// that name members.
std::string namesWithRest(const std::vector<std::string>& names, size_t shown);

}  // namespace cvae
