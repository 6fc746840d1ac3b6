#include "fuzz/fuzz_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"

namespace wetlink::fuzz {

using telemetry::RejectReason;

void Fail(std::string_view what) {
  std::fprintf(stderr, "\n*** wetlink fuzz invariant violated: %.*s\n",
               static_cast<int>(std::min<std::size_t>(what.size(), 4096)), what.data());
  std::fflush(stderr);
  std::abort();
}

std::uint32_t InputHash(std::string_view data) {
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (const char c : data) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return hash;
}

std::size_t LineCount(std::string_view data) {
  return 1 + static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n'));
}

bool IsFixField(std::string_view field) {
  constexpr std::string_view kFields[] = {
      "timestamp",          "location-lat", "location-long",           "tag-local-identifier",
      "height-above-ellipsoid", "gps:hdop", "gps:satellite-count",     "ground-speed",
      "heading",            "event-id",     "visible",                 "manually-marked-outlier",
      "manually-marked-valid",
  };
  return std::find(std::begin(kFields), std::end(kFields), field) != std::end(kFields);
}

bool IsWellFormedUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 2;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 3;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // cut short
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

bool IsFixParserReason(RejectReason reason) {
  switch (reason) {
    case RejectReason::kMissingField:
    case RejectReason::kBadNumber:
    case RejectReason::kNotFinite:
    case RejectReason::kLatitudeOutOfRange:
    case RejectReason::kLongitudeOutOfRange:
    case RejectReason::kBadTimestamp:
    case RejectReason::kTimestampBefore1990:
    case RejectReason::kTimestampInFuture:
    case RejectReason::kHdopOutOfRange:
    case RejectReason::kSatelliteCountOutOfRange:
    case RejectReason::kGroundSpeedOutOfRange:
    case RejectReason::kHeadingOutOfRange:
    case RejectReason::kHeightOutOfRange:
    case RejectReason::kBadBoolean:
    case RejectReason::kBadEventId:
    case RejectReason::kMalformedRow:
    case RejectReason::kEmptyTagId:
    case RejectReason::kTagIdTooLong:
      return true;
    default:
      return false;
  }
}

std::vector<StreamItem> DrainAndCheck(ingest::FixSource& source, std::size_t max_rows,
                                      const StreamLimits& limits) {
  const std::size_t cap = std::max<std::size_t>(max_rows, 1);
  std::vector<StreamItem> items;
  ingest::FixRowBatch batch;
  std::size_t last_line = 0;
  while (source.Next(batch, max_rows)) {
    Check(!batch.empty(), "Next() returned true with an empty batch");
    Check(batch.size() <= cap,
          absl::StrCat("Next() returned ", batch.size(), " rows for max_rows ", max_rows));
    std::vector<StreamItem> batch_items;
    for (const ingest::FixRow& row : batch.rows) {
      const std::optional<telemetry::FieldProblem> problem =
          telemetry::ValidateFix(row.fix, limits.now_ms, limits.limits);
      Check(!problem.has_value(),
            absl::StrCat("line ", row.line, " was accepted but ValidateFix refuses it: ",
                         problem ? problem->message : ""));
      StreamItem& item = batch_items.emplace_back();
      item.line = row.line;
      item.accepted = true;
      item.fix = row.fix;
      item.individual = row.individual_local_identifier;
      item.taxon = row.taxon;
      item.study = row.study_name;
      item.sensor = row.sensor_type;
    }
    for (const ingest::RowRejection& rejection : batch.rejections) {
      const std::string where = absl::StrCat("rejection of line ", rejection.line, ": ");
      Check(IsFixParserReason(rejection.reason),
            absl::StrCat(where, "reason ", std::string(telemetry::RejectReasonCode(rejection.reason)),
                         " is not one a file parser gives"));
      Check(!rejection.message.empty(), absl::StrCat(where, "no message"));
      Check(rejection.message.size() <= kMaxRejectionMessageBytes,
            absl::StrCat(where, "message of ", rejection.message.size(), " bytes: ",
                         rejection.message.substr(0, 200), "..."));
      if (rejection.reason == RejectReason::kMalformedRow) {
        Check(rejection.field.empty(),
              absl::StrCat(where, "a malformed row names field '", rejection.field, "'"));
      } else {
        Check(IsFixField(rejection.field),
              absl::StrCat(where, "field '", rejection.field, "' is not a Movebank attribute"));
      }
      StreamItem& item = batch_items.emplace_back();
      item.line = rejection.line;
      item.reason = rejection.reason;
      item.field = rejection.field;
      item.message = rejection.message;
    }
    std::sort(batch_items.begin(), batch_items.end(),
              [](const StreamItem& a, const StreamItem& b) { return a.line < b.line; });
    for (StreamItem& item : batch_items) {
      Check(item.line >= 1, "a row has line 0");
      Check(item.line > last_line,
            absl::StrCat("line ", item.line, " comes after line ", last_line,
                         ": lines must strictly increase"));
      Check(limits.max_line == 0 || item.line <= limits.max_line,
            absl::StrCat("line ", item.line, " is past the input's last line ", limits.max_line));
      last_line = item.line;
      items.push_back(std::move(item));
    }
  }
  Check(batch.empty(), "Next() returned false with a non-empty batch");
  Check(!source.Next(batch, max_rows) && batch.empty(), "Next() returned rows after the end");
  return items;
}

void CheckStatusCode(const absl::Status& status, std::initializer_list<absl::StatusCode> allowed,
                     std::string_view context) {
  Check(std::find(allowed.begin(), allowed.end(), status.code()) != allowed.end(),
        absl::StrCat(std::string(context), ": unexpected status ", status.ToString()));
  Check(status.ok() || !status.message().empty(), absl::StrCat(std::string(context), ": error without message"));
}

}  // namespace wetlink::fuzz
