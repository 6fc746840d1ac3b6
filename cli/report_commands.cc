// wetlink report site|species-list: site reports for Ramsar focal points and
// joint species lists, written to a file (or stdout with -o -).

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "wetlink/v1/reports.grpc.pb.h"

namespace wetlink::cli {
namespace {

struct DocumentArgs {
  std::string lang = "en";
  std::string format = "html";
  std::string output;  // "" = the server's suggested name; "-" = stdout
  std::string from;
  std::string to;
};

struct SiteArgs {
  DocumentArgs doc;
  std::string site_id;
  double nearby_radius_km = 0;
};

struct SpeciesListArgs {
  DocumentArgs doc;
  std::string complex_id;
  std::vector<std::string> sites;
};

int WriteDocument(const v1::RenderedDocument& document, const std::string& output) {
  if (output == "-") {
    std::cout << document.content();
    return std::cout.good() ? kExitOk : FailLocal("cannot write to stdout", kExitLocalIo);
  }
  const std::string path = output.empty() ? document.file_name() : output;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << document.content();
  out.close();
  if (!out) return FailLocal(absl::StrCat("cannot write '", path, "'"), kExitLocalIo);
  std::cerr << "wrote " << path << " (" << document.content().size() << " bytes, "
            << document.content_type() << ")\n";
  return kExitOk;
}

int SiteReport(const GlobalOptions& g, const SiteArgs& a) {
  Client client(g);
  auto stub = v1::ReportService::NewStub(client.channel());
  v1::RenderSiteReportRequest req;
  req.mutable_report()->set_site_id(a.site_id);
  req.mutable_report()->set_from(a.doc.from);
  req.mutable_report()->set_to(a.doc.to);
  req.mutable_report()->set_nearby_radius_km(a.nearby_radius_km);
  req.set_lang(a.doc.lang);
  req.set_format(a.doc.format);
  v1::RenderedDocument document;
  auto ctx = client.NewContext();
  grpc::Status status = stub->RenderSiteReport(ctx.get(), req, &document);
  if (!status.ok()) {
    return client.Fail(status, absl::StrCat("reporting on site '", a.site_id, "'"));
  }
  return WriteDocument(document, a.doc.output);
}

int SpeciesList(const GlobalOptions& g, const SpeciesListArgs& a) {
  Client client(g);
  auto stub = v1::ReportService::NewStub(client.channel());
  v1::RenderSpeciesListRequest req;
  req.mutable_list()->set_complex_id(a.complex_id);
  for (const std::string& site : a.sites) req.mutable_list()->add_site_ids(site);
  req.mutable_list()->set_from(a.doc.from);
  req.mutable_list()->set_to(a.doc.to);
  req.set_lang(a.doc.lang);
  req.set_format(a.doc.format);
  v1::RenderedDocument document;
  auto ctx = client.NewContext();
  grpc::Status status = stub->RenderSpeciesList(ctx.get(), req, &document);
  if (!status.ok()) return client.Fail(status, "making the species list");
  return WriteDocument(document, a.doc.output);
}

void AddDocumentOptions(CLI::App* cmd, DocumentArgs& doc, const std::string& formats) {
  cmd->add_option("--lang", doc.lang, "language: en, zh, ru, ko")->capture_default_str();
  cmd->add_option("--format", doc.format, formats)->capture_default_str();
  cmd->add_option("-o,--output", doc.output,
                  "file to write; '-' for stdout; default: the suggested file name");
  cmd->add_option("--from", doc.from, "first survey date, yyyy-MM-dd");
  cmd->add_option("--to", doc.to, "last survey date, yyyy-MM-dd");
}

}  // namespace

void AddReportCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* report =
      app.add_subcommand("report", "Site reports for Ramsar focal points and joint species lists");
  report->require_subcommand(1);

  auto site = std::make_shared<SiteArgs>();
  auto* site_cmd = report->add_subcommand(
      "site",
      "A site's report: facts, counts against Ramsar Criteria 5 and 6, tagged birds, linked "
      "sites (default period: the last five count seasons)");
  site_cmd->add_option("id", site->site_id, "catalog site id, e.g. rason")->required();
  AddDocumentOptions(site_cmd, site->doc, "html, csv, json, geojson");
  site_cmd->add_option("--nearby-km", site->nearby_radius_km,
                       "radius for stopovers outside protected areas (default 50)");
  site_cmd->callback([&global, &exit_code, site] { exit_code = SiteReport(global, *site); });

  auto list = std::make_shared<SpeciesListArgs>();
  auto* list_cmd = report->add_subcommand(
      "species-list",
      "The joint species list of a complex (default: tumen_estuary) or of given sites");
  list_cmd->add_option("--complex", list->complex_id, "site complex id");
  list_cmd->add_option("--sites", list->sites, "site ids, instead of a complex")->delimiter(',');
  AddDocumentOptions(list_cmd, list->doc, "html, csv, json");
  list_cmd->callback([&global, &exit_code, list] { exit_code = SpeciesList(global, *list); });
}

}  // namespace wetlink::cli
