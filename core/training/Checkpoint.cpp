#include "core/training/Checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Generator.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <locale>
#include <mutex>
#include <sstream>
#include <utility>
#include <vector>

#include "core/config/ConfigIo.h"
#include "core/io/AtomicFile.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"

namespace cvae {
namespace {

std::uint32_t crc32Of(const std::string& bytes) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  for (size_t done = 0; done < bytes.size();) {  // zlib takes 32-bit lengths
    const auto chunk = static_cast<uInt>(std::min<size_t>(bytes.size() - done, 1u << 30));
    crc = ::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + done), chunk);
    done += chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

// 1: weights, optimizer, position. 2: + exact-resume state. 3: weights and optimizer state as
// checksummed byte records.
constexpr int64_t kFormatVersion = 3;

// A serialized archive kept as one uint8 tensor record with a CRC-32 (zlib) beside it: LibTorch's
// reader does not check the zip's CRCs, so a changed byte would otherwise load silently.
void writeChecked(torch::serialize::OutputArchive& archive, const std::string& name,
                  torch::serialize::OutputArchive& content) {
  std::ostringstream out;
  content.save_to(out);
  const std::string bytes = out.str();
  auto tensor = torch::empty({static_cast<int64_t>(bytes.size())}, torch::kUInt8);
  std::memcpy(tensor.data_ptr<std::uint8_t>(), bytes.data(), bytes.size());
  archive.write(name + "_bytes", tensor, /*is_buffer=*/true);
  archive.write(name + "_crc32", c10::IValue(static_cast<int64_t>(crc32Of(bytes))));
}

// The content written by writeChecked, verified; false when the archive has no such record.
bool readChecked(torch::serialize::InputArchive& archive, const std::string& name,
                 const std::string& source, torch::serialize::InputArchive& content) {
  at::Tensor tensor;
  if (!archive.try_read(name + "_bytes", tensor, /*is_buffer=*/true)) return false;
  c10::IValue stored;
  archive.read(name + "_crc32", stored);
  tensor = tensor.contiguous();
  const std::string bytes(reinterpret_cast<const char*>(tensor.data_ptr<std::uint8_t>()),
                          static_cast<size_t>(tensor.numel()));
  const auto actual = static_cast<int64_t>(crc32Of(bytes));
  if (tensor.scalar_type() != torch::kUInt8 || actual != stored.toInt())
    throw InputError(source + ": record '" + name +
                     "' is damaged: its checksum does not match what was written (the file was "
                     "changed or corrupted after it was saved)");
  try {
    content.load_from(bytes.data(), bytes.size());
  } catch (const c10::Error& e) {
    throw InputError(source + ": record '" + name + "' cannot be read (" +
                     e.what_without_backtrace() + ")");
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // LibTorch's reader throws std::out_of_range and others besides c10::Error on damaged
    // archives (found by tests/test_fuzz_readers.cpp).
    throw InputError(source + ": record '" + name + "' cannot be read (" + e.what() + ")");
  }
  return true;
}

std::string encodeScores(const std::map<std::string, double>& scores) {
  std::string text;
  for (const auto& [name, value] : scores) text += name + '=' + formatShortest(value) + '\n';
  return text;
}

std::map<std::string, double> decodeScores(const std::string& text, const std::string& source) {
  std::map<std::string, double> scores;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const auto value = parseDouble(line.substr(eq + 1));
    if (!value) throw InputError(source + ": score '" + line + "' is not name=number");
    scores[line.substr(0, eq)] = *value;
  }
  return scores;
}

torch::serialize::InputArchive openArchive(const std::string& bytes, const std::string& source) {
  // Said plainly: LibTorch's words for these are "PytorchStreamReader failed reading zip
  // archive: not a ZIP archive". (A save cut short by a full disk, or a file made by hand.)
  if (bytes.empty()) throw InputError(source + ": an empty file (0 bytes), not a checkpoint");
  if (bytes.compare(0, 2, "PK") != 0)
    throw InputError(source +
                     ": not a checkpoint (a checkpoint is a ZIP archive written by LibTorch or "
                     "PyTorch; this file does not start as one)");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(bytes.data(), bytes.size());
  } catch (const c10::Error& e) {
    throw InputError(source + ": not a readable checkpoint (" + e.what_without_backtrace() + ")");
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // LibTorch's reader throws std::out_of_range and others besides c10::Error on damaged
    // archives (found by tests/test_fuzz_readers.cpp).
    throw InputError(source + ": not a readable checkpoint (" + e.what() + ")");
  }
  return archive;
}

}  // namespace

std::string saveGeneratorState(const std::mt19937_64& rng) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << rng;
  return out.str();
}

void restoreGeneratorState(std::mt19937_64& rng, const std::string& text,
                           const std::string& source) {
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  std::mt19937_64 restored;
  in >> restored;
  if (in.fail()) throw InputError(source + ": the saved random generator state is damaged");
  rng = restored;
}

