#include "ingest/movebank_reference.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ingest/csv_reader.h"
#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

enum Column {
  kTagId,
  kAnimalId,
  kTaxon,
  kSex,
  kRing,
  kComments,
  kDeployOn,
  kDeployOff,
  kManufacturer,
  kModel,
  kColumnCount,
};

constexpr const char* kColumnNames[kColumnCount] = {
    "tag-id",          "animal-id",       "animal-taxon",           "animal-sex",
    "animal-ring-id",  "animal-comments", "deploy-on-date",         "deploy-off-date",
    "tag-manufacturer-name", "tag-model",
};

}  // namespace

absl::StatusOr<ReferenceData> ReadMovebankReference(std::istream& in, const std::string& file_name,
                                                    telemetry::TimestampMs earliest_ms) {
  CsvReader csv(in);
  CsvRecord record;
  if (!csv.Next(record)) {
    if (!csv.status().ok()) return csv.status();
    return absl::InvalidArgumentError(absl::StrCat(file_name, ": the file is empty"));
  }
  if (!record.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, " line ", record.line, ": malformed header: ", record.error));
  }
  int index[kColumnCount];
  std::fill(std::begin(index), std::end(index), -1);
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    for (int c = 0; c < kColumnCount; ++c) {
      if (record.fields[i] != kColumnNames[c]) continue;
      if (index[c] >= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(file_name, ": column '", kColumnNames[c], "' appears twice"));
      }
      index[c] = static_cast<int>(i);
    }
  }
  for (int c : {kTagId, kAnimalId}) {
    if (index[c] < 0) {
      std::vector<std::string> header(record.fields.begin(), record.fields.end());
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ": required column '", kColumnNames[c],
          "' is missing; the header has: ", absl::StrJoin(header, ", ")));
    }
  }

  ReferenceData out;
  std::map<std::string, std::size_t> individual_row;  // id -> index in out
  std::map<std::string, std::size_t> tag_row;
  while (csv.Next(record)) {
    const std::string where = absl::StrCat(file_name, " line ", record.line);
    if (!record.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": malformed row: ", record.error));
    }
    auto cell = [&](Column c) -> std::string {
      if (index[c] < 0 || static_cast<std::size_t>(index[c]) >= record.fields.size()) return {};
      return std::string(record.fields[static_cast<std::size_t>(index[c])]);
    };
    auto time = [&](Column c) -> absl::StatusOr<std::optional<telemetry::TimestampMs>> {
      const std::string text = cell(c);
      if (text.empty()) return std::optional<telemetry::TimestampMs>();
      auto t = telemetry::ParseTimestamp(text);
      if (!t.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(where, ", column '", kColumnNames[c],
                                                       "': ", std::string(t.status().message())));
      }
      return std::optional<telemetry::TimestampMs>(*t);
    };
    const std::string tag_id = cell(kTagId);
    const std::string animal_id = cell(kAnimalId);
    for (auto [id, c] : {std::pair{&tag_id, kTagId}, std::pair{&animal_id, kAnimalId}}) {
      if (absl::Status st = telemetry::CheckExternalId(*id, kColumnNames[c]); !st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": ", std::string(st.message())));
      }
    }
    if (const std::string sex = cell(kSex); !sex.empty() && sex != "m" && sex != "f" && sex != "u") {
      return absl::InvalidArgumentError(absl::StrCat(where, ", column 'animal-sex': '", sex,
                                                     "' is not m, f, u or empty"));
    }
    auto on = time(kDeployOn);
    if (!on.ok()) return on.status();
    auto off = time(kDeployOff);
    if (!off.ok()) return off.status();
    if (*off && **off <= on->value_or(earliest_ms)) {
      return absl::InvalidArgumentError(absl::StrCat(where, ", column 'deploy-off-date': ",
                                                     "deploy-off must be after deploy-on"));
    }

    telemetry::Individual individual{.study_id = "",
                                     .id = animal_id,
                                     .taxon = cell(kTaxon),
                                     .species_id = "",
                                     .sex = cell(kSex),
                                     .ring_id = cell(kRing),
                                     .comments = cell(kComments)};
    if (auto [it, inserted] = individual_row.try_emplace(animal_id, out.individuals.size());
        inserted) {
      out.individuals.push_back(std::move(individual));
    } else if (!(out.individuals[it->second] == individual)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": animal '", animal_id,
          "' has other attributes (taxon, sex, ring id or comments) than on an earlier row"));
    }
    telemetry::Tag tag{.study_id = "",
                       .id = tag_id,
                       .manufacturer = cell(kManufacturer),
                       .model = cell(kModel)};
    if (auto [it, inserted] = tag_row.try_emplace(tag_id, out.tags.size()); inserted) {
      out.tags.push_back(std::move(tag));
    } else if (!(out.tags[it->second] == tag)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": tag '", tag_id, "' has another manufacturer or model than on an earlier row"));
    }
    out.deployments.push_back(telemetry::Deployment{.study_id = "",
                                                    .tag_id = tag_id,
                                                    .individual_id = animal_id,
                                                    .start_ms = on->value_or(earliest_ms),
                                                    .end_ms = *off});
  }
  if (!csv.status().ok()) return csv.status();
  return out;
}

}  // namespace wetlink::ingest
