#include "core/runs/MetricsFile.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "core/io/AtomicFile.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"
#include "core/io/Utf8.h"

namespace cvae {
namespace {

constexpr const char* kLeading[] = {"record", "epoch", "step", "elapsed_s"};
constexpr size_t kLeadingCount = 4;

std::string cell(double v) {
  return std::isnan(v) ? std::string() : formatGeneral(v, 9);
}

}  // namespace

MetricsRow parseMetricsRow(const std::vector<std::string>& cells, const std::string& where) {
  MetricsRow row;
  row.record = cells[0];
  if (row.record != "train" && row.record != "eval" && row.record != "edit")
    throw InputError(where + ": unknown record '" + row.record + "' (train, eval or edit)");
  const auto epoch = parseInteger(cells[1]);
  const auto step = parseInteger(cells[2]);
  const auto elapsed = parseDouble(cells[3]);
  if (!epoch || *epoch < 0 || *epoch > std::numeric_limits<int>::max())
    throw InputError(where + ": epoch '" + cells[1] + "' is not a whole number >= 0");
  if (!step || *step < 0)
    throw InputError(where + ": step '" + cells[2] + "' is not a whole number >= 0");
  if (!elapsed) throw InputError(where + ": elapsed_s '" + cells[3] + "' is not a number");
  row.epoch = static_cast<int>(*epoch);
  row.step = *step;
  row.elapsed_s = *elapsed;
  row.values.reserve(cells.size() - kLeadingCount);
  for (size_t c = kLeadingCount; c < cells.size(); ++c) {
    if (cells[c].empty()) {
      row.values.push_back(std::nan(""));
      continue;
    }
    const auto v = parseDouble(cells[c]);
    if (!v)
      throw InputError(where + ": column " + std::to_string(c + 1) + ": '" + cells[c] +
                       "' is not a number");
    row.values.push_back(*v);
  }
  return row;
}

void checkMetricsRowWidth(const std::vector<std::string>& cells, const MetricsColumns& columns,
                          const std::string& where) {
  if (cells.size() != kLeadingCount + columns.names().size())
    throw InputError(where + ": expected " +
                     std::to_string(kLeadingCount + columns.names().size()) + " columns, found " +
                     std::to_string(cells.size()));
}

MetricsColumns parseMetricsHeader(const std::vector<std::string>& cells, const std::string& where) {
  bool ok = cells.size() >= kLeadingCount;
  for (size_t i = 0; ok && i < kLeadingCount; ++i) ok = cells[i] == kLeading[i];
  if (!ok)
    throw InputError(where +
                     ": not a metrics.csv header (expected record,epoch,step,elapsed_s,...)");
  return MetricsColumns({cells.begin() + kLeadingCount, cells.end()});
}

std::optional<size_t> MetricsColumns::index(const std::string& name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return i;
  return std::nullopt;
}

double MetricsColumns::value(const MetricsRow& row, const std::string& name) const {
  const auto i = index(name);
  return i && *i < row.values.size() ? row.values[*i] : std::nan("");
}

std::vector<MetricsRow> MetricsReader::readNew() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw InputError(path_ + ": cannot open the metrics file: " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::int64_t size = in.tellg();
  // A file shorter than what was read is one that was replaced or cut under us.
  if (size < offset_)
    throw InputError(path_ + ": the file shrank from " + std::to_string(offset_) + " to " +
                     std::to_string(size) + " bytes while it was read (replaced or truncated)");
  in.seekg(offset_);
  std::vector<MetricsRow> rows;
  std::string line;
  while (true) {
    const std::int64_t line_start = in.tellg();
    if (!std::getline(in, line)) break;
    // UTF-16 or binary (an image saved over it): said as such, not as "not a metrics.csv
    // header" above a header the user sees when the file is opened in an editor.
    if (line_number_ == 0 && startsWithUtf16ByteOrderMark(line))
      throw InputError(path_ + ": UTF-16 text; save the file as UTF-8");
    if (line.find('\0') != std::string::npos)
      throw InputError(path_ + ":" + std::to_string(line_number_ + 1) +
                       ": holds a NUL byte: a binary file, not a metrics file");
    if (in.eof()) {  // no newline: the writer has not finished this line
      if (line.find('\r') != std::string::npos)
        throw InputError(path_ + ":" + std::to_string(line_number_ + 1) +
                         ": lines end with CR alone (old Mac line endings); save the file with "
                         "LF or CRLF line endings");
      offset_ = line_start;
      break;
    }
    offset_ = in.tellg();
    ++line_number_;
    const std::string where = path_ + ":" + std::to_string(line_number_);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_number_ == 1) line = std::string(withoutByteOrderMark(line));
    const auto cells = splitCsvCells(line);
    if (!have_header_) {
      try {
        columns_ = parseMetricsHeader(cells, where);
      } catch (const InputError&) {
        // A binary file's NUL bytes may come lines later (a PNG's on its third): said as one.
        std::ifstream whole(path_, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(whole)),
                                std::istreambuf_iterator<char>());
        if (bytes.find('\0') != std::string::npos)
          throw InputError(path_ + ": holds a NUL byte: a binary file, not a metrics file");
        throw;
      }
      have_header_ = true;
      continue;
    }
    checkMetricsRowWidth(cells, columns_, where);
    rows.push_back(parseMetricsRow(cells, where));
  }
  return rows;
}

