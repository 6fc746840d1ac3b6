#include "telemetry/registry.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "telemetry/text.h"

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
  // Ids go into protobuf string fields and JSON, which hold only UTF-8.
  if (const std::optional<std::size_t> pos = FirstUnprintableByte(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " ", QuoteForMessage(id),
                     " contains invalid UTF-8 or a control character at byte ", *pos));
  }
  return absl::OkStatus();
}

}  // namespace wetlink::telemetry
