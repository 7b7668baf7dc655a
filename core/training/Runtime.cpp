#include "core/training/Runtime.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "core/io/InputError.h"

namespace cvae {

c10::Device prepareTrainingProcess(const TrainConfig& train) {
  configureThreads(train.threads);
  keepFreedMemoryForReuse();
  return resolveDevice(train.device);
}

c10::Device resolveDevice(const std::string& setting) {
  if (setting == "cuda") {
    if (!torch::cuda::is_available())
      throw InputError("train.device is 'cuda' but this LibTorch build sees no CUDA device");
    return c10::Device(c10::kCUDA);
  }
  if (setting == "auto" && torch::cuda::is_available()) return c10::Device(c10::kCUDA);
  return c10::Device(c10::kCPU);
}

int configureThreads(int threads) {
  // Measured on 2 cores (docs/BENCHMARKS.md): one intra-op thread, with OpenBLAS using every
  // core inside each GEMM, trains the tense CVAE at ~4,100 words/s; two intra-op threads make
  // OpenMP and OpenBLAS's pthreads fight over the cores and fall to ~1,000 words/s.
  const int count = threads > 0 ? threads : 1;
  at::set_num_threads(count);
  return count;
}

void keepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // A training step allocates and frees the same multi-megabyte tensors (an LSTM's gates for
  // all steps, say) every time. By default glibc serves such sizes with mmap and gives them
  // back with munmap or heap trimming, so every step page-faults them in again, and with two
  // threads the unmapping also flushes the other core's TLB. Keeping the memory raised the
  // tense CVAE from about 2,800 to 3,500 words/s on 2 cores (docs/BENCHMARKS.md); the
  // resident size stays at its peak instead of shrinking between steps.
  static const bool done = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed value
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    return true;
  }();
  (void)done;
#endif
}

}  // namespace cvae
