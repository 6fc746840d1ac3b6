#include "cli/time_arg.h"

#include "telemetry/timestamp.h"

namespace wetlink::cli {

std::optional<telemetry::TimestampMs> ParseTimeArg(const std::string& text) {
  auto t = telemetry::ParseTimestamp(text.size() == 10 ? text + " 00:00:00" : text);
  if (!t.ok()) return std::nullopt;
  return *t;
}

}  // namespace wetlink::cli
