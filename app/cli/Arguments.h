#pragma once
// A small command-line reader: positionals, `--name value` options, flags. Unknown options are
// errors, so a typo never silently changes a run; so is a value option given twice, but for
// --set and --word, which gather their values.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace cvae {
struct ExperimentConfig;
}

namespace cvae::cli {

// Says on stderr, one "note:" line each, which `--set` assignments have no effect given the
// rest of `config` (model.copy without attention, say), so none is ignored silently.
void remarkOverridesWithoutEffect(const ExperimentConfig& config,
                                  const std::vector<std::string>& overrides);
// For the verbs that load a trained checkpoint (evaluate, convert, ...): also the keys read only
// in training (schedules, optimizer, output, epochs, dropouts, checkpoint choice). `b`: a second
// checkpoint's config (probe), where a key is idle when it is idle in both. `verb`: the command;
// any but evaluate also notes the keys only an evaluation reads (evaluation.gaussian_samples on
// generate, which takes -n).
void remarkOverridesOnCheckpoint(const std::string& verb, const ExperimentConfig& a,
                                 const std::vector<std::string>& overrides,
                                 const ExperimentConfig* b = nullptr);

// Makes the folder `path` that the user named with `option` ("--out") and its parents. Throws
// InputError naming the option and the path ("--out x: cannot create the folder: Not a
// directory"), not the filesystem's own message.
void createOutputFolder(const std::string& path, const std::string& option);

// Checks, before any work, the file `path` that `option` names for writing: not a folder, not
// one of `inputs` (the verb's input files, which writing would destroy), and not an existing
// file unless `overwrite`. Throws InputError naming the option and the path.
void checkOutputFile(const std::string& path, const std::string& option, bool overwrite,
                     const std::vector<std::string>& inputs = {});
// Whether two paths name one file (the same file reached two ways, or two spellings of a path
// that does not exist yet).
bool sameFile(const std::string& a, const std::string& b);

class Arguments {
 public:
  // `value_options` take a value ("--set", "-n"); `flags` do not ("--quiet").
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_options,
            const std::set<std::string>& flags = {});

  const std::vector<std::string>& positionals() const { return positionals_; }
  std::string positional(size_t i, const std::string& what) const;  // throws if missing
  // A verb's positionals by name ({"CHECKPOINT", "WORD"}): one more is an error naming it, so
  // `convert best.pt abet going` is not read as `convert best.pt abet`.
  void expectPositionals(const std::vector<std::string>& names) const;
  bool has(const std::string& option) const;
  std::string value(const std::string& option, const std::string& fallback = "") const;
  std::vector<std::string> values(const std::string& option) const;
  int intValue(const std::string& option, int fallback, int min, int max) const;
  // A decimal in the open interval (min, max), read the same under any locale.
  double realValue(const std::string& option, double fallback, double min, double max) const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>> options_;
};

}  // namespace cvae::cli
