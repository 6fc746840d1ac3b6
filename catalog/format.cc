#include "catalog/format.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace wetlink::catalog {

std::string FormatGrouped(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", std::fabs(value));
  std::string digits(buf);
  std::string fraction;
  if (auto dot = digits.find('.'); dot != std::string::npos) {
    fraction = digits.substr(dot + 1);
    digits.resize(dot);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  }
  std::string grouped;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[static_cast<std::size_t>(i)]);
  }
  const std::string sign = value < 0 && (grouped != "0" || !fraction.empty()) ? "-" : "";
  return fraction.empty() ? sign + grouped : sign + grouped + "." + fraction;
}

std::string FormatHectares(double hectares) { return FormatGrouped(hectares) + " ha"; }

}  // namespace wetlink::catalog
