#include "services/catalog_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "catalog/site_export.h"
#include "geo/gdal_io.h"
#include "services/catalog_proto.h"
#include "services/status_mapping.h"

namespace wetlink::services {

using access::Action;
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// Page tokens are "after:<last id of the previous page>".
constexpr char kPageTokenPrefix[] = "after:";

absl::StatusOr<std::string> PageStart(const std::string& token) {
  if (token.empty()) return std::string();
  if (!token.starts_with(kPageTokenPrefix)) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_token: '", token, "' was not issued by this server"));
  }
  return token.substr(sizeof(kPageTokenPrefix) - 1);
}

}  // namespace

grpc::ServerUnaryReactor* CatalogService::ListSites(grpc::CallbackServerContext* ctx,
                                                    const v1::ListSitesRequest* request,
                                                    v1::ListSitesResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kReadCatalog, "CatalogService.ListSites");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const auto snapshot = store_.Snapshot();
  auto filter = SiteFilterFromProto(request->countries(), request->complex_id(),
                                    request->designation(),
                                    request->has_bbox() ? &request->bbox() : nullptr, *snapshot);
  if (!filter.ok()) return FinishUnary(ctx, filter.status());
  if (request->page_size() < 0) {
    return FinishUnary(ctx, absl::InvalidArgumentError(
                           absl::StrCat("page_size: ", request->page_size(), " is negative")));
  }
  auto start = PageStart(request->page_token());
  if (!start.ok()) return FinishUnary(ctx, start.status());

  const int page_size =
      request->page_size() == 0 ? kDefaultPageSize : std::min(request->page_size(), kMaxPageSize);
  const std::vector<const catalog::Site*> matches = snapshot->Query(*filter);
  response->set_total_size(static_cast<int>(matches.size()));
  auto it = std::upper_bound(matches.begin(), matches.end(), *start,
                             [](const std::string& id, const catalog::Site* s) { return id < s->id; });
  for (int n = 0; it != matches.end() && n < page_size; ++it, ++n) {
    SiteToProto(**it, request->include_geometry(), response->add_sites());
  }
  if (it != matches.end()) {
    response->set_next_page_token(absl::StrCat(kPageTokenPrefix, response->sites().rbegin()->id()));
  }
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* CatalogService::GetSite(grpc::CallbackServerContext* ctx,
                                                  const v1::GetSiteRequest* request,
                                                  v1::Site* response) {
  auto who = guard_.Admit(*ctx, Action::kReadCatalog, "CatalogService.GetSite");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (request->id().empty()) return FinishUnary(ctx, absl::InvalidArgumentError("id: must be set"));
  const auto snapshot = store_.Snapshot();
  const catalog::Site* site = snapshot->FindSite(request->id());
  if (site == nullptr) {
    return FinishUnary(ctx, absl::NotFoundError(absl::StrCat("site '", request->id(), "' not found")));
  }
  SiteToProto(*site, /*include_geometry=*/true, response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* CatalogService::ListComplexes(grpc::CallbackServerContext* ctx,
                                                        const v1::ListComplexesRequest*,
                                                        v1::ListComplexesResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kReadCatalog, "CatalogService.ListComplexes");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const auto snapshot = store_.Snapshot();
  for (const catalog::Complex& c : snapshot->complexes()) {
    ComplexToProto(c, *snapshot, response->add_complexes());
  }
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* CatalogService::ImportSites(grpc::CallbackServerContext* ctx,
                                                      const v1::ImportSitesRequest* request,
                                                      v1::ImportSitesResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kEditCatalog, "CatalogService.ImportSites");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (request->files().empty()) {
    return FinishUnary(ctx, absl::InvalidArgumentError("files: at least one file is required"));
  }
  std::vector<geo::NamedBlob> blobs;
  std::size_t total = 0;
  for (int i = 0; i < request->files_size(); ++i) {
    const v1::SourceFile& f = request->files(i);
    if (f.name().empty() || f.name().find('/') != std::string::npos) {
      return FinishUnary(ctx, absl::InvalidArgumentError(absl::StrCat(
                             "files[", i, "].name: '", f.name(), "' must be a plain file name")));
    }
    total += f.content().size();
    blobs.push_back({f.name(), f.content()});
  }
  if (total > limits_.max_import_bytes) {
    return FinishUnary(ctx, absl::ResourceExhaustedError(absl::StrCat(
                           "files: ", total, " bytes exceed the import limit of ",
                           limits_.max_import_bytes, " bytes")));
  }
  auto read = geo::ReadPolygonFeaturesFromBlobs(
      blobs, {.layer = request->layer(), .repair_invalid = !request->no_repair()});
  if (!read.ok()) return FinishUnary(ctx, read.status());

  std::vector<std::string> names;
  for (const auto& b : blobs) names.push_back(b.name);
  auto plan = store_.ImportSites(
      *read, ImportMappingFromProto(request->mapping()),
      {.skip_invalid = request->skip_invalid(), .replace_existing = request->replace_existing()},
      absl::StrJoin(names, "+"), request->dry_run());
  if (!request->dry_run() || !plan.ok()) {
    guard_.Audit(*ctx, *who, "CatalogService.ImportSites", absl::StrJoin(names, "+"),
                 plan.status(), request->dry_run() ? "dry run" : "");
  }
  if (!plan.ok()) return FinishUnary(ctx, plan.status());
  ImportPlanToProto(*plan, /*stored=*/!request->dry_run(), response);
  response->set_source_crs(read->source_crs);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* CatalogService::ExportSites(grpc::CallbackServerContext* ctx,
                                                      const v1::ExportSitesRequest* request,
                                                      v1::ExportSitesResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kReadCatalog, "CatalogService.ExportSites");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const auto snapshot = store_.Snapshot();
  auto filter = SiteFilterFromProto(request->countries(), request->complex_id(),
                                    request->designation(),
                                    request->has_bbox() ? &request->bbox() : nullptr, *snapshot);
  if (!filter.ok()) return FinishUnary(ctx, filter.status());
  geo::VectorFormat format;
  switch (request->format()) {
    case v1::VECTOR_FORMAT_GEOPACKAGE:
      format = geo::VectorFormat::kGeoPackage;
      response->set_file_name("wetlink-sites.gpkg");
      response->set_media_type("application/geopackage+sqlite3");
      break;
    case v1::VECTOR_FORMAT_GEOJSON:
      format = geo::VectorFormat::kGeoJson;
      response->set_file_name("wetlink-sites.geojson");
      response->set_media_type("application/geo+json");
      break;
    default:
      return FinishUnary(ctx, absl::InvalidArgumentError(
                             "format: choose VECTOR_FORMAT_GEOPACKAGE or VECTOR_FORMAT_GEOJSON"));
  }
  const std::vector<const catalog::Site*> sites = snapshot->Query(*filter);
  auto bytes = geo::WritePolygonFeaturesToBytes(format, "sites", catalog::SiteExportFields(),
                                                catalog::SitesToFeatures(sites));
  if (!bytes.ok()) return FinishUnary(ctx, bytes.status());
  response->set_content(std::move(*bytes));
  response->set_site_count(static_cast<int>(sites.size()));
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* CatalogService::ListSpecies(grpc::CallbackServerContext* ctx,
                                                      const v1::ListSpeciesRequest*,
                                                      v1::ListSpeciesResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kReadCatalog, "CatalogService.ListSpecies");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const auto snapshot = store_.Snapshot();
  for (const catalog::Species& s : snapshot->species()) {
    SpeciesToProto(s, response->add_species());
  }
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* CatalogService::GetSpecies(grpc::CallbackServerContext* ctx,
                                                     const v1::GetSpeciesRequest* request,
                                                     v1::Species* response) {
  auto who = guard_.Admit(*ctx, Action::kReadCatalog, "CatalogService.GetSpecies");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (request->id().empty()) return FinishUnary(ctx, absl::InvalidArgumentError("id: must be set"));
  const auto snapshot = store_.Snapshot();
  const catalog::Species* s = snapshot->FindSpecies(request->id());
  if (s == nullptr) {
    return FinishUnary(ctx,
                  absl::NotFoundError(absl::StrCat("species '", request->id(), "' not found")));
  }
  SpeciesToProto(*s, response);
  return FinishUnary(ctx, absl::OkStatus());
}

}  // namespace wetlink::services
