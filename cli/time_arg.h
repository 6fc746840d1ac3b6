#ifndef WETLINK_CLI_TIME_ARG_H_
#define WETLINK_CLI_TIME_ARG_H_

// Times on the command line: UTC, "yyyy-MM-dd" (midnight) or any form
// telemetry::ParseTimestamp reads ("yyyy-MM-dd HH:mm:ss[.SSS]", ISO 8601).

#include <optional>
#include <string>

#include "telemetry/fix.h"

namespace wetlink::cli {

std::optional<telemetry::TimestampMs> ParseTimeArg(const std::string& text);

}  // namespace wetlink::cli

#endif  // WETLINK_CLI_TIME_ARG_H_
