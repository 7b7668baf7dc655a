#include "core/training/Distributed.h"

// Debian's LibTorch is built with Gloo; its header only declares the class with this set.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <ATen/ATen.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/io/InputError.h"

namespace cvae {
namespace {

// c10's errors carry a C++ backtrace of twenty frames: for a user, the first line says it.
std::string withoutBacktrace(const std::exception& e) {
  if (const auto* c10_error = dynamic_cast<const c10::Error*>(&e))
    return c10_error->what_without_backtrace();
  return e.what();
}

int integerFromEnvironment(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0')
    throw InputError(std::string("environment variable ") + name + "='" + text +
                     "' is not an integer");
  return static_cast<int>(value);
}

}  // namespace

DistributedSettings distributedSettingsFromEnvironment() {
  DistributedSettings s;
  s.world_size = integerFromEnvironment("WORLD_SIZE", s.world_size);
  s.rank = integerFromEnvironment("RANK", s.rank);
  if (const char* addr = std::getenv("MASTER_ADDR"); addr && *addr) s.master_addr = addr;
  s.master_port = integerFromEnvironment("MASTER_PORT", s.master_port);
  return s;
}

void parseMaster(const std::string& text, DistributedSettings& settings) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw InputError("--master '" + text + "': expected HOST:PORT");
  char* end = nullptr;
  const long port = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0') throw InputError("--master '" + text + "': the port is not a number");
  settings.master_addr = text.substr(0, colon);
  settings.master_port = static_cast<int>(port);
}

void validateDistributedSettings(const DistributedSettings& s) {
  if (s.world_size < 1) throw InputError("world size " + std::to_string(s.world_size) + " < 1");
  if (s.rank < 0 || s.rank >= s.world_size)
    throw InputError("rank " + std::to_string(s.rank) + " is outside [0, " +
                     std::to_string(s.world_size) + ")");
  if (s.master_port < 1 || s.master_port > 65535)
    throw InputError("master port " + std::to_string(s.master_port) + " is outside 1..65535");
}

struct DataParallelGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;

  // Runs a collective; any failure becomes a DistributedError that says which rank saw it.
  void run(std::vector<at::Tensor>& tensors, bool broadcast, int rank) {
    try {
      auto work = broadcast ? group->broadcast(tensors) : group->allreduce(tensors);
      work->wait();
      // Gloo's worker thread still holds the work, and through it the tensors, for a moment
      // after wait() returns. Waiting for it to let go (microseconds; bounded) makes this thread
      // the one that frees them, at a known point, instead of the worker at some later one.
      // It is also what lets ThreadSanitizer see the hand-over: the worker's reference count
      // is uninstrumented, so a free on its side looked like a race with our last reads.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      while (work.use_count() > 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    } catch (const std::exception& e) {
      throw DistributedError("rank " + std::to_string(rank) +
                             ": lost contact with the other ranks (a rank stopped, failed or "
                             "hung past the timeout): " +
                             withoutBacktrace(e));
    }
  }
};

namespace {

constexpr std::chrono::milliseconds kJoinPoll(100);
const char* const kJoinedKey = "cvae/joined";

enum class Probe { Accepting, NotYet, Unresolvable };

// Whether something accepts TCP connections at host:port, waiting up to `wait` for the answer.
// The connection is closed at once; the store's server takes that as a client gone.
Probe probeListener(const std::string& host, int port, std::chrono::milliseconds wait) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0)
    return Probe::Unresolvable;
  Probe result = Probe::NotYet;
  for (const addrinfo* a = found; a && result == Probe::NotYet; a = a->ai_next) {
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      result = Probe::Accepting;
    } else if (errno == EINPROGRESS) {
      pollfd ready{fd, POLLOUT, 0};
      int error = 0;
      socklen_t length = sizeof error;
      if (::poll(&ready, 1, static_cast<int>(wait.count())) == 1 &&
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0)
        result = Probe::Accepting;
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return result;
}

// The store, its server on rank 0. c10d's own waits (the server's waitWorkers, a client's
// connect retries) block for the whole timeout without a way to stop them, and a client's
// retries in short attempts each log a line (thousands a second): a client first waits here
// until rank 0's port accepts connections, asking `stop_requested` meanwhile, and then
// connects once; the ranks count themselves in below.
c10::intrusive_ptr<c10d::TCPStore> connectStore(const DistributedSettings& settings,
                                                std::chrono::milliseconds timeout,
                                                const std::function<bool()>& stop_requested) {
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(settings.master_port);
  options.isServer = settings.rank == 0;
  options.numWorkers = static_cast<std::size_t>(settings.world_size);
  options.waitWorkers = false;
  options.timeout = timeout;
  if (!options.isServer) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto started = std::chrono::steady_clock::now();
      const Probe probe = probeListener(settings.master_addr, settings.master_port, kJoinPoll);
      if (probe != Probe::NotYet) break;  // an unresolvable host: the store names it
      if (stop_requested && stop_requested())
        throw JoinStopped("stopped while waiting for rank 0 to start");
      if (std::chrono::steady_clock::now() >= deadline)
        throw std::runtime_error("nothing answered there within " +
                                 std::to_string(settings.timeout_seconds) + " s");
      // A refused connection answers at once: wait out the poll interval anyway.
      std::this_thread::sleep_until(started + kJoinPoll);
    }
  }
  return c10::make_intrusive<c10d::TCPStore>(settings.master_addr, options);
}

