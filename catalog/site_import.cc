#include "catalog/site_import.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include <boost/geometry.hpp>
#include "catalog/format.h"
#include "geo/geodesy.h"

namespace wetlink::catalog {
namespace {

// At most this many refused features are spelled out in an error message;
// the response lists them all.
constexpr int kMaxReasonsInMessage = 10;

using Attributes = std::map<std::string, std::string>;

// The value of `field` if given, else of the first default present.
std::optional<std::string> Lookup(const Attributes& attrs, const std::string& field,
                                  std::initializer_list<const char*> defaults) {
  if (!field.empty()) {
    auto it = attrs.find(field);
    if (it == attrs.end() || it->second.empty()) return std::nullopt;
    return it->second;
  }
  for (const char* name : defaults) {
    auto it = attrs.find(name);
    if (it != attrs.end() && !it->second.empty()) return it->second;
  }
  return std::nullopt;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Builds the site of one feature, or explains why it cannot be one.
struct SiteOrReason {
  std::optional<Site> site;
  std::string reason;
};

// When `existing` is set (a replace), the site starts from it and the file
// overrides only what it provides: the boundary always, names, country,
// complex, designation and area when their attributes are present. So a
// surveyed boundary can replace an approximated one without losing the
// site's names, designations and sources.
SiteOrReason BuildSite(const geo::ReadFeature& feature, const ImportMapping& mapping,
                       const Catalog& current, const ImportOptions& options,
                       const std::string& origin) {
  const Attributes& attrs = feature.attributes;
  const auto name = Lookup(attrs, mapping.name_field, {"name_en", "name", "Name", "NAME"});
  const auto id = Lookup(attrs, mapping.id_field, {"id", "site_id"});
  std::string site_id;
  if (id.has_value()) {
    site_id = *id;
  } else if (name.has_value()) {
    site_id = SlugFromName(*name);
  }
  if (site_id.empty()) {
    return {std::nullopt,
            mapping.id_field.empty()
                ? "no id: the feature has no 'id' or 'site_id' attribute and no usable name"
                : absl::StrCat("no id: attribute '", mapping.id_field, "' is missing or empty")};
  }
  if (!IsValidSiteId(site_id)) {
    return {std::nullopt, absl::StrCat("id '", site_id, "' is not valid: use [a-z0-9_]{1,64}")};
  }
  const Site* existing = options.replace_existing ? current.FindSite(site_id) : nullptr;
  Site site = existing != nullptr ? *existing : Site{};
  site.id = site_id;
  if (name.has_value() || existing == nullptr) site.names["en"] = name.value_or(site.id);

  auto country = Lookup(attrs, mapping.country_field, {"country", "iso2", "ISO2", "iso_a2", "ISO_A2"});
  if (!country.has_value() && existing != nullptr) country = existing->country;
  if (!country.has_value() && !mapping.default_country.empty()) country = mapping.default_country;
  if (!country.has_value()) {
    return {std::nullopt,
            "no country: add a 'country' attribute (ISO 3166-1 alpha-2) or give a default country"};
  }
  site.country = Upper(*country);
  if (!IsCountryCode(site.country)) {
    return {std::nullopt,
            absl::StrCat("country '", *country, "' is not an ISO 3166-1 alpha-2 code")};
  }

  if (auto complex = Lookup(attrs, mapping.complex_field, {"complex", "complex_id"})) {
    if (current.FindComplex(*complex) == nullptr) {
      return {std::nullopt, absl::StrCat("complex '", *complex, "' is not in the catalog")};
    }
    site.complex_id = *complex;
  }

  if (auto designation = Lookup(attrs, mapping.designation_field, {"designation"})) {
    auto kind = ParseDesignationKind(*designation);
    if (!kind.has_value()) {
      return {std::nullopt, absl::StrCat("designation '", *designation,
                                         "' is unknown (use e.g. ramsar, national_park, "
                                         "nature_reserve)")};
    }
    if (!site.HasDesignation(*kind)) {
      Designation d;
      d.kind = *kind;
      d.title = *designation;
      site.designations.push_back(std::move(d));
    }
    site.is_protected = std::any_of(site.designations.begin(), site.designations.end(),
                                    [](const Designation& d) {
                                      return d.kind != DesignationKind::kFlywayNetworkSite;
                                    });
  }

  if (auto area = Lookup(attrs, mapping.area_field, {"area_ha", "stated_area_ha"})) {
    double value = 0;
    auto [end, ec] = std::from_chars(area->data(), area->data() + area->size(), value);
    if (ec != std::errc() || end != area->data() + area->size() || !std::isfinite(value) ||
        value <= 0) {
      return {std::nullopt, absl::StrCat("area '", *area, "' is not a positive number of hectares")};
    }
    site.stated_area_ha = value;
    site.area_source = "stated in the imported file";
  }

  site.geometry = feature.geometry;
  site.geometry_surveyed = true;
  site.geometry_note = absl::StrCat("boundary imported from ", feature.ref.Describe());
  if (!feature.repairs.empty()) {
    absl::StrAppend(&site.geometry_note, "; repaired: ", absl::StrJoin(feature.repairs, "; "));
  }
  geo::Point c;
  boost::geometry::centroid(site.geometry, c);
  site.centre = {.lat = c.y(), .lon = c.x()};
  site.centre_verified = true;
  site.centre_source = "centroid of the imported boundary";
  site.origin = origin;
  return {std::move(site), ""};
}

std::string RefusalMessage(const std::string& file_name, const ImportPlan& plan,
                           std::size_t total) {
  std::string msg = absl::StrCat("import of '", file_name, "' refused, nothing stored: ",
                                 plan.refused, " of ", total, " features cannot become sites");
  int shown = 0;
  for (const FeatureReport& r : plan.reports) {
    if (r.outcome != ImportOutcome::kRefused) continue;
    if (shown++ == kMaxReasonsInMessage) {
      absl::StrAppend(&msg, "; ...");
      break;
    }
    absl::StrAppend(&msg, "; ", r.feature, ": ", r.reason);
  }
  return msg;
}

}  // namespace

std::string SlugFromName(const std::string& name) {
  std::string slug;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      slug.push_back(static_cast<char>(std::tolower(c)));
    } else if (!slug.empty() && slug.back() != '_') {
      slug.push_back('_');
    }
  }
  // Cut to the id length first, so the cut cannot leave a trailing '_'.
  if (slug.size() > 64) slug.resize(64);
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug;
}

