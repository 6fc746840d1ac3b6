#ifndef WETLINK_COUNTS_COUNT_VALIDATION_H_
#define WETLINK_COUNTS_COUNT_VALIDATION_H_

// Turns a RawCount into a Count against the catalog, or names the first
// field at fault with a telemetry::RejectReason. These checks refuse what
// cannot be a count record (unknown site or species, impossible dates,
// negative or absurd numbers, corrupt text); a count that is merely unusual
// (far above the species' known flyway population, say) is kept for review.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "catalog/catalog.h"
#include "counts/count.h"
#include "telemetry/fix_validation.h"
#include "telemetry/text.h"
#include "telemetry/timestamp.h"

namespace wetlink::counts {

struct CountLimits {
  // Earliest accepted survey date, inclusive: 1900-01-01. Historic surveys
  // from the early twentieth century exist and are worth keeping.
  std::int32_t earliest_date_days = static_cast<std::int32_t>(telemetry::DaysFromCivil(1900, 1, 1));
  // Days after the caller's `today` a survey date may lie, inclusive: 1.
  // A survey in a time zone ahead of the server's is already on tomorrow's
  // date; anything later has not happened yet.
  std::int32_t future_tolerance_days = 1;
  // Largest accepted count, individuals, inclusive: 10,000,000. The largest
  // waterbird concentrations are a few million birds; above that is a typo.
  std::int64_t max_count = 10'000'000;
  // Longest accepted text, in bytes (UTF-8), inclusive.
  std::size_t max_survey_id_bytes = 128;
  std::size_t max_observer_bytes = 256;
  std::size_t max_organisation_bytes = 256;
  std::size_t max_notes_bytes = 2000;
};

// The count `raw` describes, or its first problem. `today_days` is the
// caller's current date in days since 1970-01-01 (no hidden clock, so tests
// are deterministic). FieldProblem::field is the count CSV column name.
//
// Checks run in this fixed order; only the first failure is reported:
//   1. survey_id: kMissingField (empty), kFieldTooLong, kMalformedRow (text)
//   2. site_id: kMissingField, kUnknownSite (not a catalog site id)
//   3. date: kMissingField, kBadDate (not a real date written yyyy-MM-dd),
//      kDateOutOfRange (before earliest_date_days or after today plus
//      future_tolerance_days)
//   4. species: kMissingField, kUnknownSpecies (neither a catalog species
//      id, nor a code, nor a scientific name; codes and names ignore case)
//   5. count: kMissingField (absent), kNegativeCount, kCountOutOfRange
//   6. method: kUnknownMethod (message lists the accepted names)
//   7. observer, organisation, notes (each optional): kFieldTooLong,
//      kMalformedRow (text)
// "Text" problems are invalid UTF-8 or a control character (C0, DEL, C1;
// line breaks and tabs included): such bytes are corrupt cells, not data.
// The Count holds the catalog's site and species ids, so "HC" and
// "Grus monacha" both come out as "grus_monacha".
std::variant<Count, telemetry::FieldProblem> ValidateCount(const RawCount& raw,
                                                           const catalog::Catalog& catalog,
                                                           std::int32_t today_days,
                                                           const CountLimits& limits = {});

// Printable UTF-8 and quoting for messages, shared with the tagging
// registry's checks of ids (telemetry/text.h).
using telemetry::IsPrintableUtf8;
using telemetry::QuoteForMessage;

}  // namespace wetlink::counts

#endif  // WETLINK_COUNTS_COUNT_VALIDATION_H_
