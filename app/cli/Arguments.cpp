#include "app/cli/Arguments.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/io/FilePaths.h"
#include "core/io/NumberText.h"

namespace cvae::cli {

void remarkOverridesWithoutEffect(const ExperimentConfig& config,
                                  const std::vector<std::string>& overrides) {
  for (const auto& remark : overridesWithoutEffect(config, overrides))
    std::fprintf(stderr, "note: %s\n", remark.c_str());
}

void remarkOverridesOnCheckpoint(const std::string& verb, const ExperimentConfig& a,
                                 const std::vector<std::string>& overrides,
                                 const ExperimentConfig* b) {
  std::vector<std::string> in_use;
  for (const auto& assignment : overrides) {
    const std::string key = overrideKey(assignment);
    if (readOnlyInTraining(key, a.kind))
      std::fprintf(stderr,
                   "note: --set %s has no effect on a trained checkpoint: it is read only "
                   "in training\n",
                   assignment.c_str());
    else if (verb != "evaluate" && readOnlyInEvaluation(key))
      std::fprintf(stderr,
                   "note: --set %s has no effect on %s: it is read only by evaluate and in "
                   "training\n",
                   assignment.c_str(), verb.c_str());
    else
      in_use.push_back(assignment);
  }
  const auto idle_in_a = overridesWithoutEffect(a, in_use);
  const auto idle_in_b = b ? overridesWithoutEffect(*b, in_use) : idle_in_a;
  for (const auto& remark : idle_in_a)
    if (std::find(idle_in_b.begin(), idle_in_b.end(), remark) != idle_in_b.end())
      std::fprintf(stderr, "note: %s%s\n", remark.c_str(), b ? " (in A and B)" : "");
}

void createOutputFolder(const std::string& path, const std::string& option) {
  std::error_code error;
  if (path.empty()) throw InputError(option + ": an empty path");
  if (std::filesystem::is_directory(path, error)) return;
  if (const std::string what = describeNonFile(path); !what.empty())
    throw InputError(option + " " + path + ": is " + what + "; name a folder");
  if (std::filesystem::exists(path, error))
    throw InputError(option + " " + path + ": is a file, not a folder");
  if (const std::string blocker = blockerAlongPath((std::filesystem::path(path) / "-").string());
      !blocker.empty())
    throw InputError(option + " " + path + ": " + blocker);
  std::filesystem::create_directories(path, error);
  if (error)
    throw InputError(option + " " + path + ": cannot create the folder: " + error.message());
}

bool sameFile(const std::string& a, const std::string& b) {
  std::error_code error;
  if (std::filesystem::equivalent(a, b, error)) return true;
  // Made absolute first: weakly_canonical leaves a relative path to a file that does not exist
  // yet relative, so "x.json" and "/here/x.json" compared unequal (and one output overwrote
  // the other).
  const auto resolved = [&](const std::string& path) {
    std::error_code e;
    auto absolute = std::filesystem::absolute(path, e);
    if (e) return std::filesystem::path(path).lexically_normal();
    auto canonical = std::filesystem::weakly_canonical(absolute, e);
    return e ? absolute.lexically_normal() : canonical;
  };
  return resolved(a) == resolved(b);
}

void checkOutputFile(const std::string& path, const std::string& option, bool overwrite,
                     const std::vector<std::string>& inputs) {
  if (path.empty()) throw InputError(option + ": an empty path");
  std::error_code error;
  if (std::filesystem::is_directory(path, error) || path.back() == '/')
    throw InputError(option + " " + path + ": is a folder; name a file");
  if (const std::string blocker = blockerAlongPath(path); !blocker.empty())
    throw InputError(option + " " + path + ": " + blocker);
  for (const auto& input : inputs)
    if (sameFile(path, input))
      throw InputError(option + " " + path + ": is the input file " + input +
                       "; writing it would destroy it");
  // A link to nothing, or a loop, is there too: writing replaces the link itself.
  if (!overwrite && std::filesystem::exists(std::filesystem::symlink_status(path, error))) {
    const std::string what = describeNonFile(path);
    throw InputError(path + ": exists already" + (what.empty() ? "" : " (" + what + ")") +
                     "; pass --overwrite to replace it");
  }
}

Arguments::Arguments(const std::vector<std::string>& args,
                     const std::set<std::string>& value_options,
                     const std::set<std::string>& flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-' && !(a[1] >= '0' && a[1] <= '9')) {
      std::string name = a, inline_value;
      const auto eq = a.find('=');
      const bool has_inline = a.rfind("--", 0) == 0 && eq != std::string::npos;
      if (has_inline) {
        name = a.substr(0, eq);
        inline_value = a.substr(eq + 1);
      }
      if (flags.count(name)) {
        options_[name].push_back("");
      } else if (value_options.count(name)) {
        if (has_inline) {
          options_[name].push_back(inline_value);
        } else {
          if (i + 1 >= args.size()) throw InputError("option " + name + " needs a value");
          // `--out --dry-run` is a forgotten value, not a folder named "--dry-run".
          const std::string& next = args[i + 1];
          const std::string next_name = next.substr(0, next.find('='));
          if (next.rfind("--", 0) == 0 &&
              (value_options.count(next_name) || flags.count(next_name) || next == "--help"))
            throw InputError("option " + name + " needs a value (got the option " + next + ")");
          options_[name].push_back(args[++i]);
        }
        // `-n 2 -n 3` took the last silently; only --set and --word gather their values.
        if (name != "--set" && name != "--word" && options_[name].size() > 1)
          throw InputError("option " + name + " given twice ('" + options_[name].front() +
                           "' and '" + options_[name].back() + "'); give it once");
      } else {
        // The verb's options in the message, so a typo shows its fix (and a test can check
        // that every option the verb reads is in its usage line).
        std::set<std::string> known(value_options);
        known.insert(flags.begin(), flags.end());
        std::string list;
        for (const auto& option : known) list += (list.empty() ? "" : " ") + option;
        throw InputError("unknown option " + name +
                         (list.empty() ? " (this verb takes none)" : " (options: " + list + ")"));
      }
    } else {
      positionals_.push_back(a);
    }
  }
}