at::Tensor torchGeneratorState() {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

void restoreTorchGeneratorState(const at::Tensor& state) {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
}

namespace {

// The position, scores, config and random states as one byte string, for the CRC-32 beside the
// model's and optimizer's records ("state_crc32"): a changed byte in the random state or the
// embedded config loaded silently, and a resume then trained another run than the one stopped.
// Each field with its length; doubles by their bits. `scores` as stored (encodeScores).
std::string stateBytes(const CheckpointInfo& info, const std::string& scores) {
  std::string out;
  auto add = [&out](const std::string& field) {
    out += std::to_string(field.size()) + ':' + field + ';';
  };
  auto bits = [](double value) {
    std::uint64_t b = 0;
    std::memcpy(&b, &value, sizeof b);
    return std::to_string(b);
  };
  add(std::to_string(info.epoch));
  add(std::to_string(info.step));
  add(std::to_string(info.batches_into_epoch));
  add(bits(info.elapsed_seconds));
  add(bits(info.best_score));
  add(info.have_best ? "1" : "0");
  add(info.config_yaml);
  add(scores);
  add(info.rng_state);
  add(info.epoch_rng_state);
  if (info.torch_rng_state.defined()) {
    const at::Tensor state = info.torch_rng_state.contiguous();
    add(std::string(static_cast<const char*>(state.data_ptr()),
                    static_cast<size_t>(state.numel()) * state.element_size()));
  }
  return out;
}

}  // namespace

void saveCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer, const CheckpointInfo& info) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  torch::serialize::OutputArchive archive;
  archive.write("format_version", c10::IValue(kFormatVersion));
  archive.write("epoch", c10::IValue(static_cast<int64_t>(info.epoch)));
  archive.write("step", c10::IValue(info.step));
  archive.write("batches_into_epoch", c10::IValue(info.batches_into_epoch));
  archive.write("elapsed_seconds", c10::IValue(info.elapsed_seconds));
  archive.write("best_score", c10::IValue(info.best_score));
  archive.write("have_best", c10::IValue(info.have_best));
  archive.write("config", c10::IValue(info.config_yaml));
  archive.write("scores", c10::IValue(encodeScores(info.scores)));
  archive.write("rng_state", c10::IValue(info.rng_state));
  archive.write("epoch_rng_state", c10::IValue(info.epoch_rng_state));
  if (info.torch_rng_state.defined())
    archive.write("torch_rng_state", info.torch_rng_state, /*is_buffer=*/true);
  archive.write(
      "state_crc32",
      c10::IValue(static_cast<int64_t>(crc32Of(stateBytes(info, encodeScores(info.scores))))));
  torch::serialize::OutputArchive model_archive;
  model.save(model_archive);
  writeChecked(archive, "model", model_archive);
  if (optimizer) {
    torch::serialize::OutputArchive optimizer_archive;
    optimizer->save(optimizer_archive);
    writeChecked(archive, "optimizer", optimizer_archive);
  }
  // Serialized in memory first: LibTorch's file writer can throw from a destructor when the
  // disk fills, which ends the process; our own write reports it and removes the temporary.
  std::ostringstream bytes;
  try {
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    throw std::runtime_error(path + ": cannot serialize the checkpoint (" +
                             e.what_without_backtrace() + ")");
  }
  writeFileAtomically(path, bytes.str());
}

std::string readCheckpointBytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Said as it is: "no such checkpoint" for a folder or a broken link sent users looking for a
  // file that is there.
  if (const std::string what = describeNonFile(path); !what.empty())
    throw InputError(path + ": is " + what + "; expected a checkpoint");
  if (!fs::is_regular_file(path, ec)) throw InputError(path + ": no such checkpoint");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the checkpoint");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

