// wetlink reference import|show: a study's individuals, tags and deployments.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "telemetry/timestamp.h"
#include "wetlink/v1/registry.grpc.pb.h"

namespace wetlink::cli {
namespace {

namespace fs = std::filesystem;

struct ImportFlags {
  std::string study;
  std::string file;
  bool dry_run = false;
};

int ImportReference(const GlobalOptions& g, const ImportFlags& flags) {
  v1::ImportReferenceDataRequest req;
  {
    std::ifstream in(flags.file, std::ios::binary);
    if (!in) return FailLocal(absl::StrCat("cannot read '", flags.file, "'"), kExitLocalIo);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) return FailLocal(absl::StrCat("cannot read '", flags.file, "'"), kExitLocalIo);
    req.set_csv(bytes.str());
  }
  req.set_study_id(flags.study);
  req.set_file_name(fs::path(flags.file).filename().string());
  req.set_dry_run(flags.dry_run);

  Client client(g);
  auto stub = v1::RegistryService::NewStub(client.channel());
  v1::PutReferenceDataResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ImportReferenceData(ctx.get(), req, &resp);
  if (!status.ok()) {
    return client.Fail(status,
                       absl::StrCat("importing '", flags.file, "' into study '", flags.study, "'"));
  }
  switch (g.format) {
    case OutputFormat::kJson:
      PrintJson(resp, std::cout);
      break;
    case OutputFormat::kCsv:
      PrintFields({{"individuals_created", std::to_string(resp.individuals_created())},
                   {"individuals_updated", std::to_string(resp.individuals_updated())},
                   {"tags_created", std::to_string(resp.tags_created())},
                   {"tags_updated", std::to_string(resp.tags_updated())},
                   {"deployments_created", std::to_string(resp.deployments_created())},
                   {"deployments_updated", std::to_string(resp.deployments_updated())},
                   {"unchanged", std::to_string(resp.unchanged())},
                   {"stored", flags.dry_run ? "false" : "true"}},
                  g.format, std::cout);
      break;
    case OutputFormat::kTable: {
      Table t{{"records", "created", "updated"},
              {{"individuals", std::to_string(resp.individuals_created()),
                std::to_string(resp.individuals_updated())},
               {"tags", std::to_string(resp.tags_created()), std::to_string(resp.tags_updated())},
               {"deployments", std::to_string(resp.deployments_created()),
                std::to_string(resp.deployments_updated())}}};
      PrintTable(t, std::cout);
      std::cout << (flags.dry_run ? "dry run, nothing stored: " : "stored: ")
                << resp.individuals_created() + resp.tags_created() + resp.deployments_created()
                << " created, "
                << resp.individuals_updated() + resp.tags_updated() + resp.deployments_updated()
                << " updated, " << resp.unchanged() << " unchanged\n";
      break;
    }
  }
  return kExitOk;
}

std::string DeployOff(const v1::Deployment& d) {
  return d.has_end_ms() ? telemetry::FormatTimestamp(d.end_ms()) : std::string();
}

// One row per deployment in Movebank reference-data columns, so the output
// imports back with `reference import`; individuals and tags that have no
// deployment get a row of their own with the other side left empty.
Table MovebankTable(const v1::ReferenceData& data) {
  Table t{{"tag-id", "animal-id", "animal-taxon", "animal-sex", "animal-ring-id", "animal-comments",
           "deploy-on-date", "deploy-off-date", "tag-manufacturer-name", "tag-model"},
          {}};
  std::map<std::string, const v1::Individual*> individuals;
  std::map<std::string, const v1::Tag*> tags;
  for (const auto& in : data.individuals()) individuals[in.id()] = &in;
  for (const auto& tag : data.tags()) tags[tag.id()] = &tag;
  std::set<std::string> deployed_individuals, deployed_tags;
  const v1::Individual no_individual;
  const v1::Tag no_tag;
  auto row = [&t](const v1::Tag& tag, const v1::Individual& in, std::string on, std::string off) {
    t.rows.push_back({tag.id(), in.id(), in.taxon(), in.sex(), in.ring_id(), in.comments(),
                      std::move(on), std::move(off), tag.manufacturer(), tag.model()});
  };
  for (const auto& d : data.deployments()) {
    auto in = individuals.find(d.individual_id());
    auto tag = tags.find(d.tag_id());
    v1::Individual in_ref;
    v1::Tag tag_ref;
    if (in != individuals.end()) {
      in_ref = *in->second;
    } else {
      in_ref.set_id(d.individual_id());
    }
    if (tag != tags.end()) {
      tag_ref = *tag->second;
    } else {
      tag_ref.set_id(d.tag_id());
    }
    row(tag_ref, in_ref, telemetry::FormatTimestamp(d.start_ms()), DeployOff(d));
    deployed_individuals.insert(d.individual_id());
    deployed_tags.insert(d.tag_id());
  }
  for (const auto& in : data.individuals()) {
    if (!deployed_individuals.contains(in.id())) row(no_tag, in, "", "");
  }
  for (const auto& tag : data.tags()) {
    if (!deployed_tags.contains(tag.id())) row(tag, no_individual, "", "");
  }
  return t;
}

int ShowReference(const GlobalOptions& g, const std::string& study) {
  Client client(g);
  auto stub = v1::RegistryService::NewStub(client.channel());
  v1::GetReferenceDataRequest req;
  req.set_study_id(study);
  v1::ReferenceData data;
  auto ctx = client.NewContext();
  grpc::Status status = stub->GetReferenceData(ctx.get(), req, &data);
  if (!status.ok()) {
    return client.Fail(status, absl::StrCat("showing the reference data of study '", study, "'"));
  }
  switch (g.format) {
    case OutputFormat::kJson:
      PrintJson(data, std::cout);
      return kExitOk;
    case OutputFormat::kCsv:
      PrintCsv(MovebankTable(data), std::cout);
      return kExitOk;
    case OutputFormat::kTable:
      break;
  }
  Table individuals{{"individual", "taxon", "species", "sex", "ring", "comments"}, {}};
  for (const auto& in : data.individuals()) {
    individuals.rows.push_back(
        {in.id(), in.taxon(), in.species_id(), in.sex(), in.ring_id(), in.comments()});
  }
  Table tags{{"tag", "manufacturer", "model"}, {}};
  for (const auto& tag : data.tags()) {
    tags.rows.push_back({tag.id(), tag.manufacturer(), tag.model()});
  }
  Table deployments{{"tag", "individual", "deploy-on (UTC)", "deploy-off (UTC)"}, {}};
  for (const auto& d : data.deployments()) {
    deployments.rows.push_back({d.tag_id(), d.individual_id(),
                                telemetry::FormatTimestamp(d.start_ms()),
                                d.has_end_ms() ? DeployOff(d) : "still deployed"});
  }
  std::cout << "individuals: " << data.individuals_size() << "\n";
  PrintTable(individuals, std::cout);
  std::cout << "\ntags: " << data.tags_size() << "\n";
  PrintTable(tags, std::cout);
  std::cout << "\ndeployments: " << data.deployments_size() << "\n";
  PrintTable(deployments, std::cout);
  return kExitOk;
}

}  // namespace

void AddReferenceCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* reference = app.add_subcommand(
      "reference", "A study's reference data (individuals, tags, deployments): import, show");
  reference->require_subcommand(1);

  auto import_flags = std::make_shared<ImportFlags>();
  auto* import = reference->add_subcommand(
      "import", "Import a Movebank reference-data CSV into a study (all or nothing)");
  import->add_option("study", import_flags->study, "study id (create it with `studies create`)")
      ->required();
  import
      ->add_option("file", import_flags->file,
                   "the CSV: tag-id, animal-id, animal-taxon, deploy-on-date, "
                   "deploy-off-date, ... (one row per deployment)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_flag("--dry-run", import_flags->dry_run, "check and report; store nothing");
  import->callback(
      [&global, &exit_code, import_flags] { exit_code = ImportReference(global, *import_flags);
});

auto show_study = std::make_shared<std::string>();
auto* show = reference->add_subcommand(
    "show", "Show a study's individuals, tags and deployments (times in UTC)");
show->add_option("study", *show_study, "study id")->required();
show->callback([&global, &exit_code, show_study] {
  exit_code = ShowReference(global, *show_study);
});
}  // namespace wetlink::cli

}  // namespace wetlink::cli