std::string Arguments::positional(size_t i, const std::string& what) const {
  if (i >= positionals_.size()) throw InputError("missing " + what);
  return positionals_[i];
}

void Arguments::expectPositionals(const std::vector<std::string>& names) const {
  if (positionals_.size() <= names.size()) return;
  std::string expected;
  for (const auto& name : names) expected += (expected.empty() ? "" : " ") + name;
  throw InputError("unexpected argument '" + positionals_[names.size()] + "'" +
                   (names.empty() ? std::string(" (this verb takes none)") : " after " + expected));
}

bool Arguments::has(const std::string& option) const {
  return options_.count(option) > 0;
}

std::string Arguments::value(const std::string& option, const std::string& fallback) const {
  auto it = options_.find(option);
  return it == options_.end() ? fallback : it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& option) const {
  auto it = options_.find(option);
  return it == options_.end() ? std::vector<std::string>{} : it->second;
}

int Arguments::intValue(const std::string& option, int fallback, int min, int max) const {
  if (!has(option)) return fallback;
  const std::string text = value(option);
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max)
    throw InputError("option " + option + ": expected an integer in [" + std::to_string(min) +
                     ", " + std::to_string(max) + "], got '" + text + "'");
  return v;
}

double Arguments::realValue(const std::string& option, double fallback, double min,
                            double max) const {
  if (!has(option)) return fallback;
  const std::string text = value(option);
  const auto v = parseDouble(text);
  if (!v || !(*v > min && *v < max))
    throw InputError("option " + option + ": expected a number between " + formatShortest(min) +
                     " and " + formatShortest(max) + " (exclusive), got '" + text + "'");
  return *v;
}

}  // namespace cvae::cli
