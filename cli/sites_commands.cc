// wetlink sites list|show|import|export|complexes

#include <filesystem>
#include <memory>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/commands.h"
#include "wetlink/v1/catalog.grpc.pb.h"

namespace wetlink::cli {
namespace {

namespace fs = std::filesystem;

struct FilterOptions {
  std::vector<std::string> countries;
  std::string complex_id;
  std::string designation;
  std::string bbox;
};

void AddFilterOptions(CLI::App* cmd, FilterOptions& f) {
  cmd->add_option("--country", f.countries, "ISO 3166-1 alpha-2 code (repeatable), e.g. KP");
  cmd->add_option("--complex", f.complex_id, "complex id, e.g. tumen_estuary or dipa");
  cmd->add_option("--designation", f.designation,
                  "ramsar, national_park, nature_reserve, wetland_protected_area, "
                  "natural_monument, biosphere_reserve, world_heritage, scenic_area, "
                  "regional_park, flyway_network_site, other_protected");
  cmd->add_option("--bbox", f.bbox, "min_lon,min_lat,max_lon,max_lat (WGS84 degrees)");
}

// Fills the filter fields shared by ListSites and ExportSites.
template <typename Request>
bool ApplyFilter(const FilterOptions& f, Request& req, std::string& error) {
  for (const auto& c : f.countries) req.add_countries(c);
  req.set_complex_id(f.complex_id);
  if (!f.designation.empty()) {
    std::string name = "DESIGNATION_KIND_";
    for (char c : f.designation) name.push_back(static_cast<char>(std::toupper(c)));
    v1::DesignationKind kind;
    if (!v1::DesignationKind_Parse(name, &kind) || kind == v1::DESIGNATION_KIND_UNSPECIFIED) {
      error = absl::StrCat("--designation: '", f.designation, "' is not a designation kind");
      return false;
    }
    req.set_designation(kind);
  }
  if (!f.bbox.empty()) {
    std::vector<std::string> parts = absl::StrSplit(f.bbox, ',');
    double v[4];
    bool ok = parts.size() == 4;
    for (std::size_t i = 0; ok && i < 4; ++i) {
      std::istringstream in(parts[i]);
      ok = static_cast<bool>(in >> v[i]) && in.eof();
    }
    if (!ok) {
      error = absl::StrCat("--bbox: '", f.bbox, "' must be min_lon,min_lat,max_lon,max_lat");
      return false;
    }
    v1::BoundingBox* b = req.mutable_bbox();
    b->set_min_lng(v[0]);
    b->set_min_lat(v[1]);
    b->set_max_lng(v[2]);
    b->set_max_lat(v[3]);
  }
  return true;
}

std::string DesignationSummary(const v1::Site& s) {
  std::vector<std::string> parts;
  for (const auto& d : s.designations()) {
    std::string name = v1::DesignationKind_Name(d.kind());
    name = name.substr(std::string("DESIGNATION_KIND_").size());
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    if (!d.number().empty()) absl::StrAppend(&name, " ", d.number());
    parts.push_back(name);
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, "; ");
}

std::string GeometryQuality(const v1::Site& s) {
  return s.geometry_quality() == v1::GEOMETRY_QUALITY_SURVEYED ? "surveyed" : "approximated";
}

Table SitesTable(const v1::ListSitesResponse& response) {
  Table t{{"id", "name", "country", "complex", "designations", "area_ha", "geometry"}, {}};
  for (const v1::Site& s : response.sites()) {
    auto en = s.names().find("en");
    t.rows.push_back({s.id(), en == s.names().end() ? "" : en->second, s.country(), s.complex_id(),
                      DesignationSummary(s),
                      s.stated_area_ha() > 0 ? FormatNumber(s.stated_area_ha()) : "",
                      GeometryQuality(s)});
  }
  return t;
}

int ListSites(const GlobalOptions& g, const FilterOptions& f, int page_size,
              const std::string& page_token, bool with_geometry) {
  Client client(g);
  auto stub = v1::CatalogService::NewStub(client.channel());
  v1::ListSitesRequest req;
  std::string error;
  if (!ApplyFilter(f, req, error)) return FailLocal(error, kExitUsage);
  req.set_include_geometry(with_geometry);
  req.set_page_size(page_size);
  req.set_page_token(page_token);
  // Without an explicit page, fetch every page so the output is complete.
  const bool all_pages = page_size == 0 && page_token.empty();
  v1::ListSitesResponse all;
  while (true) {
    v1::ListSitesResponse page;
    auto ctx = client.NewContext();
    grpc::Status status = stub->ListSites(ctx.get(), req, &page);
    if (!status.ok()) return client.Fail(status, "listing sites");
    all.mutable_sites()->MergeFrom(page.sites());
    all.set_total_size(page.total_size());
    all.set_next_page_token(page.next_page_token());
    if (!all_pages || page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  switch (g.format) {
    case OutputFormat::kJson:
      PrintJson(all, std::cout);
      break;
    case OutputFormat::kCsv:
      PrintCsv(SitesTable(all), std::cout);
      break;
    case OutputFormat::kTable:
      PrintTable(SitesTable(all), std::cout);
      std::cout << all.sites_size() << " of " << all.total_size() << " sites";
      if (!all.next_page_token().empty()) {
        std::cout << "; next page: --page-token " << all.next_page_token();
      }
      std::cout << "\n";
      break;
  }
  return kExitOk;
}

int ShowSite(const GlobalOptions& g, const std::string& id) {
  Client client(g);
  auto stub = v1::CatalogService::NewStub(client.channel());
  v1::GetSiteRequest req;
  req.set_id(id);
  v1::Site site;
  auto ctx = client.NewContext();
  grpc::Status status = stub->GetSite(ctx.get(), req, &site);
  if (!status.ok()) return client.Fail(status, absl::StrCat("showing site '", id, "'"));
  if (g.format == OutputFormat::kJson) {
    PrintJson(site, std::cout);
    return kExitOk;
  }
  Fields fields = {{"id", site.id()}};
  for (const auto& [lang, name] : site.names()) fields.emplace_back("name." + lang, name);
  if (!site.alt_names().empty()) {
    fields.emplace_back("alt_names", absl::StrJoin(site.alt_names(), "; "));
  }
  fields.emplace_back("country", site.country());
  fields.emplace_back("complex", site.complex_id());
  for (const auto& d : site.designations()) {
    std::string text = d.title();
    if (d.year() > 0) absl::StrAppend(&text, " (", d.year(), ")");
    if (!d.source().empty()) absl::StrAppend(&text, " [", d.source(), "]");
    fields.emplace_back("designation", text);
  }
  fields.emplace_back("protected", site.is_protected() ? "yes" : "no");
  fields.emplace_back("stated_area_ha",
                      site.stated_area_ha() > 0 ? FormatNumber(site.stated_area_ha()) : "unknown");
  fields.emplace_back("area_source", site.area_source());
  fields.emplace_back("geometry_area_ha", absl::StrFormat("%.2f", site.geometry_area_ha()));
  fields.emplace_back("centre", absl::StrCat(FormatNumber(site.centre().lat()), ", ",
                                             FormatNumber(site.centre().lng()),
                                             site.centre_verified() ? "" : " (unverified)"));
  fields.emplace_back("centre_source", site.centre_source());
  fields.emplace_back("geometry", GeometryQuality(site));
  fields.emplace_back("geometry_note", site.geometry_note());
  const auto& b = site.bounds();
  fields.emplace_back("bounds", absl::StrCat(FormatNumber(b.min_lng()), ",",
                                             FormatNumber(b.min_lat()), ",",
                                             FormatNumber(b.max_lng()), ",",
                                             FormatNumber(b.max_lat())));
  for (const auto& s : site.sources()) fields.emplace_back("source", s);
  if (!site.notes().empty()) fields.emplace_back("notes", site.notes());
  fields.emplace_back("origin", site.origin());
  PrintFields(fields, g.format, std::cout);
  return kExitOk;
}

struct ImportFlags {
  std::string file;
  std::string layer;
  std::string id_field, name_field, country_field, default_country;
  bool dry_run = false, no_repair = false, skip_invalid = false, replace = false;
};

// The files that travel with `path`: a shapefile's sidecars share its stem.
std::vector<fs::path> FilesToSend(const fs::path& path) {
  std::vector<fs::path> files = {path};
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(c));
  if (ext != ".shp") return files;
  for (const char* sidecar : {".shx", ".dbf", ".prj", ".cpg", ".SHX", ".DBF", ".PRJ", ".CPG"}) {
    fs::path p = path;
    p.replace_extension(sidecar);
    if (fs::exists(p)) files.push_back(p);
  }
  return files;
}

int ImportSites(const GlobalOptions& g, ImportFlags& flags) {
  v1::ImportSitesRequest req;
  for (const fs::path& p : FilesToSend(flags.file)) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return FailLocal(absl::StrCat("cannot read '", p.string(), "'"), kExitLocalIo);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    v1::SourceFile* f = req.add_files();
    f->set_name(p.filename().string());
    f->set_content(bytes.str());
  }
  req.set_layer(flags.layer);
  v1::ImportMapping* m = req.mutable_mapping();
  m->set_id_field(flags.id_field);
  m->set_name_field(flags.name_field);
  m->set_country_field(flags.country_field);
  m->set_default_country(flags.default_country);
  req.set_dry_run(flags.dry_run);
  req.set_no_repair(flags.no_repair);
  req.set_skip_invalid(flags.skip_invalid);
  req.set_replace_existing(flags.replace);

  Client client(g);
  auto stub = v1::CatalogService::NewStub(client.channel());
  v1::ImportSitesResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ImportSites(ctx.get(), req, &resp);
  if (!status.ok()) return client.Fail(status, absl::StrCat("importing '", flags.file, "'"));
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  Table t{{"site", "outcome", "area_ha", "feature", "note"}, {}};
  for (const auto& f : resp.features()) {
    std::string outcome = v1::ImportedFeature::Outcome_Name(f.outcome()).substr(8);
    for (char& c : outcome) c = static_cast<char>(std::tolower(c));
    std::string note = f.reason();
    if (!f.repairs().empty()) note = absl::StrCat("repaired: ", absl::StrJoin(f.repairs(), "; "));
    t.rows.push_back({f.site_id(), outcome,
                      f.geometry_area_ha() > 0 ? absl::StrFormat("%.2f", f.geometry_area_ha()) : "",
                      f.feature(), note});
  }
  PrintRows(t, g.format, std::cout);
  if (g.format == OutputFormat::kCsv) return kExitOk;
  std::cout << (resp.stored() ? "stored: " : "dry run, nothing stored: ") << resp.created()
            << " created, " << resp.replaced() << " replaced, " << resp.refused()
            << " refused (source CRS " << resp.source_crs() << ")\n";
  return kExitOk;
}

int ExportSites(const GlobalOptions& g, const FilterOptions& f, const std::string& output,
                std::string as) {
  if (as.empty()) {
    std::string ext = fs::path(output).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(c));
    as = ext == ".gpkg" ? "gpkg" : (ext == ".geojson" || ext == ".json") ? "geojson" : "";
  }
  v1::ExportSitesRequest req;
  if (as == "gpkg") {
    req.set_format(v1::VECTOR_FORMAT_GEOPACKAGE);
  } else if (as == "geojson") {
    req.set_format(v1::VECTOR_FORMAT_GEOJSON);
  } else {
    return FailLocal(absl::StrCat("cannot tell the format of '", output,
                                  "': name it .gpkg or .geojson, or pass --as gpkg|geojson"),
                     kExitUsage);
  }
  std::string error;
  if (!ApplyFilter(f, req, error)) return FailLocal(error, kExitUsage);
  Client client(g);
  auto stub = v1::CatalogService::NewStub(client.channel());
  v1::ExportSitesResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ExportSites(ctx.get(), req, &resp);
  if (!status.ok()) return client.Fail(status, "exporting sites");
  // Write beside the target and rename, so a failed write leaves no partial file.
  const std::string tmp = output + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(resp.content().data(), static_cast<std::streamsize>(resp.content().size()));
    if (!out) return FailLocal(absl::StrCat("cannot write '", output, "'"), kExitLocalIo);
  }
  std::error_code ec;
  fs::rename(tmp, output, ec);
  if (ec) return FailLocal(absl::StrCat("cannot write '", output, "': ", ec.message()), kExitLocalIo);
  std::cerr << "wrote " << resp.site_count() << " sites to " << output << "\n";
  return kExitOk;
}

