#pragma once
// Numbers as text in files (configs, metrics.csv, previews.tsv, CSV conditions, status files)
// are always written and read with a '.' decimal point, whatever the C library's locale says.
// The GUI's QApplication switches LC_NUMERIC to the desktop's locale (a German desktop writes
// "0,003"), and strtod/snprintf follow it; std::to_chars/from_chars do not, so every number that
// goes into or comes out of a file passes through here.

#include <optional>
#include <string>
#include <string_view>

namespace cvae {

// The shortest "%g"-style text (6 to 17 significant digits) that reads back to the same double:
// "0.003", "100000", "1e-12", "inf", "nan".
std::string formatShortest(double value);
// printf's "%.<digits>g", locale-independent.
std::string formatGeneral(double value, int significant_digits);
// printf's "%.<decimals>f", locale-independent.
std::string formatFixed(double value, int decimals);

// The whole of `text` as a double: an optional sign, digits with '.', an optional exponent,
// or inf/infinity/nan (any case). No surrounding blanks, no ',' decimal point, no hex. Returns
// nothing when `text` is not such a number; out-of-range values give nothing too.
std::optional<double> parseDouble(std::string_view text);
// The whole of `text` as a signed 64-bit integer (optional sign, decimal digits only).
std::optional<long long> parseInteger(std::string_view text);

}  // namespace cvae
