// libFuzzer target: a Movebank CSV export, read as wetlink-ingest reads one
// (ingest::MovebankCsvReader over a stream; a file whose header line holds a
// tab and no comma is read tab-separated, as a .tsv file would be).
//
// Checks, besides the FixSource checks of fuzz_support.h (every accepted row
// validates, every rejection has a line, a reason and a field):
//  - Open() fails only with InvalidArgument;
//  - reading in batches of 1-8 rows and in one batch of 4096 gives the same
//    rows and rejections (batching changes nothing);
//  - SummarizeMovebankCsv counts the same accepted and rejected rows.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "ingest/movebank_csv.h"

namespace {

using wetlink::fuzz::Check;
using wetlink::fuzz::StreamItem;

void Run(std::string_view data) {
  wetlink::ingest::MovebankCsvOptions options;
  const std::string_view first_line = data.substr(0, data.find('\n'));
  if (first_line.find('\t') != std::string_view::npos &&
      first_line.find(',') == std::string_view::npos) {
    options.csv.delimiter = '\t';
  }
  // Half the inputs as single-tag files (the caller names the tag).
  const std::uint32_t hash = wetlink::fuzz::InputHash(data);
  if (hash & 1u) options.default_tag_id = "fuzz-tag";
  const std::size_t small_batch = 1 + (hash >> 1) % 8;

  const wetlink::fuzz::StreamLimits limits{.now_ms = wetlink::fuzz::kNowMs,
                                           .limits = options.limits,
                                           .max_line = wetlink::fuzz::LineCount(data)};
  std::vector<StreamItem> runs[2];
  const std::size_t batch_sizes[2] = {small_batch, 4096};
  for (int run = 0; run < 2; ++run) {
    std::istringstream in{std::string(data)};
    auto reader = wetlink::ingest::MovebankCsvReader::Open(in, wetlink::fuzz::kNowMs, options);
    wetlink::fuzz::CheckStatusCode(reader.status(),
                                   {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                   "MovebankCsvReader::Open");
    if (!reader.ok()) return;
    runs[run] = wetlink::fuzz::DrainAndCheck(*reader, batch_sizes[run], limits);
    Check(reader->status().ok(), absl::StrCat("read error on a string stream: ",
                                              reader->status().ToString()));
  }
  Check(runs[0] == runs[1], "batches of different sizes read different rows");

  std::istringstream in{std::string(data)};
  auto summary = wetlink::ingest::SummarizeMovebankCsv(in, wetlink::fuzz::kNowMs, options);
  Check(summary.ok(), "SummarizeMovebankCsv fails where Open succeeded");
  std::size_t accepted = 0;
  for (const StreamItem& item : runs[0]) accepted += item.accepted ? 1 : 0;
  Check(summary->rows == accepted && summary->rejected == runs[0].size() - accepted,
        absl::StrCat("summary counts ", summary->rows, " accepted and ", summary->rejected,
                     " rejected rows, the reader ", accepted, " and ",
                     runs[0].size() - accepted));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wetlink::fuzz::Guard(
      [&] { Run(std::string_view(reinterpret_cast<const char*>(data), size)); });
}
