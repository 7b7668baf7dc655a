#pragma once
// The latest evaluation's preview tables, kept in RUN_DIR/previews.tsv so that a run opened
// later shows what its last evaluation produced. Format (tab-separated, UTF-8):
//   # epoch E step S
//   # note: TEXT                       (any number)
//   ## TABLE TITLE
//   COLUMN<TAB>COLUMN...<TAB>ok
//   CELL<TAB>CELL...<TAB>1|0          (one line per row)
//   ### FRAMES TITLE                   (video: one frame strip)
//   PSNR<TAB>PSNR...                   (per frame, "given" for conditioning frames)
// A strip's images are PNG files beside it: preview-frames/STRIP_FRAME.png (0-based).

#include <string>

#include "core/experiments/Evaluation.h"

namespace cvae {

struct SavedPreviews {
  int epoch = 0;  // 0-based
  int64_t step = 0;
  Evaluation evaluation;  // previews and notes; the scores live in metrics.csv
};

// Written through a temporary file and a rename.
void writePreviewFile(const std::string& path, const SavedPreviews& previews);
// Throws InputError naming the file and line when it is not in the format above.
SavedPreviews readPreviewFile(const std::string& path);

}  // namespace cvae
