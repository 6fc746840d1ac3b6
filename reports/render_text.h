#ifndef WETLINK_REPORTS_RENDER_TEXT_H_
#define WETLINK_REPORTS_RENDER_TEXT_H_

// Internal to the report renderers: how numbers, dates and names print, in
// one place so that every format prints a figure the same way (the CSV
// value of a measure is exactly the text of its HTML cell).
//
// Numbers never go through the C locale: integers and fixed decimals are
// written with std::to_chars, so a host's LC_NUMERIC cannot turn "12.5"
// into "12,5". No digit grouping: "20000", "1234.5".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/species.h"
#include "reports/labels.h"
#include "reports/site_report.h"
#include "telemetry/fix.h"

namespace wetlink::reports::internal {

// Counts and other whole numbers.
std::string FormatInt(std::int64_t value);
// `decimals` places, rounded half away from representation (to_chars); a
// negative zero prints without its sign; "" for NaN or infinity.
std::string FormatFixed(double value, int decimals);
// Percentages and days: one decimal. Kilometres: one decimal. Degrees: four.
inline std::string FormatPercent(double value) { return FormatFixed(value, 1); }
inline std::string FormatDays(double value) { return FormatFixed(value, 1); }
inline std::string FormatKm(double value) { return FormatFixed(value, 1); }
inline std::string FormatDegrees(double value) { return FormatFixed(value, 4); }

// "yyyy-MM-dd" of whole days since 1970-01-01, and of the UTC day of a
// timestamp.
std::string FormatDate(std::int64_t days);
std::string FormatDateOfMs(telemetry::TimestampMs t);
// ISO 8601 UTC with milliseconds: "2024-05-01T06:30:00.000Z".
std::string FormatIsoUtc(telemetry::TimestampMs t);

// The species a report shows: those of `report.species` and of
// `report.assessments`, by id, each once.
std::vector<std::string> ReportSpeciesIds(const SiteReport& report);
const catalog::Species* FindReportSpecies(const SiteReport& report, std::string_view id);
const SpeciesAssessment* FindAssessment(const SiteReport& report, std::string_view id);

// The names of things a report mentions, in the labels' language.
LocalText SiteName(const catalog::Site& site, const Labels& labels);
LocalText ComplexName(const catalog::Complex& complex, const Labels& labels);
LocalText SpeciesName(const catalog::Species& species, const Labels& labels);
// The species' name if `species_id` is in `report.species`, else the id.
LocalText SpeciesNameById(const SiteReport& report, std::string_view species_id,
                          const Labels& labels);
// A catalogued node's name; a discovered node: "links.discovered_name" with
// its id.
LocalText NodeName(bool catalogued, const std::map<std::string, std::string>& names,
                   const std::vector<std::string>& unverified, std::string_view node_id,
                   const Labels& labels);

// "season.<name>" ("season.other" for "") followed by the year, as
// "tagged.season_year" lays them out ("spring 2023", "2023年春季").
LocalText TaggedSeasonLabel(std::string_view season, int year, const Labels& labels);
// The stable English form used as the CSV season of tagged rows and in
// JSON: "spring 2023", "other 2023".
std::string TaggedSeasonKey(std::string_view season, int year);

// Species names joined with the language's list separator.
std::string JoinSpeciesNames(const SiteReport& report, const std::vector<std::string>& ids,
                             const Labels& labels);
// Count seasons as "2021/22, 2022/23".
std::string JoinSeasonLabels(const std::vector<int>& seasons);

// The sentence a caveat becomes: "caveat.<code>" with its arguments, a
// species id argument replaced by the species' name in the language.
LocalText CaveatText(const SiteReport& report, const Caveat& caveat, const Labels& labels);

// "yes"/"no" in the language.
LocalText YesNo(bool value, const Labels& labels);

// Threshold test results: "result.met", "result.not_met",
// "result.insufficient_data" (or "result.no_threshold" when the threshold
// is 0), and the reason the regularity rule gives.
LocalText ThresholdResult(const ThresholdTest& test, const Labels& labels);
LocalText ThresholdReason(const ThresholdTest& test, const Labels& labels);
// Stable snake_case regularity names for JSON.
std::string_view RegularityName(Regularity regularity);

// Replaces bytes that are not well-formed UTF-8, and C0 control characters
// other than tab, CR and LF, with U+FFFD: text from user imports reaches
// every format, and neither an HTML page nor a JSON document may carry them.
std::string SanitizeUtf8(std::string_view text);

// A file-name-safe form of `text`: [A-Za-z0-9._-] kept, anything else "_".
std::string FileNamePart(std::string_view text);

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_RENDER_TEXT_H_
