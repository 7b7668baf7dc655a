#include "core/training/PreviewFile.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/config/ConfigError.h"
#include "core/io/AtomicFile.h"
#include "core/io/NumberText.h"
#include "core/io/PngImage.h"
#include "core/io/TextLines.h"
#include "core/io/Utf8.h"

namespace fs = std::filesystem;

namespace cvae {
namespace {

std::vector<std::string> splitTabs(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, '\t')) cells.push_back(cell);
  if (!line.empty() && line.back() == '\t') cells.emplace_back();
  return cells;
}

// Tabs and newlines inside a cell would break the format; previews never need them.
std::string clean(std::string text) {
  for (auto& c : text)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return text;
}

fs::path framesDir(const std::string& preview_path) {
  return fs::path(preview_path).parent_path() / "preview-frames";
}

std::string framePath(const fs::path& dir, size_t strip, size_t frame) {
  return (dir / (std::to_string(strip) + "_" + std::to_string(frame) + ".png")).string();
}

}  // namespace

void writePreviewFile(const std::string& path, const SavedPreviews& previews) {
  std::ostringstream out;
  out << "# epoch " << previews.epoch << " step " << previews.step << '\n';
  for (const auto& note : previews.evaluation.notes) out << "# note: " << clean(note) << '\n';
  for (const auto& table : previews.evaluation.previews) {
    out << "## " << clean(table.title) << '\n';
    for (const auto& column : table.columns) out << clean(column) << '\t';
    out << "ok\n";
    for (size_t r = 0; r < table.rows.size(); ++r) {
      for (const auto& cell : table.rows[r]) out << clean(cell) << '\t';
      out << (table.row_ok[r] ? "1" : "0") << '\n';
    }
  }
  const auto& strips = previews.evaluation.frames;
  if (!strips.empty()) {
    const fs::path dir = framesDir(path);
    fs::create_directories(dir);
    for (size_t s = 0; s < strips.size(); ++s) {
      out << "### FRAMES " << clean(strips[s].title) << '\n';
      for (size_t t = 0; t < strips[s].frames.size(); ++t) {
        const double psnr = strips[s].psnr[t];
        out << (t ? "\t" : "") << (std::isnan(psnr) ? std::string("given") : formatShortest(psnr));
        writePng(framePath(dir, s, t), strips[s].frames[t]);
      }
      out << '\n';
    }
  }
  writeFileAtomically(path, out.str());
}

SavedPreviews readPreviewFile(const std::string& path) {
  const auto lines = readTextLines(path);
  SavedPreviews saved;
  PreviewTable* table = nullptr;
  bool expect_header = false;
  bool expect_psnr = false;
  int line_number = 0;
  for (const auto& line : lines) {
    ++line_number;
    const std::string where = path + ":" + std::to_string(line_number);
    if (line.rfind("# note: ", 0) == 0) {
      saved.evaluation.notes.push_back(line.substr(8));
    } else if (line.rfind("# epoch ", 0) == 0) {
      std::istringstream fields(line.substr(2));
      std::string epoch_word, step_word;
      if (!(fields >> epoch_word >> saved.epoch >> step_word >> saved.step))
        throw InputError(where + ": expected '# epoch E step S'");
    } else if (line.rfind("### FRAMES ", 0) == 0) {
      saved.evaluation.frames.push_back(FrameStrip{line.substr(11), {}, {}});
      expect_psnr = true;
    } else if (expect_psnr) {
      // The strip's per-frame PSNR; its images are the PNG files beside the preview file.
      auto& strip = saved.evaluation.frames.back();
      const size_t index = saved.evaluation.frames.size() - 1;
      for (const auto& cell : splitTabs(line)) {
        const size_t t = strip.psnr.size();
        const auto value =
            cell == "given" ? std::optional<double>(std::nan("")) : parseDouble(cell);
        if (!value)
          throw InputError(where + ": '" + printable(cell) + "' is not a PSNR or 'given'");
        strip.psnr.push_back(*value);
        strip.frames.push_back(readPng(framePath(framesDir(path), index, t)));
      }
      expect_psnr = false;
    } else if (line.rfind("## ", 0) == 0) {
      saved.evaluation.previews.emplace_back();
      table = &saved.evaluation.previews.back();
      table->title = line.substr(3);
      expect_header = true;
    } else if (!line.empty()) {
      if (!table) throw InputError(where + ": a row before any '## TITLE' line");
      auto cells = splitTabs(line);
      if (cells.empty() || (expect_header && cells.back() != "ok"))
        throw InputError(where + ": expected the column names ending in 'ok'");
      cells.pop_back();
      if (expect_header) {
        table->columns = cells;
        expect_header = false;
        continue;
      }
      if (cells.size() != table->columns.size())
        throw InputError(where + ": expected " + std::to_string(table->columns.size() + 1) +
                         " cells");
      const std::string ok = splitTabs(line).back();
      table->rows.push_back(cells);
      table->row_ok.push_back(ok == "1");
    }
  }
  return saved;
}

}  // namespace cvae
