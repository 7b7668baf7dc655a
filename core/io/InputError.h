#pragma once
#include <stdexcept>
#include <string>

namespace cvae {

// A problem in user input (config, data file, run folder, command line). The message names the
// place: "file:line:column: key 'train.epochs': ...". Callers show it as is. It lives in io/,
// the lowest layer, so every reader can throw it without reaching up.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cvae
