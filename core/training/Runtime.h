#pragma once
// Setting up the process for training or inference: torch's threads, the allocator, the device.
// Every entry point (trainer, benchmark, checkpoint loader) calls prepareTrainingProcess() once,
// so the three settings are never paired by hand.

#include <c10/core/Device.h>

#include <string>

#include "core/config/ExperimentConfig.h"

namespace cvae {

// Applies `train.threads` (configureThreads), keeps freed memory for reuse and resolves
// `train.device`. Throws InputError when CUDA is asked for and absent.
c10::Device prepareTrainingProcess(const TrainConfig& train);

// "cuda" when asked for (or "auto" and available), else the CPU.
c10::Device resolveDevice(const std::string& setting);
// Sets torch's intra-op threads: `threads`, or the measured best when 0. Returns the number.
int configureThreads(int threads);
// Tells the C library to keep freed memory for reuse instead of giving it back to the kernel
// (see the definition for why). Process-wide; safe to call more than once.
void keepFreedMemoryForReuse();

}  // namespace cvae
