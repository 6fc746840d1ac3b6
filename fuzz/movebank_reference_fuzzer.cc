// libFuzzer target: Movebank reference data (one row per deployment), read
// as wetlinkd reads an uploaded file (ingest::ReadMovebankReference, called
// by pipeline::ReferenceDataEditor::ImportMovebankCsv).
//
// Checks:
//  - the result is OK or InvalidArgument, and an error names the file;
//  - all or nothing: when accepted, every deployment's tag and animal are
//    among the tags and individuals read, each listed once; every id passes
//    telemetry::CheckExternalId and is well-formed UTF-8 (registry.h:
//    "printable UTF-8 without control characters"), as the ids go into
//    protobuf string fields; animal-sex is m, f, u or empty; a deployment
//    ends after it starts.

#include <cstddef>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "ingest/movebank_reference.h"
#include "telemetry/registry.h"

namespace {

using wetlink::fuzz::Check;

constexpr wetlink::telemetry::TimestampMs kEarliestMs =
    wetlink::telemetry::TimestampFromCivil(1990, 1, 1);

void CheckId(const std::string& id, std::string_view field) {
  Check(wetlink::telemetry::CheckExternalId(id, field).ok(),
        absl::StrCat("an accepted ", std::string(field), " fails CheckExternalId"));
  Check(wetlink::fuzz::IsWellFormedUtf8(id),
        absl::StrCat("an accepted ", std::string(field), " is not well-formed UTF-8"));
}

void Run(std::string_view data) {
  std::istringstream in{std::string(data)};
  auto read = wetlink::ingest::ReadMovebankReference(in, "upload.csv", kEarliestMs);
  wetlink::fuzz::CheckStatusCode(read.status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                 "ReadMovebankReference");
  if (!read.ok()) {
    Check(absl::StartsWith(read.status().message(), "upload.csv"),
          absl::StrCat("the error does not name the file: ", read.status().message()));
    return;
  }
  std::set<std::string> individuals;
  for (const wetlink::telemetry::Individual& individual : read->individuals) {
    CheckId(individual.id, "animal-id");
    Check(individuals.insert(individual.id).second, "an individual is listed twice");
    Check(individual.sex.empty() || individual.sex == "m" || individual.sex == "f" ||
              individual.sex == "u",
          absl::StrCat("animal-sex '", individual.sex, "' was accepted"));
  }
  std::set<std::string> tags;
  for (const wetlink::telemetry::Tag& tag : read->tags) {
    CheckId(tag.id, "tag-id");
    Check(tags.insert(tag.id).second, "a tag is listed twice");
  }
  for (const wetlink::telemetry::Deployment& deployment : read->deployments) {
    Check(tags.contains(deployment.tag_id), "a deployment's tag is not among the tags");
    Check(individuals.contains(deployment.individual_id),
          "a deployment's animal is not among the individuals");
    Check(!deployment.end_ms || *deployment.end_ms > deployment.start_ms,
          "a deployment ends before it starts");
  }
  Check(read->deployments.size() >= read->tags.size() &&
            read->deployments.size() >= read->individuals.size(),
        "a tag or animal without a deployment");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wetlink::fuzz::Guard(
      [&] { Run(std::string_view(reinterpret_cast<const char*>(data), size)); });
}
