#ifndef WETLINK_CATALOG_FORMAT_H_
#define WETLINK_CATALOG_FORMAT_H_

// Human-readable number formats shared by notes, the CLI and reports.

#include <string>

namespace wetlink::catalog {

// "3,525.7 ha", "1,416.13 ha", "8,000 ha": thousands separators, at most
// two decimals, trailing zeros dropped.
std::string FormatHectares(double hectares);

// Same grouping without the unit: "740,000", "83.3".
std::string FormatGrouped(double value);

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_FORMAT_H_
