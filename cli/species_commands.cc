// wetlink species list|show

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "wetlink/v1/catalog.grpc.pb.h"

namespace wetlink::cli {
namespace {

std::string Name(const v1::Species& s, const char* lang) {
  auto it = s.names().find(lang);
  return it == s.names().end() ? "" : it->second;
}

std::string ThresholdText(const v1::Species& s) {
  return absl::StrCat(s.one_percent().value(), s.one_percent().derived() ? " (derived)" : "");
}

int ListSpecies(const GlobalOptions& g) {
  Client client(g);
  auto stub = v1::CatalogService::NewStub(client.channel());
  v1::ListSpeciesResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ListSpecies(ctx.get(), {}, &resp);
  if (!status.ok()) return client.Fail(status, "listing species");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  Table t{{"id", "code", "scientific_name", "en", "iucn", "population", "one_percent"}, {}};
  for (const v1::Species& s : resp.species()) {
    t.rows.push_back({s.id(), s.code(), s.scientific_name(), Name(s, "en"), s.iucn_category(),
                      absl::StrCat(FormatNumber(s.population().estimate()), " (",
                                   s.population().year(), ")"),
                      ThresholdText(s)});
  }
  PrintRows(t, g.format, std::cout);
  return kExitOk;
}

int ShowSpecies(const GlobalOptions& g, const std::string& id) {
  Client client(g);
  auto stub = v1::CatalogService::NewStub(client.channel());
  v1::GetSpeciesRequest req;
  req.set_id(id);
  v1::Species s;
  auto ctx = client.NewContext();
  grpc::Status status = stub->GetSpecies(ctx.get(), req, &s);
  if (!status.ok()) return client.Fail(status, absl::StrCat("showing species '", id, "'"));
  if (g.format == OutputFormat::kJson) {
    PrintJson(s, std::cout);
    return kExitOk;
  }
  Fields fields = {
      {"id", s.id()}, {"code", s.code()}, {"scientific_name", s.scientific_name()}};
  for (const auto& [lang, name] : s.names()) fields.emplace_back("name." + lang, name);
  if (!s.weak_names().empty()) {
    fields.emplace_back("weak_names", absl::StrJoin(s.weak_names(), " "));
  }
  fields.emplace_back("focal", s.focal() ? "yes" : "no");
  std::string iucn = s.iucn_category();
  if (s.iucn_year() > 0) absl::StrAppend(&iucn, " (", s.iucn_year(), ")");
  if (!s.iucn_criteria().empty()) absl::StrAppend(&iucn, " ", s.iucn_criteria());
  fields.emplace_back("iucn", iucn);
  const auto& p = s.population();
  std::string pop = absl::StrCat(FormatNumber(p.estimate()), " individuals");
  if (p.min() > 0 || p.max() > 0) {
    absl::StrAppend(&pop, " (range ", FormatNumber(p.min()), "-", FormatNumber(p.max()), ")");
  }
  absl::StrAppend(&pop, ", ", p.year(), ", ", p.source());
  fields.emplace_back("population", pop);
  fields.emplace_back("population_basis", p.basis());
  fields.emplace_back("one_percent", ThresholdText(s));
  fields.emplace_back("one_percent_basis", s.one_percent().basis());
  fields.emplace_back("breeding", s.breeding());
  fields.emplace_back("stopover", s.stopover());
  fields.emplace_back("wintering", s.wintering());
  fields.emplace_back("timing", s.timing());
  for (const auto& src : s.sources()) fields.emplace_back("source", src);
  PrintFields(fields, g.format, std::cout);
  return kExitOk;
}

}  // namespace

void AddSpeciesCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* species = app.add_subcommand("species", "The species list with 1 % thresholds");
  species->require_subcommand(1);
  species->add_subcommand("list", "List species")->callback([&global, &exit_code] {
    exit_code = ListSpecies(global);
  });
  auto id = std::make_shared<std::string>();
  auto* show = species->add_subcommand("show", "Show one species by id or code");
  show->add_option("id", *id, "species id (grus_monacha) or code (HC)")->required();
  show->callback([&global, &exit_code, id] { exit_code = ShowSpecies(global, *id); });
}

}  // namespace wetlink::cli
