#pragma once
// RUN_DIR/metrics.csv, read and written by column name. One "train" row per optimizer step, one
// "eval" row per evaluation, one "edit" row where the user changed the schedules:
//   record,epoch,step,elapsed_s,<value columns...>
// `epoch` is 0-based (the epoch the row belongs to), `step` counts optimizer steps done, and
// `elapsed_s` is training time in seconds, continued across resumes. Empty cells are values the
// row does not have. Numbers are written with a '.' whatever the locale. Every line is flushed as
// written, so a crash loses nothing and another process can follow the file; a last line without
// its newline is one the writer has not finished, and every reader ignores it.

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace cvae {

struct MetricsRow {
  std::string record;  // train | eval | edit
  int epoch = 0;
  int64_t step = 0;
  double elapsed_s = 0;
  std::vector<double> values;  // one per value column, NaN where the cell is empty
};

// The header's value columns (everything after record, epoch, step, elapsed_s).
class MetricsColumns {
 public:
  MetricsColumns() = default;
  explicit MetricsColumns(std::vector<std::string> names) : names_(std::move(names)) {}
  const std::vector<std::string>& names() const { return names_; }
  std::optional<size_t> index(const std::string& name) const;
  // The row's value in column `name`; NaN when the column or the cell is absent.
  double value(const MetricsRow& row, const std::string& name) const;

 private:
  std::vector<std::string> names_;
};

// Reads a metrics.csv incrementally: each readNew() returns the complete lines written since
// the last call, so a run another process writes can be followed without rereading the file.
class MetricsReader {
 public:
  explicit MetricsReader(std::string path) : path_(std::move(path)) {}
  // Throws InputError naming the file and line for a malformed header or row, and for a file
  // that cannot be opened.
  std::vector<MetricsRow> readNew();
  // Empty until the header has been read.
  const MetricsColumns& columns() const { return columns_; }
  const std::string& path() const { return path_; }
  // Byte offset just past the last complete line read.
  std::int64_t offset() const { return offset_; }

 private:
  std::string path_;
  std::int64_t offset_ = 0;
  int line_number_ = 0;
  bool have_header_ = false;
  MetricsColumns columns_;
};

// The pieces of the readers, for readers that skip what they do not need (RunSummary.h): a
// header line's cells, a row's cells (4 leading + one per value column), the row's width
// against the header's. `where` ("FILE:LINE") starts every InputError's message.
MetricsColumns parseMetricsHeader(const std::vector<std::string>& cells, const std::string& where);
MetricsRow parseMetricsRow(const std::vector<std::string>& cells, const std::string& where);
void checkMetricsRowWidth(const std::vector<std::string>& cells, const MetricsColumns& columns,
                          const std::string& where);

// Reads every complete row of `path` (see MetricsReader).
std::vector<MetricsRow> readMetricsFile(const std::string& path, MetricsColumns* columns = nullptr);

class MetricsWriter {
 public:
  enum class Mode { Create, Append };
  // Create writes a new file with its header; Append continues an existing one whose header
  // must name `value_columns` or a first part of them: a run begun before its experiment
  // scored more gets the new columns added, empty in its older rows (the file is rewritten
  // atomically). Any other header throws InputError naming the file.
  MetricsWriter(const std::string& path, std::vector<std::string> value_columns, Mode mode);
  // Throws std::runtime_error naming the file when the write fails (a full disk, say).
  void write(const MetricsRow& row);
  const MetricsColumns& columns() const { return columns_; }

 private:
  std::string path_;
  std::ofstream out_;
  MetricsColumns columns_;
};

// Cuts `path` back to what a checkpoint taken after `step` optimizer steps covers: train and
// eval rows up to `step`, edit rows before it (an edit at `step` came after the checkpoint), and
// no half-written last line. Rewritten through a temporary file. Returns the complete rows
// dropped; `cut_last_line`, when given, says whether a half-written last line was dropped too.
// Throws InputError naming the file and line when a complete line is malformed.
int64_t truncateMetricsFile(const std::string& path, int64_t step, bool* cut_last_line = nullptr);

}  // namespace cvae
