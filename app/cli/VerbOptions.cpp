#include "app/cli/VerbOptions.h"

#include <map>

namespace cvae::cli {
namespace {

// Each verb's options: what each does, its range and default. `--help VERB` printed the usage
// line alone, so `--steps N` or `-n` left the user to guess (a newcomer's report).
const std::map<std::string, std::string>& table() {
  static const std::map<std::string, std::string> options = {
      {"train",
       "  CONFIG                 a YAML config (configs/*.yaml); `cvae-cli config CONFIG` checks "
       "it\n"
       "  --set KEY=VALUE        change one config key first (repeatable; the last of a key wins)\n"
       "  --run-dir DIR          the run folder (default: output.dir/NAME-DATE-TIME)\n"
       "  --overwrite            replace the run already in --run-dir\n"
       "  --from RUN_DIR|CHECKPOINT\n"
       "                         fork: start from that run's last.pt (or the checkpoint) with\n"
       "                         CONFIG's schedules and length; model and optimizer must match\n"
       "  --world-size N         data-parallel: N processes in all (1 to 4096)\n"
       "  --rank R               this process's rank, 0 to N-1 (rank 0 writes the run folder)\n"
       "  --master HOST:PORT     where rank 0 listens\n"
       "  --timeout S            seconds to wait for the other ranks (1 to 86400, default 300)\n"},
      {"resume",
       "  RUN_DIR                a run folder with a last.pt\n"
       "  --set KEY=VALUE        only train.epochs (to extend), train.threads, train.device,\n"
       "                         train.checkpoint_every_epochs, output.dir and data paths; any\n"
       "                         other change is a fork (train --from)\n"
       "  --world-size, --rank, --master, --timeout\n"
       "                         as for train, to continue a data-parallel run\n"},
      {"sweep",
       "  SWEEP.yaml             base, set, grid, random, seeds, early_stop (README: Sweeps)\n"
       "  --parallel N           members at a time (1 to 1024; default: the cores over each\n"
       "                         member's train.threads)\n"
       "  --out DIR              the sweep folder (default: the base's output.dir/NAME-DATE-TIME,\n"
       "                         or the newest such folder of this sweep file, continued)\n"
       "  --dry-run              list the members and where they would run; run nothing\n"
       "  --retry-failed         start the members that failed in an earlier run anew\n"
       "  --member I             run member I alone (0-based), as a Slurm array task does\n"
       "  --emit-slurm FILE      write a Slurm array script, one task a member; run nothing\n"
       "  --cpus-per-task N      with --emit-slurm: cores a task (1 to 4096, default 4)\n"
       "  --ranks-per-member R   with --emit-slurm: data-parallel ranks a member (default 1)\n"
       "  --max-running N        with --emit-slurm: array tasks at once (default 0: no limit)\n"
       "  --overwrite            with --emit-slurm: replace FILE\n"},
      {"evaluate",
       "  CHECKPOINT|RUN_DIR     a checkpoint, or a run folder (its best.pt)\n"
       "  --test FILE            score this test file instead of the config's data.test\n"
       "  --set KEY=VALUE        change a key of the checkpoint's config first (e.g. "
       "data.lexicon)\n"
       "  --all                  print every prediction, not the first few\n"
       "  --save-previews DIR    write previews.tsv and scores.yaml (and video frames) to DIR,\n"
       "                         which the GUI opens as a run (File > Open run)\n"
       "  --overwrite            with --save-previews: replace earlier previews in DIR\n"},
      {"generate",
       "  CHECKPOINT|RUN_DIR     a checkpoint, or a run folder (its best.pt)\n"
       "  -n N                   draws z ~ N(0, I), each decoded in every tense (1 to 1000000,\n"
       "                         default 10)\n"
       "  --seed S               the sampling seed (0 to 2147483647, default 1)\n"
       "  --set KEY=VALUE        change a key of the checkpoint's config first\n"},
      {"convert",
       "  CHECKPOINT|RUN_DIR     a checkpoint, or a run folder (its best.pt)\n"
       "  WORD                   lower-case a-z\n"
       "  --from TENSE           the word's tense: sp (simple present, default), tp (third\n"
       "                         person), pg (present progressive) or p (simple past)\n"
       "  --to TENSE             the tense to write (default p); spelling runs take neither\n"
       "  --probabilities        also each written letter's probability and the word end's\n"
       "  --set KEY=VALUE        change a key of the checkpoint's config first\n"},
      {"predict",
       "  CHECKPOINT|RUN_DIR     a video checkpoint, or a run folder (its best.pt)\n"
       "  --sequence DIR         one sequence folder: 0.png, 1.png, ..., actions.csv,\n"
       "                         endeffector_positions.csv\n"
       "  --out DIR              where the PNG frames and prediction.gif go (not a run folder)\n"
       "  --samples N            prior samples to draw (1 to 64, default 1)\n"
       "  --seed S               the sampling seed (0 to 2147483647, default 1)\n"
       "  --overwrite            replace an earlier prediction in --out\n"},
      {"make-data",
       "  tense|spelling|pushing the data set to make\n"
       "  --out DIR              the folder it is written to\n"
       "  --size N               tense: training rows (default 2000); spelling: target words\n"
       "                         (default 6000)\n"
       "  --sequences N          pushing: training sequences (default 1000; validate and test\n"
       "                         keep 50 each)\n"
       "  --overwrite            replace a data set already in --out\n"},
      {"unseen-verbs",
       "  TRAIN_FILE             a tense train.txt; its verbs are left out\n"
       "  --out FILE             the test.txt-format file to write\n"
       "  -n N                   conversion pairs (1 to 100000, default 200; fewer if WordNet\n"
       "                         has fewer such verbs, said)\n"
       "  --overwrite            replace --out\n"},
      {"held-out-words",
       "  TRAIN_JSON             a spelling train.json\n"
       "  --train-out FILE       the training part: entries of the words kept\n"
       "  --dev-out FILE         the dev set: entries of the words held out\n"
       "  --share S              the share of target words held out (0 < S < 1, default 0.1)\n"
       "  --seed N               which words (0 to 1000000000, default 1)\n"
       "  --keep TEST_JSON       never hold out the words of this file\n"
       "  --overwrite            replace the output files\n"},
      {"score",
       "  bleu FILE              BLEU-4 of each 'prediction<TAB>reference' line (nltk method1\n"
       "                         smoothing, over characters) and their mean\n"},
      {"bench",
       "  EXPERIMENT|CONFIG      tense, spelling or video (its preset), or a config file\n"
       "  --seconds N            seconds of training to time (1 to 3600, default 20)\n"
       "  --set KEY=VALUE        change a key first\n"},
      {"config",
       "  CONFIG                 the config to check and print with defaults filled in\n"
       "  --set KEY=VALUE        change a key first, as train would\n"},
      {"diff",
       "  RUN_DIR|CHECKPOINT|CONFIG ...\n"
       "                         two or more; prints the keys whose values differ\n"},
      {"importance",
       "  RUNS_DIR ...           folders searched for runs (3 levels deep)\n"
       "  --score NAME           the score to explain (bleu, gaussian, psnr, ...)\n"
       "  --last                 each run's last value of it, not its best\n"
       "  --lower-is-better      with --last: a lower value is better (a loss)\n"
       "  --schedule-at STEP     add the planned β and teacher-forcing ratio at that optimizer\n"
       "                         step as keys\n"},
      {"probe",
       "  A B                    two checkpoints or run folders (a folder: the checkpoint\n"
       "                         nearest --step, else its last.pt)\n"
       "  --word W               a word to convert through both (repeatable; default: the test\n"
       "                         pairs)\n"
       "  --from T, --to T       the words' tenses (sp, tp, pg, p; default sp to p)\n"
       "  -n N                   tense: tuples generated from the same z draws (0 to 10000,\n"
       "                         default 10); video: prior samples (1 to 1000)\n"
       "  --seed S               the sampling seed (default 1)\n"
       "  --sequence DIR         video: the sequence to predict through both\n"
       "  --step S               the optimizer step whose checkpoints to compare\n"
       "  --set KEY=VALUE        change a key of both configs first\n"},
      {"interpolate",
       "  CHECKPOINT|RUN_DIR     a tense checkpoint, or a run folder (its best.pt)\n"
       "  WORD_A WORD_B          the walk's ends\n"
       "  --steps N              points on the walk, ends included (2 to 1000, default 7)\n"
       "  --tense T              the tense WORD_A and WORD_B are in (sp, tp, pg, p; default sp)\n"
       "  --set KEY=VALUE        change a key of the checkpoint's config first\n"},
  };
  return options;
}

}  // namespace

std::string verbOptionsHelp(const std::string& verb) {
  const auto it = table().find(verb);
  return it == table().end() ? std::string() : it->second;
}

}  // namespace cvae::cli
