#pragma once
// What each verb's options do, with ranges and defaults, for `cvae-cli --help VERB`.

#include <string>

namespace cvae::cli {

// The options text of `verb` (lines "  --opt VALUE   what it does"), empty for an unknown verb.
std::string verbOptionsHelp(const std::string& verb);

}  // namespace cvae::cli
