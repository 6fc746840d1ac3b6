#include "reports/render_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <system_error>

#include "reports/render_cat.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports::internal {

namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at text[i], or 0 (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::string FormatInt(std::int64_t value) {
  std::array<char, 24> buf;
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), end);
}

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "";
  std::array<char, 400> buf;  // DBL_MAX in fixed notation is 309 digits
  const auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "";
  std::string text(buf.data(), end);
  if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) {
    text.erase(0, 1);  // "-0.0": a tiny negative value rounded to zero
  }
  return text;
}

std::string FormatDate(std::int64_t days) {
  const telemetry::CivilDate date = telemetry::CivilFromDays(days);
  if (date.year < 0 || date.year > 9999) return FormatInt(days);
  std::array<char, 11> buf;
  auto put = [&](std::size_t at, std::int64_t value, std::size_t width) {
    for (std::size_t k = 0; k < width; ++k) {
      buf[at + width - 1 - k] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, date.year, 4);
  buf[4] = '-';
  put(5, date.month, 2);
  buf[7] = '-';
  put(8, date.day, 2);
  return std::string(buf.data(), 10);
}

std::string FormatDateOfMs(telemetry::TimestampMs t) { return FormatDate(telemetry::DayIndex(t)); }

std::string FormatIsoUtc(telemetry::TimestampMs t) {
  std::string text = telemetry::FormatTimestamp(t);
  if (const std::size_t space = text.find(' '); space != std::string::npos) text[space] = 'T';
  text += 'Z';
  return text;
}

std::vector<std::string> ReportSpeciesIds(const SiteReport& report) {
  std::vector<std::string> ids;
  for (const catalog::Species& species : report.species) ids.push_back(species.id);
  for (const SpeciesAssessment& assessment : report.assessments) {
    ids.push_back(assessment.species_id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

const catalog::Species* FindReportSpecies(const SiteReport& report, std::string_view id) {
  for (const catalog::Species& species : report.species) {
    if (species.id == id) return &species;
  }
  return nullptr;
}

const SpeciesAssessment* FindAssessment(const SiteReport& report, std::string_view id) {
  for (const SpeciesAssessment& assessment : report.assessments) {
    if (assessment.species_id == id) return &assessment;
  }
  return nullptr;
}

LocalText SiteName(const catalog::Site& site, const Labels& labels) {
  LocalText name = labels.Name(site.names, site.names_unverified);
  if (name.text.empty()) name.text = site.id;
  return name;
}

LocalText ComplexName(const catalog::Complex& complex, const Labels& labels) {
  LocalText name = labels.Name(complex.names, {});
  if (name.text.empty()) name.text = complex.id;
  return name;
}

LocalText SpeciesName(const catalog::Species& species, const Labels& labels) {
  LocalText name = labels.Name(species.names, species.weak_names);
  if (name.text.empty()) name.text = species.scientific_name;
  if (name.text.empty()) name.text = species.id;
  return name;
}

LocalText SpeciesNameById(const SiteReport& report, std::string_view species_id,
                          const Labels& labels) {
  if (const catalog::Species* species = FindReportSpecies(report, species_id)) {
    return SpeciesName(*species, labels);
  }
  return {.text = std::string(species_id)};
}

LocalText NodeName(bool catalogued, const std::map<std::string, std::string>& names,
                   const std::vector<std::string>& unverified, std::string_view node_id,
                   const Labels& labels) {
  if (catalogued) {
    LocalText name = labels.Name(names, unverified);
    if (!name.text.empty()) return name;
    return {.text = std::string(node_id)};
  }
  return labels.Format("links.discovered_name", {std::string(node_id)});
}

LocalText TaggedSeasonLabel(std::string_view season, int year, const Labels& labels) {
  const LocalText name = labels.Get(Cat("season.", season.empty() ? "other" : season));
  LocalText text = labels.Format("tagged.season_year", {name.text, FormatInt(year)});
  text.fallback = text.fallback || name.fallback;
  return text;
}

std::string TaggedSeasonKey(std::string_view season, int year) {
  return Cat(season.empty() ? "other" : season, " ", year);
}

std::string JoinSpeciesNames(const SiteReport& report, const std::vector<std::string>& ids,
                             const Labels& labels) {
  const std::string separator = labels.Get("common.list_separator").text;
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += separator;
    out += SpeciesNameById(report, id, labels).text;
  }
  return out;
}

std::string JoinSeasonLabels(const std::vector<int>& seasons) {
  std::string out;
  for (const int season : seasons) {
    if (!out.empty()) out += ", ";
    out += CountSeasonLabel(season);
  }
  return out;
}

LocalText CaveatText(const SiteReport& report, const Caveat& caveat, const Labels& labels) {
  std::vector<std::string> args = caveat.args;
  if ((caveat.code == "threshold_derived" || caveat.code == "no_threshold") && !args.empty()) {
    args[0] = SpeciesNameById(report, args[0], labels).text;
  }
  return labels.Format(Cat("caveat.", caveat.code), args);
}

LocalText YesNo(bool value, const Labels& labels) {
  return labels.Get(value ? "common.yes" : "common.no");
}

LocalText ThresholdResult(const ThresholdTest& test, const Labels& labels) {
  if (test.threshold <= 0) return labels.Get("result.no_threshold");
  if (test.met()) return labels.Get("result.met");
  if (test.regularity == Regularity::kInsufficientData) {
    return labels.Get("result.insufficient_data");
  }
  return labels.Get("result.not_met");
}

std::string_view RegularityName(Regularity regularity) {
  switch (regularity) {
    case Regularity::kInsufficientData:
      return "insufficient_data";
    case Regularity::kNotMet:
      return "not_met";
    case Regularity::kTwoThirdsOfSeasons:
      return "two_thirds_of_seasons";
    case Regularity::kFiveSeasonMean:
      return "five_season_mean";
  }
  return "not_met";
}

LocalText ThresholdReason(const ThresholdTest& test, const Labels& labels) {
  // {0} seasons at or above, {1} seasons with data, {2} seasons in the
  // mean, {3} the mean, {4} the threshold.
  return labels.Format(Cat("regularity.", RegularityName(test.regularity)),
                       {FormatInt(test.seasons_at_or_above), FormatInt(test.seasons_with_data),
                        FormatInt(test.seasons_in_mean), FormatFixed(test.mean_recent_peaks, 1),
                        FormatInt(test.threshold)});
}

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
      out += kReplacementChar;
      ++i;
      continue;
    }
    if (b == 0x7F) {
      out += kReplacementChar;
      ++i;
      continue;
    }
    const std::size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out += kReplacementChar;
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string FileNamePart(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    out += keep ? c : '_';
  }
  if (out.empty() || out.front() == '.') out.insert(0, "_");
  return out;
}

}  // namespace wetlink::reports::internal
