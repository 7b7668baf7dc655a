#pragma once
// Where each member of a sweep stands, and the two views of it: DIR/summary.csv and the live
// table `cvae-cli sweep` prints.

#include <string>
#include <vector>

#include "core/runs/RunSummary.h"
#include "core/sweeps/SweepPlan.h"

namespace cvae {

// pending: not started (or waiting to resume); pruned: stopped by the median rule.
enum class MemberStatus { Pending, Running, Completed, Stopped, Interrupted, Failed, Pruned };
std::string toString(MemberStatus status);
// Whether a re-run of the sweep leaves the member as it is.
bool isSettled(MemberStatus status);

struct MemberState {
  MemberStatus status = MemberStatus::Pending;
  RunSummary run;    // its folder, as last read
  std::string note;  // why it failed or was pruned
};

// summary.csv: run,status,<swept keys>,<best value of each score>,seconds — one row per member,
// in plan order. Cells holding ',' or '"' are quoted as RFC 4180 says; NaN (never evaluated)
// is an empty cell; numbers use '.'.
std::string sweepSummaryCsv(const SweepPlan& plan, const std::vector<MemberState>& members);
// The same as an aligned text table, with the epoch each member is at, for a terminal.
std::string sweepTable(const SweepPlan& plan, const std::vector<MemberState>& members);

}  // namespace cvae