// Counts this rank in and waits until all have counted themselves in.
void waitForAllRanks(c10d::Store& store, const DistributedSettings& settings,
                     std::chrono::milliseconds timeout,
                     const std::function<bool()>& stop_requested) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int64_t joined = store.add(kJoinedKey, 1);
  while (joined < settings.world_size) {
    if (stop_requested && stop_requested())
      throw JoinStopped("stopped while waiting for the other ranks to join (" +
                        std::to_string(joined) + " of " + std::to_string(settings.world_size) +
                        " have)");
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error("only " + std::to_string(joined) + " of " +
                               std::to_string(settings.world_size) + " ranks joined within " +
                               std::to_string(settings.timeout_seconds) + " s");
    std::this_thread::sleep_for(kJoinPoll);
    joined = store.add(kJoinedKey, 0);
  }
}

}  // namespace

DataParallelGroup::DataParallelGroup(const DistributedSettings& settings,
                                     const std::function<bool()>& stop_requested)
    : settings_(settings), impl_(std::make_unique<Impl>()) {
  validateDistributedSettings(settings);
  const std::chrono::milliseconds timeout(static_cast<int64_t>(settings.timeout_seconds) * 1000);
  try {
    auto store = connectStore(settings, timeout, stop_requested);
    waitForAllRanks(*store, settings, timeout, stop_requested);
    impl_->store = store;
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    // Loopback runs bind to 127.0.0.1; others to the interface GLOO_SOCKET_IFNAME names, or
    // to the address this host's name resolves to (as torch.distributed does).
    const bool loopback =
        settings.master_addr == "127.0.0.1" || settings.master_addr == "localhost";
    const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
    options->devices.push_back(
        loopback                  ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
        : interface && *interface ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
                                  : c10d::ProcessGroupGloo::createDefaultDevice());
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, settings.rank,
                                                               settings.world_size, options);
  } catch (const JoinStopped&) {
    throw;
  } catch (const std::exception& e) {
    throw DistributedError("rank " + std::to_string(settings.rank) + " of " +
                           std::to_string(settings.world_size) + ": cannot join the group at " +
                           settings.master_addr + ":" + std::to_string(settings.master_port) +
                           " (" + withoutBacktrace(e) + ")" +
                           (settings.rank == 0 ? ""
                                               : "; is rank 0 running there? it may have "
                                                 "refused its input, see its output"));
  }
}

DataParallelGroup::~DataParallelGroup() = default;

void DataParallelGroup::broadcastParameters(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> tensors;
  for (const auto& p : module.parameters()) tensors.push_back(p);
  for (const auto& b : module.buffers()) tensors.push_back(b);
  if (tensors.empty()) return;
  std::vector<at::Tensor> flat{at::cat(
      [&] {
        std::vector<at::Tensor> views;
        for (const auto& t : tensors)
          views.push_back(t.detach().to(at::kCPU, at::kFloat).reshape(-1));
        return views;
      }(),
      0)};
  impl_->run(flat, /*broadcast=*/true, settings_.rank);
  int64_t offset = 0;
  for (auto& t : tensors) {
    const int64_t n = t.numel();
    t.copy_(flat[0].slice(0, offset, offset + n).view_as(t));
    offset += n;
  }
}

void DataParallelGroup::averageGradients(torch::nn::Module& module) {
  std::vector<at::Tensor> params;
  std::vector<at::Tensor> grads;
  for (const auto& p : module.parameters()) {
    params.push_back(p);
    grads.push_back(p.grad().defined() ? p.grad().detach().to(at::kCPU).reshape(-1)
                                       : at::zeros({p.numel()}, p.options().device(at::kCPU)));
  }
  if (grads.empty()) return;
  std::vector<at::Tensor> flat{at::cat(grads, 0)};
  impl_->run(flat, /*broadcast=*/false, settings_.rank);
  flat[0].div_(settings_.world_size);
  int64_t offset = 0;
  for (auto& p : params) {
    const int64_t n = p.numel();
    auto mean = flat[0].slice(0, offset, offset + n).view_as(p).to(p.device());
    if (p.grad().defined())
      p.mutable_grad().copy_(mean);
    else
      p.mutable_grad() = mean.clone();
    offset += n;
  }
}

