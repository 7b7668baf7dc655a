#include "core/sweeps/SweepSummary.h"

#include <algorithm>
#include <cmath>

#include "core/config/ExperimentFacts.h"
#include "core/io/NumberText.h"

namespace cvae {
namespace {

std::string csvCell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string number(double v, int digits) {
  return std::isnan(v) ? std::string() : formatGeneral(v, digits);
}

}  // namespace

std::string toString(MemberStatus status) {
  switch (status) {
    case MemberStatus::Pending:
      return "pending";
    case MemberStatus::Running:
      return "running";
    case MemberStatus::Completed:
      return "completed";
    case MemberStatus::Stopped:
      return "stopped";
    case MemberStatus::Interrupted:
      return "interrupted";
    case MemberStatus::Failed:
      return "failed";
    case MemberStatus::Pruned:
      return "pruned";
  }
  return "?";
}

bool isSettled(MemberStatus status) {
  return status == MemberStatus::Completed || status == MemberStatus::Failed ||
         status == MemberStatus::Pruned;
}

std::string sweepSummaryCsv(const SweepPlan& plan, const std::vector<MemberState>& members) {
  const auto& scores = experimentFacts(plan.base.kind).score_names;
  std::string out = "run,status";
  for (const auto& key : plan.swept_keys) out += "," + csvCell(key);
  for (const auto& score : scores) out += "," + score;
  out += ",seconds\n";
  for (size_t i = 0; i < plan.members.size() && i < members.size(); ++i) {
    const auto& m = members[i];
    out += csvCell(plan.members[i].name) + "," + toString(m.status);
    for (const auto& v : plan.members[i].values) out += "," + csvCell(v);
    for (size_t s = 0; s < scores.size(); ++s)
      out += "," + number(s < m.run.best.size() ? m.run.best[s] : std::nan(""), 9);
    out += "," + (m.run.steps > 0 ? formatFixed(m.run.elapsed_s, 1) : std::string()) + "\n";
  }
  return out;
}

std::string sweepTable(const SweepPlan& plan, const std::vector<MemberState>& members) {
  const auto& scores = experimentFacts(plan.base.kind).score_names;
  std::vector<std::string> header = {"member", "status", "epoch"};
  for (const auto& key : plan.swept_keys) header.push_back(key);
  for (const auto& score : scores) header.push_back("best " + score);
  header.push_back("seconds");
  std::vector<std::vector<std::string>> rows = {header};
  for (size_t i = 0; i < plan.members.size() && i < members.size(); ++i) {
    const auto& m = members[i];
    std::vector<std::string> row = {plan.members[i].name, toString(m.status),
                                    m.run.epochs > 0
                                        ? std::to_string(m.run.epochs) + "/" +
                                              std::to_string(plan.members[i].config.train.epochs)
                                        : ""};
    for (const auto& v : plan.members[i].values) row.push_back(v);
    for (size_t s = 0; s < scores.size(); ++s)
      row.push_back(number(s < m.run.best.size() ? m.run.best[s] : std::nan(""), 4));
    row.push_back(m.run.steps > 0 ? formatFixed(m.run.elapsed_s, 0) : "");
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c)
      out += row[c] + (c + 1 < row.size() ? std::string(widths[c] - row[c].size() + 2, ' ') : "");
    out += "\n";
  }
  return out;
}

}  // namespace cvae