std::vector<MetricsRow> readMetricsFile(const std::string& path, MetricsColumns* columns) {
  MetricsReader reader(path);
  auto rows = reader.readNew();
  if (columns) *columns = reader.columns();
  return rows;
}

namespace {

// The header line of a metrics file with these value columns.
std::string headerLine(const std::vector<std::string>& value_columns) {
  std::string header;
  for (const char* name : kLeading) header += std::string(header.empty() ? "" : ",") + name;
  for (const auto& name : value_columns) header += "," + name;
  return header;
}

// An older run continued by a version that scores more (a score added to the experiment
// after the run started): the new columns go on the end, empty in the rows written before.
void widenMetricsFile(const std::string& path, const std::vector<std::string>& value_columns,
                      size_t added) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the metrics file: " + std::strerror(errno));
  std::ostringstream widened;
  widened << headerLine(value_columns) << '\n';
  std::string line;
  std::getline(in, line);  // the old header
  while (std::getline(in, line)) {
    if (in.eof()) break;  // a half-written last line: every reader ignores it
    widened << line << std::string(added, ',') << '\n';
  }
  in.close();
  writeFileAtomically(path, widened.str());
}

}  // namespace

MetricsWriter::MetricsWriter(const std::string& path, std::vector<std::string> value_columns,
                             Mode mode)
    : path_(path), columns_(std::move(value_columns)) {
  if (mode == Mode::Append) {
    MetricsColumns existing;
    readMetricsFile(path, &existing);
    const auto& had = existing.names();
    const auto& wants = columns_.names();
    if (had.size() < wants.size() && std::equal(had.begin(), had.end(), wants.begin()))
      widenMetricsFile(path, wants, wants.size() - had.size());
    else if (had != wants)
      throw InputError(path + ": its columns do not match this experiment's scores");
  }
  out_.open(path, mode == Mode::Append ? std::ios::app : std::ios::trunc);
  if (!out_)
    throw std::runtime_error(path + ": cannot write the metrics log: " + std::strerror(errno));
  if (mode == Mode::Create) {
    out_ << headerLine(columns_.names()) << '\n';
    out_.flush();
    if (!out_)
      throw std::runtime_error(path + ": cannot write the metrics log: " + std::strerror(errno));
  }
}

void MetricsWriter::write(const MetricsRow& row) {
  std::string line = row.record + "," + std::to_string(row.epoch) + "," + std::to_string(row.step) +
                     "," + formatGeneral(row.elapsed_s, 9);
  for (size_t i = 0; i < columns_.names().size(); ++i)
    line += "," + (i < row.values.size() ? cell(row.values[i]) : std::string());
  out_ << line << '\n';
  out_.flush();
  if (!out_)
    throw std::runtime_error(path_ + ": cannot write the metrics log: " + std::strerror(errno));
}

int64_t truncateMetricsFile(const std::string& path, int64_t step, bool* cut_last_line) {
  if (cut_last_line) *cut_last_line = false;
  readMetricsFile(path);  // a malformed line is named, never dropped as if it were cut off
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the metrics file: " + std::strerror(errno));
  std::ostringstream kept;
  int64_t dropped = 0;
  bool header = true;
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) {  // a half-written last line
      if (cut_last_line) *cut_last_line = true;
      break;
    }
    if (header) {
      kept << line << '\n';
      header = false;
      continue;
    }
    const auto cells = splitCsvCells(line);
    const auto row_step = cells.size() > 2 ? parseInteger(cells[2]) : std::nullopt;
    const bool keep = row_step && (cells[0] == "edit" ? *row_step < step : *row_step <= step);
    if (keep)
      kept << line << '\n';
    else
      ++dropped;
  }
  in.close();
  writeFileAtomically(path, kept.str());
  return dropped;
}

}  // namespace cvae
