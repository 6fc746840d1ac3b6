// wetlink: the command-line client of wetlinkd.

#include <CLI/CLI.hpp>

#include "cli/client.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"wetlink - query and feed the Wetlink wetland-connectivity service"};
  app.require_subcommand(1);
  app.fallthrough();

  wetlink::cli::GlobalOptions global;
  wetlink::cli::AddGlobalOptions(app, global);

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
  wetlink::cli::AddAccessCommands(app, global, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // --help and --version exit 0; usage errors get our usage code.
    return code == 0 ? 0 : wetlink::cli::kExitUsage;
  }
  return exit_code;
}
