// Precompiled header of the test programs that use LibTorch (tests/CMakeLists.txt): torch's
// API and Qt Test, which every one of them includes.
#pragma once
#include <torch/nn.h>
#include <torch/optim.h>
#include <torch/serialize.h>

#include <QtTest>
