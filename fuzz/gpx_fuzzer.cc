// libFuzzer target: a GPX file, read as wetlink-ingest reads one
// (ingest::GpxFixSource through GDAL's GPX driver; the bytes are staged in
// /vsimem/ by OpenBytes, which reads exactly like Open on a path).
//
// Each input is read twice: with a fixed tag, all three kinds of point
// (waypoints, route points, track points) in batches of 1-8; and with tags
// from track and route names, in batches of 4096.
//
// Checks, besides the FixSource checks of fuzz_support.h (every accepted
// point validates, every rejection has a line, a reason and a field; lines
// are point ordinals, strictly increasing):
//  - OpenBytes() fails only with InvalidArgument, naming the file as the
//    user gave it, never GDAL's /vsimem/ path;
//  - status() is OK or DataLoss, again without the /vsimem/ path;
//  - every accepted point has sensor type "gps" and, with tags from track
//    names, the name of a track (not empty);
//  - once the sources are gone, nothing of Wetlink's is left in /vsimem/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "ingest/gpx_reader.h"

namespace {

using wetlink::fuzz::Check;
using wetlink::fuzz::StreamItem;

// Whether the input itself holds the text "/vsimem/" (messages may quote
// it then); set per input.
bool input_names_vsimem = false;

void CheckNoVsiMem(const std::string& text, std::string_view context) {
  Check(input_names_vsimem || text.find("/vsimem/") == std::string::npos,
        absl::StrCat(std::string(context), " shows GDAL's in-memory path: ", text.substr(0, 300)));
}

void Read(std::string_view data, wetlink::ingest::GpxOptions options, std::size_t max_rows) {
  auto source = wetlink::ingest::GpxFixSource::OpenBytes("upload.gpx", std::string(data),
                                                         wetlink::fuzz::kNowMs, options);
  wetlink::fuzz::CheckStatusCode(source.status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                 "GpxFixSource::OpenBytes");
  if (!source.ok()) {
    CheckNoVsiMem(std::string(source.status().message()), "the open error");
    Check(absl::StrContains(source.status().message(), "upload.gpx"),
          "the open error does not name the file");
    return;
  }
  const wetlink::fuzz::StreamLimits limits{.now_ms = wetlink::fuzz::kNowMs,
                                           .limits = options.limits};
  for (const StreamItem& item : wetlink::fuzz::DrainAndCheck(*source, max_rows, limits)) {
    if (!item.accepted) {
      CheckNoVsiMem(item.message, "a rejection");
      continue;
    }
    Check(item.sensor == "gps", "an accepted point's sensor type is not gps");
    if (options.tag_from_track_name) {
      Check(!item.fix.tag_id.empty(), "a point accepted without a tag");
    } else {
      Check(item.fix.tag_id == options.tag_id, "a point has another tag than the one given");
    }
  }
  wetlink::fuzz::CheckStatusCode(source->status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kDataLoss},
                                 "GpxFixSource::status");
  CheckNoVsiMem(std::string(source->status().message()), "the read error");
  for (const std::string& warning : source->warnings()) CheckNoVsiMem(warning, "a warning");
}

void Run(std::string_view data) {
  input_names_vsimem = data.find("/vsimem/") != std::string_view::npos;
  const std::uint32_t hash = wetlink::fuzz::InputHash(data);
  wetlink::ingest::GpxOptions fixed;
  fixed.tag_id = "fuzz-tag";
  fixed.individual_id = "fuzz-bird";
  fixed.read_waypoints = true;
  fixed.read_route_points = true;
  Read(data, fixed, 1 + hash % 8);

  wetlink::ingest::GpxOptions named;
  named.tag_from_track_name = true;
  named.read_route_points = true;
  Read(data, named, 4096);
  // Each source removed its staged copy when it was destroyed.
  wetlink::fuzz::CheckNoVsiMemLeftovers();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wetlink::fuzz::Guard(
      [&] { Run(std::string_view(reinterpret_cast<const char*>(data), size)); });
}
