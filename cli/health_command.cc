// wetlink health: the standard gRPC health check against wetlinkd.

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace wetlink::cli {
namespace {

int CheckHealth(const GlobalOptions& g, const std::string& service) {
  Client client(g);
  auto stub = grpc::health::v1::Health::NewStub(client.channel());
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  grpc::health::v1::HealthCheckResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->Check(ctx.get(), req, &resp);
  if (!status.ok()) return client.Fail(status, "health check");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
  } else {
    std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status()) << "\n";
  }
  return resp.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk : kExitFailure;
}

}  // namespace

void AddHealthCommand(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto service = std::make_shared<std::string>();
  auto* health = app.add_subcommand("health", "Check that wetlinkd is serving (exit 0 if SERVING)");
  health->add_option("--service", *service,
                     "a service name, e.g. wetlink.v1.CatalogService (default: the server)");
  health->callback([&global, &exit_code, service] { exit_code = CheckHealth(global, *service); });
}

}  // namespace wetlink::cli
