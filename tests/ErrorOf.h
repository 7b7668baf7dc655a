#pragma once
// Runs `f` and returns the message of the InputError it throws, or "" when it throws none.
#include <string>

#include "core/config/ConfigError.h"

template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const cvae::InputError& e) {
    return e.what();
  }
  return "";
}
