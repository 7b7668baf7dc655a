#include "core/io/NumberText.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace cvae {
namespace {

std::string toChars(double value, std::chars_format format, int precision) {
  // Non-finite values are spelled the same way by every writer, so readers need one rule.
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[400];  // "%.17f" of 1e308 needs 327 characters
  const auto result = precision < 0
                          ? std::to_chars(buf, buf + sizeof buf, value, format)
                          : std::to_chars(buf, buf + sizeof buf, value, format, precision);
  if (result.ec != std::errc()) return "nan";
  return std::string(buf, result.ptr);
}

}  // namespace

std::string formatShortest(double value) {
  // As printf's "%g" from 6 significant digits up, so 100000 stays "100000" (to_chars's own
  // shortest form would write "1e+05") and 0.1 stays "0.1".
  std::string text;
  for (int digits = 6; digits <= 17; ++digits) {
    text = toChars(value, std::chars_format::general, digits);
    const auto back = parseDouble(text);
    if (!back || *back == value || std::isnan(value)) break;
  }
  return text;
}

std::string formatGeneral(double value, int significant_digits) {
  return toChars(value, std::chars_format::general,
                 significant_digits < 1 ? 1 : significant_digits);
}

std::string formatFixed(double value, int decimals) {
  return toChars(value, std::chars_format::fixed, decimals < 0 ? 0 : decimals);
}

std::optional<double> parseDouble(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // from_chars takes a leading '-' but not '+'; YAML and users write both.
  if (text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  }
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<long long> parseInteger(std::string_view text) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace cvae
