#include "core/runs/RunSummary.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/config/ExperimentFacts.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"
#include "core/io/Utf8.h"

namespace fs = std::filesystem;

namespace cvae {

bool MetricsDigest::update() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  const std::int64_t size = in.tellg();
  if (size < offset_)
    throw InputError(path_ + ": the file shrank from " + std::to_string(offset_) + " to " +
                     std::to_string(size) + " bytes while it was followed (replaced or cut)");
  if (size == offset_) return false;
  std::string chunk(static_cast<size_t>(size - offset_), '\0');
  in.seekg(offset_);
  in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<size_t>(in.gcount()));

  // Lines are found with memchr and only the header, eval rows and the last row become
  // strings: a run's file is mostly train rows, which a summary skips.
  bool changed = false;
  size_t start = 0;
  std::string_view last_line;
  std::string_view last_train;  // in this chunk; before it, last_train_line_
  int last_line_number = 0;
  const std::string_view all(chunk);
  while (start < all.size()) {
    const void* found = std::memchr(all.data() + start, '\n', all.size() - start);
    if (!found) break;  // a line the writer has not finished
    const size_t end = static_cast<size_t>(static_cast<const char*>(found) - all.data());
    std::string_view line = all.substr(start, end - start);
    start = end + 1;
    ++line_number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!have_header_) {
      const std::string where = path_ + ":" + std::to_string(line_number_);
      columns_ = parseMetricsHeader(splitCsvCells(std::string(withoutByteOrderMark(line))), where);
      have_header_ = true;
      continue;
    }
    if (line.substr(0, 5) == "eval,") {
      const std::string where = path_ + ":" + std::to_string(line_number_);
      const auto cells = splitCsvCells(std::string(line));
      checkMetricsRowWidth(cells, columns_, where);
      MetricsRow row = parseMetricsRow(cells, where);
      for (size_t c = 0; c < row.values.size(); ++c)
        if (!std::isnan(row.values[c])) evaluated_.insert(c);
      // The training values at the evaluation (loss, KL, β, ...) from the train row just before
      // it, so that "KL at the best BLEU" can be read; one train row parsed per evaluation.
      const std::string_view train = !last_train.empty() ? last_train : last_train_line_;
      if (!train.empty()) {
        const std::string train_where =
            path_ + ": the train row before line " + std::to_string(line_number_);
        const auto train_cells = splitCsvCells(std::string(train));
        if (train_cells.size() == cells.size()) {
          try {
            const MetricsRow values = parseMetricsRow(train_cells, train_where);
            for (size_t c = 0; c < row.values.size(); ++c)
              if (std::isnan(row.values[c])) row.values[c] = values.values[c];
          } catch (const InputError&) {
            // A damaged train row leaves the evaluation's training values empty; a summary
            // never needed train rows to be whole.
          }
        }
      }
      evaluations_.push_back(std::move(row));
    } else if (line.substr(0, 6) == "train,") {
      last_train = line;
    }
    last_line = line;
    last_line_number = line_number_;
    changed = true;
  }
  offset_ += static_cast<std::int64_t>(start);
  if (!last_train.empty()) last_train_line_ = std::string(last_train);
  if (!last_line.empty()) {
    // Only the leading cells of the last row: where the run stands.
    auto cells = splitCsvCells(std::string(last_line));
    if (cells.size() < 4)
      throw InputError(path_ + ":" + std::to_string(last_line_number) + ": expected " +
                       std::to_string(4 + columns_.names().size()) + " columns, found " +
                       std::to_string(cells.size()));
    cells.resize(4);
    const MetricsRow row = parseMetricsRow(cells, path_ + ":" + std::to_string(last_line_number));
    epochs_ = row.epoch + 1;
    steps_ = row.step;
    elapsed_s_ = row.elapsed_s;
  }
  return changed;
}

double MetricsDigest::best(const std::string& score) const {
  double best = std::nan("");
  for (const auto& row : evaluations_) {
    const double v = columns_.value(row, score);
    if (!std::isnan(v) && (std::isnan(best) || v > best)) best = v;
  }
  return best;
}

