#ifndef WETLINK_CLI_COMMANDS_H_
#define WETLINK_CLI_COMMANDS_H_

// Registration of the wetlink subcommands. Each Add*Commands adds a command
// group to `app`; when one of its commands runs, it stores its exit code in
// `exit_code`.

#include <CLI/CLI.hpp>

#include "cli/client.h"

namespace wetlink::cli {

void AddSitesCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddSpeciesCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddHealthCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddTracksCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddStudiesCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddReferenceCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddCountsCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddFlywayCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddReportCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddAccessCommands(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace wetlink::cli

#endif  // WETLINK_CLI_COMMANDS_H_