absl::StatusOr<ImportPlan> PlanSiteImport(const geo::ReadResult& read,
                                          const ImportMapping& mapping,
                                          const ImportOptions& options, const Catalog& current,
                                          const std::string& file_name) {
  const std::size_t total = read.features.size() + read.refused.size();
  if (total == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("file '", file_name, "' holds no polygon feature to import"));
  }
  ImportPlan plan;
  const std::string origin = absl::StrCat("import:", file_name);
  std::set<std::string> ids_in_file;
  for (const geo::ReadFeature& feature : read.features) {
    FeatureReport report;
    report.feature = feature.ref.Describe();
    report.repairs = feature.repairs;
    SiteOrReason built = BuildSite(feature, mapping, current, options, origin);
    if (built.site.has_value()) {
      Site& site = *built.site;
      report.site_id = site.id;
      report.geometry_area_ha = geo::GeodesicAreaM2(site.geometry) / geo::kSquareMetresPerHectare;
      if (!ids_in_file.insert(site.id).second) {
        built.reason = absl::StrCat("id '", site.id, "' appears more than once in the file");
        built.site.reset();
      } else if (current.FindSite(site.id) != nullptr && !options.replace_existing) {
        built.reason = absl::StrCat("site '", site.id,
                                    "' already exists (import with replace to overwrite it)");
        built.site.reset();
      }
    }
    if (built.site.has_value()) {
      const bool exists = current.FindSite(built.site->id) != nullptr;
      report.outcome = exists ? ImportOutcome::kReplaced : ImportOutcome::kCreated;
      ++(exists ? plan.replaced : plan.created);
      plan.sites.push_back(std::move(*built.site));
    } else {
      report.outcome = ImportOutcome::kRefused;
      report.reason = std::move(built.reason);
      ++plan.refused;
    }
    plan.reports.push_back(std::move(report));
  }
  for (const geo::RefusedFeature& refused : read.refused) {
    FeatureReport report;
    report.feature = refused.ref.Describe();
    report.outcome = ImportOutcome::kRefused;
    // gdal_io's reasons start with the feature's description; the report
    // names the feature in its own field, so keep just the problem.
    const std::string prefix = report.feature + ": ";
    report.reason = refused.reason.starts_with(prefix) ? refused.reason.substr(prefix.size())
                                                       : refused.reason;
    plan.reports.push_back(std::move(report));
    ++plan.refused;
  }
  if (plan.refused > 0 && !options.skip_invalid) {
    return absl::InvalidArgumentError(RefusalMessage(file_name, plan, total));
  }
  return plan;
}

}  // namespace wetlink::catalog
