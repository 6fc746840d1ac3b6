#ifndef WETLINK_COUNTS_COUNT_H_
#define WETLINK_COUNTS_COUNT_H_

// A count survey record: how many birds of one species one survey counted at
// one catalogued site on one date. Zero counts are data (the species was
// looked for and not found) and are kept like any other count.
//
// RawCount is what a client sends, as text, before validation;
// ValidateCount (count_validation.h) turns it into a Count or says why not.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wetlink::counts {

// How the birds were counted. The names are part of the API and the CSV
// format: never rename one.
enum class SurveyMethod {
  kUnspecified,  // the survey did not say
  kGround,       // on foot or from a vehicle, with binoculars or telescope
  kAerial,       // from an aircraft
  kBoat,         // from a boat
  kRoost,        // at a roost, as birds leave or arrive
  kOther,
};

// Every method that has a name, in declaration order (for messages and tests).
inline constexpr std::array<SurveyMethod, 5> kNamedSurveyMethods = {
    SurveyMethod::kGround, SurveyMethod::kAerial, SurveyMethod::kBoat, SurveyMethod::kRoost,
    SurveyMethod::kOther,
};

// "ground", "aerial", "boat", "roost", "other"; "" for kUnspecified.
std::string_view SurveyMethodName(SurveyMethod method);

// The method named `name`, ignoring ASCII case; kUnspecified for "";
// nullopt for any other text (no trimming: " ground" is unknown).
std::optional<SurveyMethod> ParseSurveyMethod(std::string_view name);

// Survey dates are whole days since 1970-01-01 (proleptic Gregorian, no time
// zone: a survey date is the local calendar date the survey gives).
//
// The days of `text` if it is exactly "yyyy-MM-dd" and names a real date
// (years 0000-9999; 2024-02-29 yes, 2023-02-29 no); nullopt otherwise.
std::optional<std::int32_t> ParseSurveyDate(std::string_view text);

// "yyyy-MM-dd" for years 0000-9999, so ParseSurveyDate reads it back; other
// years still format (signed or longer), for messages about them.
std::string FormatSurveyDate(std::int32_t days);

struct Count {
  std::string survey_id;
  std::string site_id;         // a catalog site id, e.g. "rason"
  std::int32_t date_days = 0;  // days since 1970-01-01
  std::string species_id;      // a catalog species id, e.g. "grus_monacha"
  std::int64_t count = 0;      // individuals, >= 0
  SurveyMethod method = SurveyMethod::kUnspecified;
  std::string observer;
  std::string organisation;
  std::string notes;

  bool operator==(const Count&) const = default;
};

// A count as received, every field as the client wrote it. The names match
// the count CSV columns (count_csv.h).
struct RawCount {
  std::string survey_id;
  std::string site_id;
  std::string date;     // "yyyy-MM-dd"
  std::string species;  // catalog id ("grus_monacha"), code ("HC") or scientific name
  std::optional<std::int64_t> count;  // absent when the client gave none
  std::string method;   // a SurveyMethodName, any case; "" for unspecified
  std::string observer;
  std::string organisation;
  std::string notes;

  bool operator==(const RawCount&) const = default;
};

}  // namespace wetlink::counts

#endif  // WETLINK_COUNTS_COUNT_H_
