#include "counts/count_validation.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wetlink::counts {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;

// Long values are cut in messages so one bad cell cannot flood a report.
constexpr std::size_t kMaxQuotedBytes = 64;

// Bytes of the well-formed UTF-8 sequence at text[pos] (1-4), with its code
// point in `code_point`; 0 if the bytes there are not one (RFC 3629 table).
std::size_t Utf8SequenceAt(std::string_view text, std::size_t pos, char32_t& code_point) {
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char second_lo = 0x80;
  unsigned char second_hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
    if (lead == 0xE0) second_lo = 0xA0;  // overlong
    if (lead == 0xED) second_hi = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
    if (lead == 0xF0) second_lo = 0x90;  // overlong
    if (lead == 0xF4) second_hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char lo = i == 1 ? second_lo : 0x80;
    const unsigned char hi = i == 1 ? second_hi : 0xBF;
    if (byte(pos + i) < lo || byte(pos + i) > hi) return 0;
    code_point = (code_point << 6) | (byte(pos + i) & 0x3Fu);
  }
  return length;
}

// C0 controls, DEL and C1 controls (Unicode general category Cc).
bool IsControl(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

// Offset of the first byte that is invalid UTF-8 or starts a control
// character; nullopt when there is none.
std::optional<std::size_t> FirstUnprintable(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point = 0;
    const std::size_t length = Utf8SequenceAt(text, pos, code_point);
    if (length == 0 || IsControl(code_point)) return pos;
    pos += length;
  }
  return std::nullopt;
}

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
  if (const auto pos = FirstUnprintable(text)) {
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

bool IsPrintableUtf8(std::string_view text) { return !FirstUnprintable(text).has_value(); }

std::string QuoteForMessage(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "'";
  std::size_t pos = 0;
  while (pos < text.size() && pos < kMaxQuotedBytes) {
    char32_t code_point = 0;
    std::size_t length = Utf8SequenceAt(text, pos, code_point);
    if (length != 0 && !IsControl(code_point)) {
      out.append(text.substr(pos, length));
    } else {
      // An invalid byte alone, or every byte of a control character.
      length = std::max<std::size_t>(length, 1);
      for (std::size_t i = pos; i < pos + length; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        out += "\\x";
        out += kHex[byte >> 4];
        out += kHex[byte & 0x0F];
      }
    }
    pos += length;
  }
  if (pos < text.size()) out += "...";
  out += "'";
  return out;
}

}  // namespace wetlink::counts
