// libFuzzer target: a logger's own CSV read through a column mapping, as
// `wetlink-ingest --map SPEC` reads one (ingest::ParseColumnMapping, then
// ingest::GenericCsvFixSource). This also covers the CSV reader and the
// cell parsers (numbers, time formats and zones) underneath.
//
// Input: when the first line parses as a mapping spec, it is the mapping and
// the rest is the file; otherwise the whole input is the file, read with the
// mapping of tests/fixtures/ingest/logger-kst-semicolon.csv (so that fixture
// seeds the corpus as it is).
//
// Checks, besides the FixSource checks of fuzz_support.h:
//  - ParseColumnMapping fails only with InvalidArgument; a mapping it
//    accepts is usable: required columns named, delimiter , ; or tab,
//    offset within 14 h, a time format that compiles;
//  - Open() fails only with InvalidArgument;
//  - reading in batches of 1-8 rows and of 4096 gives the same result.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "ingest/cell_parsers.h"
#include "ingest/generic_csv.h"

namespace {

using wetlink::fuzz::Check;
using wetlink::fuzz::StreamItem;
using wetlink::ingest::ColumnMapping;

constexpr std::string_view kLoggerSpec =
    "event-id=Fix#, tag=GPS_ID, timestamp=Local time, lat=Lat, lon=Lon, height=Alt(m), "
    "hdop=HDOP, satellites=Sats, ground-speed=Speed(km/h), heading=Course, individual=Bird, "
    "time-format=%d.%m.%Y %H:%M:%S, utc-offset=+09:00, speed-unit=km/h, delimiter=;";

void CheckMapping(const ColumnMapping& m) {
  Check(!m.timestamp.empty() && !m.lat.empty() && !m.lon.empty(),
        "an accepted mapping lacks a required column");
  Check(m.tag.empty() || m.tag_id.empty(), "an accepted mapping has both tag and tag-id");
  Check(m.delimiter == ',' || m.delimiter == ';' || m.delimiter == '\t',
        "an accepted mapping has another delimiter");
  Check(m.utc_offset_minutes >= -14 * 60 && m.utc_offset_minutes <= 14 * 60,
        absl::StrCat("an accepted mapping has offset ", m.utc_offset_minutes, " min"));
  Check(wetlink::ingest::TimestampFormat::Compile(m.timestamp_format).ok(),
        "an accepted mapping's time format does not compile");
}

void Run(std::string_view data) {
  const std::size_t newline = data.find('\n');
  const std::string_view first_line = data.substr(0, newline);
  auto mapping = wetlink::ingest::ParseColumnMapping(first_line);
  wetlink::fuzz::CheckStatusCode(mapping.status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                 "ParseColumnMapping");
  std::string_view file = data;
  std::size_t line_offset = 0;  // lines of the input before the file
  if (mapping.ok()) {
    CheckMapping(*mapping);
    file = newline == std::string_view::npos ? std::string_view() : data.substr(newline + 1);
    line_offset = 1;
  } else {
    mapping = wetlink::ingest::ParseColumnMapping(kLoggerSpec);
    Check(mapping.ok(), "the built-in mapping does not parse");
  }
  // As OpenFixFile: a mapping naming no tag takes the caller's default tag.
  if (mapping->tag.empty() && mapping->tag_id.empty()) mapping->tag_id = "fuzz-tag";

  const std::uint32_t hash = wetlink::fuzz::InputHash(data);
  const std::size_t batch_sizes[2] = {1 + hash % 8, 4096};
  const wetlink::ingest::GenericCsvOptions options{.mapping = *mapping, .limits = {}};
  const wetlink::fuzz::StreamLimits limits{
      .now_ms = wetlink::fuzz::kNowMs,
      .limits = options.limits,
      .max_line = wetlink::fuzz::LineCount(data) - line_offset};
  std::vector<StreamItem> runs[2];
  for (int run = 0; run < 2; ++run) {
    std::istringstream in{std::string(file)};
    auto source = wetlink::ingest::GenericCsvFixSource::Open(in, wetlink::fuzz::kNowMs, options);
    wetlink::fuzz::CheckStatusCode(source.status(),
                                   {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                   "GenericCsvFixSource::Open");
    if (!source.ok()) return;
    runs[run] = wetlink::fuzz::DrainAndCheck(*source, batch_sizes[run], limits);
    Check(source->status().ok(), "read error on a string stream");
  }
  Check(runs[0] == runs[1], "batches of different sizes read different rows");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wetlink::fuzz::Guard(
      [&] { Run(std::string_view(reinterpret_cast<const char*>(data), size)); });
}
