// Precompiled header for the torch-heavy targets: torch's headers dominate compile time.
#pragma once
#include <torch/nn.h>
#include <torch/optim.h>
#include <torch/serialize.h>

#include <map>
#include <memory>
#include <string>
#include <vector>
