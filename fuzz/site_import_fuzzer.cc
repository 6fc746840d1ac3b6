// libFuzzer target: a site boundary file uploaded for import, handled as
// wetlinkd's CatalogService.ImportSites handles one: the bytes are read by
// geo::ReadPolygonFeaturesFromBlobs (GDAL, any vector format it opens,
// staged in /vsimem/) and planned by catalog::PlanSiteImport against the
// bundled catalog, first as a strict import, then with skip-invalid,
// replace-existing and a default country.
//
// The upload's name follows its content, as a user's file would be named:
// upload.gpkg (SQLite header), upload.zip (zip header), upload.kml (a <kml
// element), upload.geojson otherwise.
//
// Checks:
//  - nothing of Wetlink's is left in /vsimem/ once the read returns;
//  - reading fails only with InvalidArgument or ResourceExhausted, and no
//    message, reason, repair note or feature description shows GDAL's
//    /vsimem/ path (users must see their own file name);
//  - every feature read has a non-empty geometry of closed rings with
//    finite longitude/latitude coordinates and a finite, non-negative
//    geodesic area;
//  - a plan accounts for every feature: reports = features + refused,
//    created + replaced + refused = reports, sites = created + replaced;
//    every planned site has a valid unique id, an ISO country code, a
//    catalogued complex (if any), a positive stated area (if any) and a
//    finite centre; every refusal has a reason;
//  - a strict import with any refusal fails with InvalidArgument naming
//    the file.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "catalog/site.h"
#include "catalog/site_import.h"
#include "fuzz/bundled_catalog.h"
#include "fuzz/fuzz_support.h"
#include "geo/gdal_io.h"
#include "geo/geodesy.h"

