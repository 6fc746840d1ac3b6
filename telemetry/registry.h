#ifndef WETLINK_TELEMETRY_REGISTRY_H_
#define WETLINK_TELEMETRY_REGISTRY_H_

// The tagging registry, in Movebank's model: every record belongs to a
// study; a deployment puts one tag on one individual from a start time to an
// (optional) end time. A fix arrives keyed by (study, tag, time); its
// deployment resolves it to an individual.

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "telemetry/fix.h"

namespace wetlink::telemetry {

struct Study {
  std::string id;      // stable, [a-z0-9_-]{1,64}
  std::string name;    // e.g. "Hooded crane migration, Izumi 2024"
  std::string owner;   // owner organisation
  std::string licence; // e.g. "CC-BY-4.0"

  bool operator==(const Study&) const = default;
};

struct Individual {
  std::string study_id;
  std::string id;       // individual-local-identifier
  std::string taxon;    // as the team gives it, e.g. "Grus monacha"
  std::string species_id;  // the catalog species it resolves to, "" if none
  std::string sex;      // "m", "f" or "" (Movebank's animal-sex)
  std::string ring_id;  // "" when unknown
  std::string comments;

  bool operator==(const Individual&) const = default;
};

struct Tag {
  std::string study_id;
  std::string id;  // tag-local-identifier
  std::string manufacturer;
  std::string model;

  bool operator==(const Tag&) const = default;
};

struct Deployment {
  std::string study_id;
  std::string tag_id;
  std::string individual_id;
  TimestampMs start_ms = 0;            // deploy-on, inclusive
  std::optional<TimestampMs> end_ms;   // deploy-off, exclusive; open-ended if unset

  bool Covers(TimestampMs t) const { return t >= start_ms && (!end_ms || t < *end_ms); }
  bool operator==(const Deployment&) const = default;
};

// True for [a-z0-9_-]{1,64}.
bool IsValidStudyId(std::string_view id);

// Identifiers from tagging teams (tag and individual ids) are free text in
// Movebank ("2859/H4839/Albert"); Wetlink accepts 1-128 bytes of printable
// UTF-8 (no invalid or cut sequences) without control characters (C0, DEL,
// C1). InvalidArgument naming `field` otherwise.
absl::Status CheckExternalId(std::string_view id, std::string_view field);

}  // namespace wetlink::telemetry

#endif  // WETLINK_TELEMETRY_REGISTRY_H_
