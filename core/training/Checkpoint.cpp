#include "core/training/Checkpoint.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <filesystem>
#include <sstream>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/io/AtomicFile.h"

namespace cvae {
namespace {

constexpr int64_t kFormatVersion = 1;

std::string encodeScores(const std::map<std::string, double>& scores) {
  std::ostringstream out;
  out.precision(17);
  for (const auto& [name, value] : scores) out << name << '=' << value << '\n';
  return out.str();
}

std::map<std::string, double> decodeScores(const std::string& text) {
  std::map<std::string, double> scores;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) scores[line.substr(0, eq)] = std::stod(line.substr(eq + 1));
  }
  return scores;
}

torch::serialize::InputArchive openArchive(const std::string& path) {
  if (!std::filesystem::exists(path)) throw InputError(path + ": no such checkpoint");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    throw InputError(path + ": not a readable checkpoint (" + e.what_without_backtrace() + ")");
  }
  return archive;
}

}  // namespace

void saveCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer, const CheckpointInfo& info) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  torch::serialize::OutputArchive archive;
  archive.write("format_version", c10::IValue(kFormatVersion));
  archive.write("epoch", c10::IValue(static_cast<int64_t>(info.epoch)));
  archive.write("step", c10::IValue(info.step));
  archive.write("best_score", c10::IValue(info.best_score));
  archive.write("config", c10::IValue(info.config_yaml));
  archive.write("scores", c10::IValue(encodeScores(info.scores)));
  torch::serialize::OutputArchive model_archive;
  model.save(model_archive);
  archive.write("model", model_archive);
  if (optimizer) {
    torch::serialize::OutputArchive optimizer_archive;
    optimizer->save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
  }
  const std::string tmp = temporarySibling(path);
  archive.save_to(tmp);
  replaceFile(tmp, path);
}

CheckpointInfo readCheckpointInfo(const std::string& path) {
  auto archive = openArchive(path);
  CheckpointInfo info;
  c10::IValue v;
  try {
    archive.read("format_version", v);
    if (v.toInt() != kFormatVersion)
      throw InputError(path + ": checkpoint format " + std::to_string(v.toInt()) +
                       " is not supported (expected " + std::to_string(kFormatVersion) + ")");
    archive.read("epoch", v);
    info.epoch = static_cast<int>(v.toInt());
    archive.read("step", v);
    info.step = v.toInt();
    archive.read("best_score", v);
    info.best_score = v.toDouble();
    archive.read("config", v);
    info.config_yaml = v.toStringRef();
    archive.read("scores", v);
    info.scores = decodeScores(v.toStringRef());
  } catch (const c10::Error& e) {
    throw InputError(path + ": not a workbench checkpoint (" + e.what_without_backtrace() + ")");
  }
  return info;
}

ExperimentConfig checkpointConfig(const std::string& path) {
  return loadConfigText(readCheckpointInfo(path).config_yaml, path + " (embedded config)", "/");
}

void loadCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer) {
  auto archive = openArchive(path);
  try {
    torch::serialize::InputArchive model_archive;
    archive.read("model", model_archive);
    model.load(model_archive);
    if (optimizer) {
      torch::serialize::InputArchive optimizer_archive;
      archive.read("optimizer", optimizer_archive);
      optimizer->load(optimizer_archive);
    }
  } catch (const c10::Error& e) {
    throw InputError(path + ": the checkpoint does not fit this model (" +
                     e.what_without_backtrace() + ")");
  }
}

}  // namespace cvae