std::vector<double> DataParallelGroup::sum(const std::vector<double>& values) {
  std::vector<at::Tensor> t{at::tensor(values, at::kDouble)};
  impl_->run(t, /*broadcast=*/false, settings_.rank);
  return std::vector<double>(t[0].data_ptr<double>(), t[0].data_ptr<double>() + t[0].numel());
}

std::string DataParallelGroup::broadcastBytes(const std::string& bytes) {
  std::vector<at::Tensor> size{at::tensor({static_cast<int64_t>(bytes.size())}, at::kLong)};
  impl_->run(size, /*broadcast=*/true, settings_.rank);
  const int64_t n = size[0].item<int64_t>();
  std::vector<at::Tensor> data{at::empty({n}, at::kByte)};
  if (settings_.rank == 0 && n > 0) std::memcpy(data[0].data_ptr<std::uint8_t>(), bytes.data(), n);
  impl_->run(data, /*broadcast=*/true, settings_.rank);
  return std::string(reinterpret_cast<const char*>(data[0].data_ptr<std::uint8_t>()),
                     static_cast<size_t>(n));
}

void checkEveryRankStarted(DataParallelGroup& group, bool refused) {
  std::vector<double> flags(static_cast<size_t>(group.worldSize()), 0.0);
  flags[static_cast<size_t>(group.rank())] = refused ? 1.0 : 0.0;
  const auto sums = group.sum(flags);
  if (refused) return;
  std::string ranks;
  int count = 0;
  for (size_t r = 0; r < sums.size(); ++r)
    if (sums[r] > 0) {
      ranks += (ranks.empty() ? "" : ", ") + std::to_string(r);
      ++count;
    }
  if (count > 0)
    throw InputError("rank " + std::to_string(group.rank()) + ": rank" + (count > 1 ? "s " : " ") +
                     ranks + " could not start (" + (count > 1 ? "their" : "its") +
                     " output says why), so no rank trains");
}

void checkSameConfigAsRankZero(DataParallelGroup& group, const ExperimentConfig& config) {
  const std::string rank_zero = group.broadcastBytes(configToYaml(config));
  // One flag per schema key (and one for any), summed over the ranks: rank 0 and the ranks that
  // agree can name the keys too, not only the ranks that differ.
  const auto& schema = configSchema();
  std::vector<double> flags(schema.size() + 1, 0.0);
  std::string differences;
  if (group.rank() != 0) {
    const ExperimentConfig theirs = loadConfigText(rank_zero, "rank 0's config", "/");
    for (const auto& change : configDifferences(theirs, config)) {
      const bool per_node = change.key.rfind("data.", 0) == 0 || change.key == "train.threads" ||
                            change.key == "train.device" || change.key == "output.dir";
      if (per_node) continue;
      differences += (differences.empty() ? "" : ", ") + change.key + " " + change.from +
                     " on rank 0, " + change.to + " here";
      for (size_t k = 0; k < schema.size(); ++k)
        if (schema[k].key == change.key) flags[k] = 1.0;
      flags.back() = 1.0;
    }
  }
  const auto sums = group.sum(flags);
  if (!differences.empty())
    throw InputError("rank " + std::to_string(group.rank()) +
                     ": the config differs from rank 0's (" + differences +
                     "); every rank must train the same config");
  const double differing = sums.back();
  if (differing > 0) {
    std::string keys;
    for (size_t k = 0; k < schema.size(); ++k)
      if (sums[k] > 0) keys += (keys.empty() ? "" : ", ") + schema[k].key;
    throw InputError("rank " + std::to_string(group.rank()) + ": " +
                     std::to_string(static_cast<int>(differing)) + " of the other ranks " +
                     (differing > 1 ? "were" : "was") +
                     " started with another config than rank 0's (" + keys +
                     "; each names its values); every rank must train the same config");
  }
}

void checkSameAsRankZero(DataParallelGroup& group, const std::string& what, int64_t value,
                         const std::function<std::string(int64_t)>& describe) {
  const auto rank_zero =
      static_cast<int64_t>(group.sum({group.rank() == 0 ? static_cast<double>(value) : 0.0}).at(0));
  const bool differs = value != rank_zero;
  const double differing = group.sum({differs ? 1.0 : 0.0}).at(0);
  const std::string rank = "rank " + std::to_string(group.rank()) + ": ";
  if (differs)
    throw InputError(rank + what + ": " + describe(value) + " here, " + describe(rank_zero) +
                     " on rank 0; every rank must take the same steps");
  if (differing > 0)
    throw InputError(rank + std::to_string(static_cast<int>(differing)) + " of the other ranks " +
                     (differing > 1 ? "differ" : "differs") + " from rank 0 in " + what + " (" +
                     describe(value) +
                     " here; each names its own); every rank must take the "
                     "same steps");
}

}  // namespace cvae
