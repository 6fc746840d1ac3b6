#include "counts/count_validation.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "telemetry/text.h"

namespace wetlink::counts {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;

FieldProblem Problem(RejectReason reason, std::string_view field, std::string message) {
  return FieldProblem{reason, std::string(field), std::move(message)};
}

// kFieldTooLong or kMalformedRow for a text field, or nothing.
std::optional<FieldProblem> CheckText(std::string_view text, std::string_view field,
                                      std::size_t max_bytes) {
  const std::string name(field);
  if (text.size() > max_bytes) {
    return Problem(RejectReason::kFieldTooLong, field,
                   absl::StrCat(name, " is ", text.size(), " bytes long, more than ", max_bytes,
                                ": ", QuoteForMessage(text)));
  }
  if (const auto pos = telemetry::FirstUnprintableByte(text)) {
    return Problem(RejectReason::kMalformedRow, field,
                   absl::StrCat(name, " ", QuoteForMessage(text),
                                " has invalid UTF-8 or a control character at byte ", *pos));
  }
  return std::nullopt;
}

FieldProblem Missing(std::string_view field) {
  return Problem(RejectReason::kMissingField, field, absl::StrCat(std::string(field), " is empty"));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

// By id, by code (any case), then by scientific name (any case): survey
// sheets name species in whichever of these the surveyor knows.
const catalog::Species* ResolveSpecies(const catalog::Catalog& catalog, std::string_view text) {
  if (const catalog::Species* species = catalog.FindSpecies(text)) return species;
  for (const catalog::Species& species : catalog.species()) {
    if (EqualsIgnoreCase(species.scientific_name, text)) return &species;
  }
  return nullptr;
}

std::string AcceptedMethods() {
  std::vector<std::string> names;
  for (SurveyMethod method : kNamedSurveyMethods) names.emplace_back(SurveyMethodName(method));
  return absl::StrJoin(names, ", ");
}

}  // namespace

std::variant<Count, FieldProblem> ValidateCount(const RawCount& raw,
                                                const catalog::Catalog& catalog,
                                                std::int32_t today_days,
                                                const CountLimits& limits) {
  Count count;

  if (raw.survey_id.empty()) return Missing("survey_id");
  if (auto p = CheckText(raw.survey_id, "survey_id", limits.max_survey_id_bytes)) return *p;
  count.survey_id = raw.survey_id;

  if (raw.site_id.empty()) return Missing("site_id");
  const catalog::Site* site = catalog.FindSite(raw.site_id);
  if (site == nullptr) {
    return Problem(
        RejectReason::kUnknownSite, "site_id",
        absl::StrCat("site_id ", QuoteForMessage(raw.site_id), " is not a site in the catalog"));
  }
  count.site_id = site->id;

  if (raw.date.empty()) return Missing("date");
  const std::optional<std::int32_t> date = ParseSurveyDate(raw.date);
  if (!date) {
    return Problem(RejectReason::kBadDate, "date",
                   absl::StrCat("date ", QuoteForMessage(raw.date),
                                " is not a calendar date written yyyy-MM-dd"));
  }
  if (*date < limits.earliest_date_days) {
    return Problem(RejectReason::kDateOutOfRange, "date",
                   absl::StrCat("date ", raw.date, " is before the earliest accepted survey date ",
                                FormatSurveyDate(limits.earliest_date_days)));
  }
  // In 64 bits, so an extreme `today_days` cannot overflow.
  const std::int64_t latest =
      std::int64_t{today_days} + std::max<std::int32_t>(limits.future_tolerance_days, 0);
  if (*date > latest) {
    return Problem(RejectReason::kDateOutOfRange, "date",
                   absl::StrCat("date ", raw.date, " is in the future: today is ",
                                FormatSurveyDate(today_days), " and at most ",
                                limits.future_tolerance_days, " day(s) ahead are accepted"));
  }
  count.date_days = *date;

  if (raw.species.empty()) return Missing("species");
  const catalog::Species* species = ResolveSpecies(catalog, raw.species);
  if (species == nullptr) {
    return Problem(RejectReason::kUnknownSpecies, "species",
                   absl::StrCat("species ", QuoteForMessage(raw.species),
                                " is not a catalog species id, code or scientific name"));
  }
  count.species_id = species->id;

  if (!raw.count) return Missing("count");
  if (*raw.count < 0) {
    return Problem(RejectReason::kNegativeCount, "count",
                   absl::StrCat("count ", *raw.count, " is negative"));
  }
  if (*raw.count > limits.max_count) {
    return Problem(
        RejectReason::kCountOutOfRange, "count",
        absl::StrCat("count ", *raw.count, " is more than the maximum ", limits.max_count));
  }
  count.count = *raw.count;

  const std::optional<SurveyMethod> method = ParseSurveyMethod(raw.method);
  if (!method) {
    return Problem(RejectReason::kUnknownMethod, "method",
                   absl::StrCat("method ", QuoteForMessage(raw.method),
                                " is not a survey method; accepted: ", AcceptedMethods(),
                                " (any case), or empty"));
  }
  count.method = *method;

  if (auto p = CheckText(raw.observer, "observer", limits.max_observer_bytes)) return *p;
  if (auto p = CheckText(raw.organisation, "organisation", limits.max_organisation_bytes)) {
    return *p;
  }
  if (auto p = CheckText(raw.notes, "notes", limits.max_notes_bytes)) return *p;
  count.observer = raw.observer;
  count.organisation = raw.organisation;
  count.notes = raw.notes;
  return count;
}

}  // namespace wetlink::counts
