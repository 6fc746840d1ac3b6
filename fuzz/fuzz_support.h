#ifndef WETLINK_FUZZ_FUZZ_SUPPORT_H_
#define WETLINK_FUZZ_FUZZ_SUPPORT_H_

// What the libFuzzer targets in this folder share: a way to fail loudly
// (libFuzzer keeps the input as a crash reproducer), a guard that turns an
// escaping exception into such a failure, and the checks every FixSource
// (Movebank CSV, mapped CSV, GPX) must pass whatever its input.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "ingest/fix_source.h"
#include "telemetry/fix.h"
#include "telemetry/fix_validation.h"
#include "telemetry/reject_reason.h"
#include "telemetry/timestamp.h"

namespace wetlink::fuzz {

// The clock every target gives the parsers, so that a reproducer behaves
// the same whenever it is run.
inline constexpr telemetry::TimestampMs kNowMs = telemetry::TimestampFromCivil(2025, 6, 1);

// The longest message a rejection may carry. Parsers quote at most 64 bytes
// of a bad value, so one bad cell cannot flood a report; a message longer
// than this has let the input through unbounded.
inline constexpr std::size_t kMaxRejectionMessageBytes = 1024;

// Prints `what` and aborts: libFuzzer reports a crash and saves the input.
[[noreturn]] void Fail(std::string_view what);

inline void Check(bool ok, std::string_view what) {
  if (!ok) Fail(what);
}

// Runs `body`; an exception escaping it is a failure (no exception may
// cross a module boundary, docs/ARCHITECTURE.md).
template <typename Body>
int Guard(Body&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    Fail(std::string("exception escaped the parser: ") + e.what());
  } catch (...) {
    Fail("a non-standard exception escaped the parser");
  }
  return 0;
}

// A number derived from the input (not consumed from it), so that a seed
// file stays an ordinary file of its format while the targets still vary
// batch sizes and options between inputs.
std::uint32_t InputHash(std::string_view data);

// 1 + the number of '\n' bytes: no record can start on a later line.
std::size_t LineCount(std::string_view data);

// Whether `field` is a Movebank attribute name a fix parser may blame.
bool IsFixField(std::string_view field);

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms,
// surrogates or code points above U+10FFFF). Written here independently of
// the project's own validator, so the two check each other.
bool IsWellFormedUtf8(std::string_view text);

// Whether `reason` is one a file parser may give (not a server-side or
// count-survey reason).
bool IsFixParserReason(telemetry::RejectReason reason);

// One row of a FixSource's output, accepted or rejected, for comparing runs.
struct StreamItem {
  std::size_t line = 0;
  bool accepted = false;
  telemetry::Fix fix;  // accepted rows
  std::string individual, taxon, study, sensor;
  telemetry::RejectReason reason = telemetry::RejectReason::kMalformedRow;  // rejected rows
  std::string field, message;

  bool operator==(const StreamItem&) const = default;
};

struct StreamLimits {
  telemetry::TimestampMs now_ms = kNowMs;
  telemetry::ValidationLimits limits;
  // Largest line (or point ordinal) a row may have; 0 for no limit.
  std::size_t max_line = 0;
};

// Reads `source` to the end in batches of `max_rows` and checks what
// FixSource and the parsers promise:
//  - Next() fills at most max_rows (at least 1) and returns false only with
//    an empty batch, and keeps returning false after the end;
//  - every accepted row passes telemetry::ValidateFix with the same clock
//    and limits (the parsers' promise: "validated fixes");
//  - every rejection has a line >= 1, a reason a parser may give, a message
//    (bounded in size), and names a Movebank field unless the row itself is
//    malformed (kMalformedRow, field "");
//  - lines are >= 1, at most max_line, and strictly increase over the
//    stream: one row or rejection per record or point, in file order.
// Returns the rows in line order.
std::vector<StreamItem> DrainAndCheck(ingest::FixSource& source, std::size_t max_rows,
                                      const StreamLimits& limits);

// Fails when GDAL's in-memory file system still holds a file or folder of
// Wetlink's ("/vsimem/wetlink-..."): uploads are staged there and must be
// gone when the call that staged them returns, or a long-running wetlinkd
// keeps every upload in memory.
void CheckNoVsiMemLeftovers();

// Fails with `context` when `status` is not one of `allowed` codes or has
// an empty message.
void CheckStatusCode(const absl::Status& status, std::initializer_list<absl::StatusCode> allowed,
                     std::string_view context);

}  // namespace wetlink::fuzz

#endif  // WETLINK_FUZZ_FUZZ_SUPPORT_H_
