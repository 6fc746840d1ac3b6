#include "telemetry/registry.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace wetlink::telemetry {

bool IsValidStudyId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

absl::Status CheckExternalId(std::string_view id, std::string_view field) {
  const std::string name(field);
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(name, " is empty"));
  if (id.size() > 128) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is ", id.size(), " bytes long; at most 128 are allowed"));
  }
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " '", std::string(id), "' contains a control character"));
    }
  }
  return absl::OkStatus();
}

}  // namespace wetlink::telemetry
