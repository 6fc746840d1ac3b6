// libFuzzer target: a count-survey CSV, read as `wetlink counts import`
// reads one (counts::CountCsvReader), with every row then judged as wetlinkd
// judges it (counts::ValidateCount against the bundled catalog).
//
// Checks:
//  - Open() fails only with InvalidArgument;
//  - every rejection has a line (>= 1, strictly increasing with the rows,
//    within the input), a reason the reader gives (kMalformedRow with no
//    field; kBadNumber or kCountOutOfRange on "count") and a message that is
//    bounded and well-formed UTF-8 (count_validation.h: messages travel in
//    protobuf strings and JSON);
//  - reading in batches of 1-8 rows and of 4096 gives the same result;
//  - ValidateCount either names a count CSV column with a bounded UTF-8
//    message, or gives a Count that keeps every documented rule: catalog
//    site and species, date within [1900-01-01, today + 1], count within
//    [0, 10,000,000], text within its length and printable UTF-8.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "counts/count_csv.h"
#include "counts/count_validation.h"
#include "fuzz/bundled_catalog.h"
#include "fuzz/fuzz_support.h"

namespace {

using wetlink::fuzz::Check;
using wetlink::telemetry::RejectReason;

constexpr std::int32_t kTodayDays =
    static_cast<std::int32_t>(wetlink::telemetry::DaysFromCivil(2025, 6, 1));

struct Item {
  std::size_t line = 0;
  bool accepted = false;
  wetlink::counts::RawCount raw;
  RejectReason reason = RejectReason::kMalformedRow;
  std::string field, message;

  bool operator==(const Item&) const = default;
};

void CheckMessage(const std::string& message, std::string_view context) {
  Check(!message.empty(), absl::StrCat(std::string(context), ": no message"));
  Check(message.size() <= wetlink::fuzz::kMaxRejectionMessageBytes,
        absl::StrCat(std::string(context), ": message of ", message.size(), " bytes"));
  Check(wetlink::fuzz::IsWellFormedUtf8(message),
        absl::StrCat(std::string(context), ": message is not well-formed UTF-8"));
}

std::vector<Item> Drain(wetlink::counts::CountCsvReader& reader, std::size_t max_rows,
                        std::size_t max_line) {
  std::vector<Item> items;
  std::size_t last_line = 0;
  wetlink::counts::CountRowBatch batch;
  while (reader.Next(batch, max_rows)) {
    Check(!batch.empty() && batch.size() <= max_rows, "a batch is empty or too large");
    std::vector<Item> batch_items;
    for (const wetlink::counts::CountRow& row : batch.rows) {
      batch_items.push_back({.line = row.line, .accepted = true, .raw = row.raw});
    }
    for (const wetlink::ingest::RowRejection& r : batch.rejections) {
      const std::string where = absl::StrCat("rejection of line ", r.line);
      if (r.reason == RejectReason::kMalformedRow) {
        Check(r.field.empty(), absl::StrCat(where, ": a malformed row names a field"));
      } else {
        Check((r.reason == RejectReason::kBadNumber || r.reason == RejectReason::kCountOutOfRange) &&
                  r.field == "count",
              absl::StrCat(where, ": reason ", std::string(wetlink::telemetry::RejectReasonCode(r.reason)),
                           " on field '", r.field, "'"));
      }
      CheckMessage(r.message, where);
      batch_items.push_back(
          {.line = r.line, .reason = r.reason, .field = r.field, .message = r.message});
    }
    std::sort(batch_items.begin(), batch_items.end(),
              [](const Item& a, const Item& b) { return a.line < b.line; });
    for (Item& item : batch_items) {
      Check(item.line > last_line && item.line <= max_line,
            absl::StrCat("line ", item.line, " after line ", last_line, " (input has ", max_line,
                         " lines)"));
      last_line = item.line;
      items.push_back(std::move(item));
    }
  }
  Check(!reader.Next(batch, max_rows), "Next() returned rows after the end");
  return items;
}

void CheckValidated(const wetlink::counts::RawCount& raw) {
  const wetlink::catalog::Catalog& catalog = wetlink::fuzz::BundledCatalog();
  const wetlink::counts::CountLimits limits;
  const auto result = wetlink::counts::ValidateCount(raw, catalog, kTodayDays, limits);
  if (const auto* problem = std::get_if<wetlink::telemetry::FieldProblem>(&result)) {
    constexpr std::string_view kColumns[] = {"survey_id", "site_id",      "date",
                                             "species",   "count",        "method",
                                             "observer",  "organisation", "notes"};
    Check(std::find(std::begin(kColumns), std::end(kColumns), problem->field) !=
              std::end(kColumns),
          absl::StrCat("ValidateCount blames '", problem->field, "', not a count CSV column"));
    CheckMessage(problem->message, "ValidateCount");
    return;
  }
  const auto& count = std::get<wetlink::counts::Count>(result);
  const auto text_ok = [](const std::string& text, std::size_t max_bytes) {
    return text.size() <= max_bytes && wetlink::counts::IsPrintableUtf8(text) &&
           wetlink::fuzz::IsWellFormedUtf8(text);
  };
  Check(!count.survey_id.empty() && text_ok(count.survey_id, limits.max_survey_id_bytes),
        "accepted survey_id breaks the rules");
  Check(text_ok(count.observer, limits.max_observer_bytes) &&
            text_ok(count.organisation, limits.max_organisation_bytes) &&
            text_ok(count.notes, limits.max_notes_bytes),
        "accepted observer, organisation or notes break the rules");
  Check(catalog.FindSite(count.site_id) != nullptr, "accepted count at an unknown site");
  Check(catalog.FindSpecies(count.species_id) != nullptr, "accepted count of an unknown species");
  Check(count.date_days >= limits.earliest_date_days &&
            count.date_days <= kTodayDays + limits.future_tolerance_days,
        "accepted date out of range");
  Check(wetlink::counts::ParseSurveyDate(wetlink::counts::FormatSurveyDate(count.date_days)) ==
            count.date_days,
        "an accepted date does not read back");
  Check(count.count >= 0 && count.count <= limits.max_count, "accepted count out of range");
}

void Run(std::string_view data) {
  const std::size_t small_batch = 1 + wetlink::fuzz::InputHash(data) % 8;
  const std::size_t max_line = wetlink::fuzz::LineCount(data);
  std::vector<Item> runs[2];
  const std::size_t batch_sizes[2] = {small_batch, 4096};
  for (int run = 0; run < 2; ++run) {
    std::istringstream in{std::string(data)};
    auto reader = wetlink::counts::CountCsvReader::Open(in);
    wetlink::fuzz::CheckStatusCode(reader.status(),
                                   {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                   "CountCsvReader::Open");
    if (!reader.ok()) return;
    runs[run] = Drain(*reader, batch_sizes[run], max_line);
    Check(reader->status().ok(), "read error on a string stream");
  }
  Check(runs[0] == runs[1], "batches of different sizes read different rows");
  for (const Item& item : runs[0]) {
    if (item.accepted) CheckValidated(item.raw);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  wetlink::fuzz::BundledCatalog();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wetlink::fuzz::Guard(
      [&] { Run(std::string_view(reinterpret_cast<const char*>(data), size)); });
}