CheckpointInfo checkpointInfoFromBytes(const std::string& bytes, const std::string& source) {
  auto archive = openArchive(bytes, source);
  CheckpointInfo info;
  c10::IValue v;
  try {
    archive.read("format_version", v);
    if (v.toInt() < 1 || v.toInt() > kFormatVersion)
      throw InputError(source + ": checkpoint format " + std::to_string(v.toInt()) +
                       " is not supported (this build reads 1 to " +
                       std::to_string(kFormatVersion) + ")");
    info.format_version = static_cast<int>(v.toInt());
    archive.read("epoch", v);
    info.epoch = static_cast<int>(v.toInt());
    archive.read("step", v);
    info.step = v.toInt();
    archive.read("best_score", v);
    info.best_score = v.toDouble();
    archive.read("config", v);
    info.config_yaml = v.toStringRef();
    archive.read("scores", v);
    const std::string scores = v.toStringRef();
    info.scores = decodeScores(scores, source);
    info.have_best = !info.scores.empty();
    if (info.format_version >= 2) {
      archive.read("batches_into_epoch", v);
      info.batches_into_epoch = v.toInt();
      archive.read("elapsed_seconds", v);
      info.elapsed_seconds = v.toDouble();
      archive.read("have_best", v);
      info.have_best = v.toBool();
      archive.read("rng_state", v);
      info.rng_state = v.toStringRef();
      archive.read("epoch_rng_state", v);
      info.epoch_rng_state = v.toStringRef();
      if (!archive.try_read("torch_rng_state", info.torch_rng_state, /*is_buffer=*/true))
        info.torch_rng_state = at::Tensor();
    }
    // Checkpoints written before the state had a checksum load unchecked.
    if (archive.try_read("state_crc32", v) &&
        v.toInt() != static_cast<int64_t>(crc32Of(stateBytes(info, scores))))
      throw InputError(source +
                       ": record 'state' (position, config and random state) is damaged: its "
                       "checksum does not match what was written (the file was changed or "
                       "corrupted after it was saved)");
  } catch (const c10::Error& e) {
    throw InputError(source + ": not a workbench checkpoint (" + e.what_without_backtrace() + ")");
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // LibTorch's reader throws std::out_of_range and others besides c10::Error on damaged
    // archives (found by tests/test_fuzz_readers.cpp).
    throw InputError(source + ": not a workbench checkpoint (" + e.what() + ")");
  }
  if (info.epoch < 0 || info.step < 0 || info.batches_into_epoch < 0)
    throw InputError(source + ": the checkpoint's position (epoch " + std::to_string(info.epoch) +
                     ", step " + std::to_string(info.step) + ") is damaged");
  return info;
}

CheckpointInfo readCheckpointInfo(const std::string& path) {
  return checkpointInfoFromBytes(readCheckpointBytes(path), path);
}

ExperimentConfig checkpointConfig(const CheckpointInfo& info, const std::string& source) {
  return loadConfigText(info.config_yaml, source + " (embedded config)", "/");
}

ExperimentConfig checkpointConfig(const std::string& path) {
  return checkpointConfig(readCheckpointInfo(path), path);
}

namespace {

std::string shapeText(const at::Tensor& t) {
  std::string text = "[";
  for (std::int64_t d = 0; d < t.dim(); ++d) text += (d ? ", " : "") + std::to_string(t.size(d));
  return text + "]";
}

// The shape of every parameter and buffer of a model, by its dotted name.
std::vector<std::pair<std::string, std::string>> tensorShapes(const torch::nn::Module& model) {
  std::vector<std::pair<std::string, std::string>> shapes;
  for (const auto& p : model.named_parameters(/*recurse=*/true))
    shapes.emplace_back(p.key(), shapeText(p.value()));
  for (const auto& b : model.named_buffers(/*recurse=*/true))
    shapes.emplace_back(b.key(), shapeText(b.value()));
  return shapes;
}

// LibTorch's Module::load replaces each tensor with the stored one whatever its shape, so a
// checkpoint whose embedded config was edited (the config is not covered by the checksum), or
// one made for another model, would load "successfully" and fail later deep inside a forward
// pass with a LibTorch backtrace. Comparing the shapes the config built with those loaded turns
// that into an error that names the tensor.
void requireSameShapes(const std::vector<std::pair<std::string, std::string>>& built,
                       const torch::nn::Module& model, const std::string& source) {
  const auto loaded = tensorShapes(model);
  for (std::size_t i = 0; i < built.size() && i < loaded.size(); ++i)
    if (built[i] != loaded[i])
      throw InputError(source + ": the checkpoint does not fit this model: " + built[i].first +
                       " is " + loaded[i].second + " in the checkpoint but " + built[i].second +
                       " for the config (was the embedded config edited, or is the checkpoint "
                       "from another model?)");
}

}  // namespace

void loadCheckpointFromBytes(const std::string& bytes, const std::string& source,
                             torch::nn::Module& model, torch::optim::Optimizer* optimizer) {
  auto archive = openArchive(bytes, source);
  try {
    // Format 3 checks each record's checksum; older files load unchecked (their info says
    // which format they are, and the CLI and the trainer say so).
    torch::serialize::InputArchive model_archive;
    if (!readChecked(archive, "model", source, model_archive)) archive.read("model", model_archive);
    const auto built = tensorShapes(model);
    model.load(model_archive);
    requireSameShapes(built, model, source);
    if (optimizer) {
      torch::serialize::InputArchive optimizer_archive;
      if (!readChecked(archive, "optimizer", source, optimizer_archive) &&
          !archive.try_read("optimizer", optimizer_archive))
        throw InputError(source + ": the checkpoint holds no optimizer state to continue from");
      optimizer->load(optimizer_archive);
    }
  } catch (const c10::Error& e) {
    throw InputError(source + ": the checkpoint does not fit this model (" +
                     e.what_without_backtrace() + ")");
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // LibTorch's reader throws std::out_of_range and others besides c10::Error on damaged
    // archives (found by tests/test_fuzz_readers.cpp).
    throw InputError(source + ": the checkpoint does not fit this model (" + e.what() + ")");
  }
}

void loadCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer) {
  loadCheckpointFromBytes(readCheckpointBytes(path), path, model, optimizer);
}

}  // namespace cvae
