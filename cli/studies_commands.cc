// wetlink studies create|list|show

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "wetlink/v1/registry.grpc.pb.h"

namespace wetlink::cli {
namespace {

Fields StudyFields(const v1::Study& s) {
  return {{"id", s.id()},
          {"name", s.name()},
          {"owner", s.owner()},
          {"licence", s.licence()},
          {"individuals", std::to_string(s.individual_count())},
          {"tags", std::to_string(s.tag_count())},
          {"deployments", std::to_string(s.deployment_count())}};
}

void PrintStudy(const v1::Study& study, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    PrintJson(study, std::cout);
  } else {
    PrintFields(StudyFields(study), format, std::cout);
  }
}

struct CreateFlags {
  std::string id;
  std::string name;
  std::string owner;
  std::string licence;
};

int CreateStudy(const GlobalOptions& g, const CreateFlags& flags) {
  Client client(g);
  auto stub = v1::RegistryService::NewStub(client.channel());
  v1::CreateStudyRequest req;
  v1::Study* study = req.mutable_study();
  study->set_id(flags.id);
  study->set_name(flags.name);
  study->set_owner(flags.owner);
  study->set_licence(flags.licence);
  v1::Study created;
  auto ctx = client.NewContext();
  grpc::Status status = stub->CreateStudy(ctx.get(), req, &created);
  if (!status.ok()) return client.Fail(status, absl::StrCat("creating study '", flags.id, "'"));
  PrintStudy(created, g.format);
  return kExitOk;
}

int ListStudies(const GlobalOptions& g) {
  Client client(g);
  auto stub = v1::RegistryService::NewStub(client.channel());
  v1::ListStudiesResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ListStudies(ctx.get(), {}, &resp);
  if (!status.ok()) return client.Fail(status, "listing studies");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  Table t{{"id", "name", "owner", "licence", "individuals", "tags", "deployments"}, {}};
  for (const v1::Study& s : resp.studies()) {
    t.rows.push_back({s.id(), s.name(), s.owner(), s.licence(),
                      std::to_string(s.individual_count()), std::to_string(s.tag_count()),
                      std::to_string(s.deployment_count())});
  }
  PrintRows(t, g.format, std::cout);
  return kExitOk;
}

int ShowStudy(const GlobalOptions& g, const std::string& id) {
  Client client(g);
  auto stub = v1::RegistryService::NewStub(client.channel());
  v1::GetStudyRequest req;
  req.set_study_id(id);
  v1::Study study;
  auto ctx = client.NewContext();
  grpc::Status status = stub->GetStudy(ctx.get(), req, &study);
  if (!status.ok()) return client.Fail(status, absl::StrCat("showing study '", id, "'"));
  PrintStudy(study, g.format);
  return kExitOk;
}

}  // namespace

void AddStudiesCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* studies = app.add_subcommand(
      "studies", "Telemetry studies of the tagging registry: create, list, show");
  studies->require_subcommand(1);

  auto create_flags = std::make_shared<CreateFlags>();
  auto* create = studies->add_subcommand(
      "create", "Create a study (unchanged if it exists with the same attributes)");
  create->add_option("id", create_flags->id, "study id, [a-z0-9_-]{1,64}, e.g. hc-izumi-2024")
      ->required();
  create->add_option("--name", create_flags->name, "free text, e.g. \"Hooded crane, Izumi 2024\"");
  create->add_option("--owner", create_flags->owner, "owning organisation");
  create->add_option("--licence", create_flags->licence, "data licence, e.g. CC-BY-4.0");
  create->callback(
      [&global, &exit_code, create_flags] { exit_code = CreateStudy(global, *create_flags); });

  studies->add_subcommand("list", "List studies with their record counts")
      ->callback([&global, &exit_code] { exit_code = ListStudies(global); });

  auto show_id = std::make_shared<std::string>();
  auto* show = studies->add_subcommand(
      "show", "Show one study with its numbers of individuals, tags and deployments");
  show->add_option("id", *show_id, "study id")->required();
  show->callback([&global, &exit_code, show_id] { exit_code = ShowStudy(global, *show_id); });
}

}  // namespace wetlink::cli