namespace {

using wetlink::fuzz::Check;

// Whether the input itself holds the text "/vsimem/" (messages may quote
// it then); set per input.
bool input_names_vsimem = false;

void CheckNoVsiMem(const std::string& text, std::string_view context) {
  Check(input_names_vsimem || text.find("/vsimem/") == std::string::npos,
        absl::StrCat(std::string(context), " shows GDAL's in-memory path: ", text.substr(0, 300)));
}

std::string UploadName(std::string_view data) {
  if (data.starts_with(std::string_view("SQLite format 3\0", 16))) return "upload.gpkg";
  if (data.starts_with("PK\x03\x04")) return "upload.zip";
  if (data.substr(0, 512).find("<kml") != std::string_view::npos) return "upload.kml";
  return "upload.geojson";
}

void CheckRing(const wetlink::geo::Ring& ring) {
  Check(ring.size() >= 4, absl::StrCat("a ring of ", ring.size(), " points"));
  Check(ring.front().x() == ring.back().x() &&
            ring.front().y() == ring.back().y(),
        "a ring is not closed");
  for (const wetlink::geo::Point& p : ring) {
    Check(std::isfinite(p.x()) && std::isfinite(p.y()) && std::abs(p.x()) <= 180 &&
              std::abs(p.y()) <= 90,
          absl::StrCat("a coordinate (", p.x(), ", ", p.y(), ") is not longitude/latitude"));
  }
}

void CheckRead(const wetlink::geo::ReadResult& read) {
  for (const wetlink::geo::ReadFeature& feature : read.features) {
    const std::string described = feature.ref.Describe();
    CheckNoVsiMem(described, "a feature description");
    for (const std::string& repair : feature.repairs) CheckNoVsiMem(repair, "a repair note");
    Check(!feature.geometry.empty(), absl::StrCat(described, ": empty geometry"));
    for (const wetlink::geo::Polygon& polygon : feature.geometry) {
      CheckRing(polygon.outer());
      for (const wetlink::geo::Ring& hole : polygon.inners()) CheckRing(hole);
    }
    const double area = wetlink::geo::GeodesicAreaM2(feature.geometry);
    Check(std::isfinite(area) && area >= 0, absl::StrCat(described, ": area ", area));
  }
  for (const wetlink::geo::RefusedFeature& refused : read.refused) {
    Check(!refused.reason.empty(), "a refused feature without a reason");
    CheckNoVsiMem(refused.reason, "a refusal");
  }
}

void CheckPlan(const wetlink::catalog::ImportPlan& plan, const wetlink::geo::ReadResult& read,
               const wetlink::catalog::Catalog& catalog) {
  Check(plan.reports.size() == read.features.size() + read.refused.size(),
        "the plan does not report every feature");
  Check(static_cast<std::size_t>(plan.created + plan.replaced + plan.refused) ==
            plan.reports.size(),
        "created + replaced + refused is not the number of reports");
  Check(plan.sites.size() == static_cast<std::size_t>(plan.created + plan.replaced),
        "the plan's sites are not the created and replaced ones");
  std::set<std::string> ids;
  for (const wetlink::catalog::Site& site : plan.sites) {
    Check(wetlink::catalog::IsValidSiteId(site.id), absl::StrCat("site id '", site.id, "'"));
    Check(ids.insert(site.id).second, absl::StrCat("site '", site.id, "' planned twice"));
    Check(wetlink::catalog::IsCountryCode(site.country),
          absl::StrCat("country '", site.country, "'"));
    Check(site.complex_id.empty() || catalog.FindComplex(site.complex_id) != nullptr,
          "a site in an unknown complex");
    Check(!site.stated_area_ha ||
              (std::isfinite(*site.stated_area_ha) && *site.stated_area_ha > 0),
          "a site with a stated area that is not positive");
    Check(std::isfinite(site.centre.lat) && std::isfinite(site.centre.lon),
          "a site with a centre that is not finite");
    Check(!site.geometry.empty(), "a site without geometry");
  }
  for (const wetlink::catalog::FeatureReport& report : plan.reports) {
    CheckNoVsiMem(report.feature, "a feature report");
    if (report.outcome == wetlink::catalog::ImportOutcome::kRefused) {
      Check(!report.reason.empty(), "a refused feature without a reason");
      CheckNoVsiMem(report.reason, "a refusal");
    }
  }
}

void Run(std::string_view data) {
  input_names_vsimem = data.find("/vsimem/") != std::string_view::npos;
  const std::string name = UploadName(data);
  const bool repair = wetlink::fuzz::InputHash(data) % 4 != 0;
  auto read = wetlink::geo::ReadPolygonFeaturesFromBlobs(
      {{.name = name, .content = std::string(data)}}, {.layer = "", .repair_invalid = repair});
  wetlink::fuzz::CheckNoVsiMemLeftovers();
  wetlink::fuzz::CheckStatusCode(read.status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument,
                                  absl::StatusCode::kResourceExhausted},
                                 "ReadPolygonFeaturesFromBlobs");
  if (!read.ok()) {
    CheckNoVsiMem(std::string(read.status().message()), "the read error");
    return;
  }
  CheckRead(*read);

  const wetlink::catalog::Catalog& catalog = wetlink::fuzz::BundledCatalog();
  auto strict = wetlink::catalog::PlanSiteImport(*read, {}, {}, catalog, name);
  wetlink::fuzz::CheckStatusCode(strict.status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                 "PlanSiteImport");
  if (strict.ok()) {
    CheckPlan(*strict, *read, catalog);
    Check(strict->refused == 0, "a strict import succeeded with refused features");
  } else {
    Check(absl::StrContains(strict.status().message(), name), "the refusal does not name the file");
    CheckNoVsiMem(std::string(strict.status().message()), "the refusal");
  }

  wetlink::catalog::ImportMapping mapping;
  mapping.default_country = "CN";
  auto lenient = wetlink::catalog::PlanSiteImport(
      *read, mapping, {.skip_invalid = true, .replace_existing = true}, catalog, name);
  wetlink::fuzz::CheckStatusCode(lenient.status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                 "PlanSiteImport (skip invalid)");
  if (lenient.ok()) {
    CheckPlan(*lenient, *read, catalog);
  } else {
    Check(read->features.empty() && read->refused.empty(),
          "an import with skip-invalid failed although the file has features");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  wetlink::fuzz::BundledCatalog();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wetlink::fuzz::Guard(
      [&] { Run(std::string_view(reinterpret_cast<const char*>(data), size)); });
}
