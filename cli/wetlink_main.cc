// wetlink: the command-line client of wetlinkd.

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/client.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  using wetlink::cli::OutputFormat;
  CLI::App app{"wetlink - query and feed the Wetlink wetland-connectivity service"};
  app.require_subcommand(1);
  app.fallthrough();

  wetlink::cli::GlobalOptions global;
  if (const char* env = std::getenv("WETLINK_SERVER"); env != nullptr && *env != '\0') {
    global.server = env;
  }
  const std::map<std::string, OutputFormat> formats = {
      {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}, {"csv", OutputFormat::kCsv}};
  app.add_option("--server", global.server, "wetlinkd address host:port (env WETLINK_SERVER)")
      ->capture_default_str();
  app.add_option_function<std::string>(
         "--format", [&global, &formats](const std::string& name) { global.format = formats.at(name); },
         "output: table, json or csv (default table)")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->type_name("table|json|csv");
  app.add_option("--timeout", global.timeout_s, "seconds to wait for each call")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  int exit_code = wetlink::cli::kExitOk;
  wetlink::cli::AddSitesCommands(app, global, exit_code);
  wetlink::cli::AddSpeciesCommands(app, global, exit_code);
  wetlink::cli::AddHealthCommand(app, global, exit_code);
  wetlink::cli::AddTracksCommands(app, global, exit_code);
  wetlink::cli::AddStudiesCommands(app, global, exit_code);
  wetlink::cli::AddReferenceCommands(app, global, exit_code);
  wetlink::cli::AddCountsCommands(app, global, exit_code);
  wetlink::cli::AddFlywayCommands(app, global, exit_code);
  wetlink::cli::AddReportCommands(app, global, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // --help and --version exit 0; usage errors get our usage code.
    return code == 0 ? 0 : wetlink::cli::kExitUsage;
  }
  return exit_code;
}