int ListComplexes(const GlobalOptions& g) {
  Client client(g);
  auto stub = v1::CatalogService::NewStub(client.channel());
  v1::ListComplexesResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ListComplexes(ctx.get(), {}, &resp);
  if (!status.ok()) return client.Fail(status, "listing complexes");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  Table t{{"id", "name", "countries", "sites"}, {}};
  for (const auto& c : resp.complexes()) {
    auto en = c.names().find("en");
    t.rows.push_back({c.id(), en == c.names().end() ? "" : en->second,
                      absl::StrJoin(c.countries(), " "), absl::StrJoin(c.site_ids(), " ")});
  }
  PrintRows(t, g.format, std::cout);
  return kExitOk;
}

}  // namespace

void AddSitesCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* sites = app.add_subcommand("sites", "The site catalog: list, show, import, export");
  sites->require_subcommand(1);

  // Option values live in state objects owned by the callbacks, which the
  // app owns: they last exactly as long as the app.
  struct ListState {
    FilterOptions filters;
    int page_size = 0;
    std::string page_token;
    bool with_geometry = false;
  };
  auto list_state = std::make_shared<ListState>();
  auto* list = sites->add_subcommand("list", "List sites, filtered, ordered by id");
  AddFilterOptions(list, list_state->filters);
  list->add_option("--page-size", list_state->page_size, "return one page of at most N sites");
  list->add_option("--page-token", list_state->page_token, "continue after a previous page");
  list->add_flag("--geometry", list_state->with_geometry, "include boundaries (JSON output)");
  list->callback([&global, &exit_code, list_state] {
    exit_code = ListSites(global, list_state->filters, list_state->page_size,
                          list_state->page_token, list_state->with_geometry);
  });

  auto show_id = std::make_shared<std::string>();
  auto* show = sites->add_subcommand("show", "Show one site with its designations and sources");
  show->add_option("id", *show_id, "site id, e.g. rason")->required();
  show->callback([&global, &exit_code, show_id] { exit_code = ShowSite(global, *show_id); });

  auto flags = std::make_shared<ImportFlags>();
  auto* import = sites->add_subcommand(
      "import", "Import site boundaries from GeoJSON, GeoPackage, Shapefile or KML (any CRS)");
  import->add_option("file", flags->file, "the file (a .shp brings its .shx/.dbf/.prj along)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--layer", flags->layer, "read only this layer");
  import->add_option("--id-field", flags->id_field, "attribute holding the site id [id, site_id]");
  import->add_option("--name-field", flags->name_field, "attribute holding the English name");
  import->add_option("--country-field", flags->country_field, "attribute holding the ISO code");
  import->add_option("--default-country", flags->default_country,
                     "country for features without one");
  import->add_flag("--dry-run", flags->dry_run, "validate and report; store nothing");
  import->add_flag("--no-repair", flags->no_repair, "refuse invalid polygons instead of repairing");
  import->add_flag("--skip-invalid", flags->skip_invalid,
                   "store the valid features and report the others (default: all or nothing)");
  import->add_flag("--replace", flags->replace,
                   "replace the boundary (and given attributes) of sites that already exist");
  import->callback([&global, &exit_code, flags] { exit_code = ImportSites(global, *flags); });

  struct ExportState {
    FilterOptions filters;
    std::string output;
    std::string as;
  };
  auto export_state = std::make_shared<ExportState>();
  auto* exp = sites->add_subcommand("export", "Export sites to GeoPackage or GeoJSON (EPSG:4326)");
  AddFilterOptions(exp, export_state->filters);
  exp->add_option("-o,--output", export_state->output, "file to write (.gpkg or .geojson)")
      ->required();
  exp->add_option("--as", export_state->as, "gpkg or geojson (default: from the file name)")
      ->check(CLI::IsMember({"gpkg", "geojson"}));
  exp->callback([&global, &exit_code, export_state] {
    exit_code = ExportSites(global, export_state->filters, export_state->output, export_state->as);
  });

  auto* complexes = sites->add_subcommand("complexes", "List site complexes and their members");
  complexes->callback([&global, &exit_code] { exit_code = ListComplexes(global); });
}

}  // namespace wetlink::cli