std::vector<std::string> MetricsDigest::evaluatedColumns() const {
  std::vector<std::string> names;
  for (size_t c : evaluated_) names.push_back(columns_.names()[c]);
  return names;
}

double MetricsDigest::atBestOf(const std::string& value, const std::string& score) const {
  const MetricsRow* at = nullptr;
  double best = std::nan("");
  for (const auto& row : evaluations_) {
    const double v = columns_.value(row, score);
    if (!std::isnan(v) && (std::isnan(best) || v > best)) {
      best = v;
      at = &row;
    }
  }
  return at ? columns_.value(*at, value) : std::nan("");
}

double MetricsDigest::last(const std::string& score) const {
  for (auto it = evaluations_.rbegin(); it != evaluations_.rend(); ++it) {
    const double v = columns_.value(*it, score);
    if (!std::isnan(v)) return v;
  }
  return std::nan("");
}

std::optional<double> MetricsDigest::atEpoch(const std::string& score, int epoch) const {
  for (auto it = evaluations_.rbegin(); it != evaluations_.rend(); ++it)
    if (it->epoch == epoch) {
      const double v = columns_.value(*it, score);
      if (std::isnan(v)) return std::nullopt;
      return v;
    }
  return std::nullopt;
}

void refreshRunSummary(RunSummary& summary, MetricsDigest& digest) {
  // A folder being deleted or rewritten while it is listed is named, never fatal.
  try {
    const RunFolder folder = RunFolder::open(summary.dir);
    summary.record = folder.readRecord();
    summary.state = folder.observedState();
    summary.notes = folder.readNotes();
  } catch (const std::exception& e) {
    summary.problem = e.what();
  }
  try {
    digest.update();
  } catch (const std::exception& e) {
    summary.problem = e.what();
  }
  if (summary.scores.empty()) {
    if (summary.config)
      summary.scores = experimentFacts(summary.config->kind).score_names;
    else
      summary.scores = digest.evaluatedColumns();
  }
  summary.best.clear();
  summary.last.clear();
  summary.columns = digest.columns().names();
  summary.at_best.clear();
  for (const auto& score : summary.scores) {
    summary.best.push_back(digest.best(score));
    summary.last.push_back(digest.last(score));
    std::vector<double> at;
    for (const auto& column : summary.columns) at.push_back(digest.atBestOf(column, score));
    summary.at_best.push_back(std::move(at));
  }
  summary.epochs = digest.epochs();
  summary.steps = digest.steps();
  summary.elapsed_s = digest.elapsedSeconds();
}

RunSummary summarizeRun(const std::string& dir, MetricsDigest* digest) {
  RunSummary summary;
  summary.dir = dir;
  summary.name = fs::path(dir).filename().string();
  if (summary.name.empty()) summary.name = fs::path(dir).parent_path().filename().string();
  try {
    summary.config = RunFolder::open(dir).readConfig();
  } catch (const std::exception& e) {
    summary.problem = e.what();
  }
  MetricsDigest own((fs::path(dir) / "metrics.csv").string());
  refreshRunSummary(summary, digest ? *digest : own);
  return summary;
}

std::vector<std::string> findRunFolders(const std::string& root, int max_depth) {
  std::vector<std::string> found;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return found;
  std::vector<std::pair<fs::path, int>> pending = {{fs::path(root), 0}};
  while (!pending.empty()) {
    const auto [dir, depth] = pending.back();
    pending.pop_back();
    if (fs::exists(dir / "config.yaml", ec) &&
        (fs::exists(dir / "metrics.csv", ec) || fs::exists(dir / "status.yaml", ec))) {
      found.push_back(dir.string());
      continue;  // a run folder holds no runs
    }
    if (depth >= max_depth) continue;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name.front() == '.' || name == "preview-frames") continue;
      std::error_code type_ec;
      if (it->is_directory(type_ec)) pending.emplace_back(it->path(), depth + 1);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace cvae
