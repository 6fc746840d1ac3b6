// wetlink tracks individuals|show|export

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "cli/stream_to_file.h"
#include "cli/time_arg.h"
#include "telemetry/timestamp.h"
#include "wetlink/v1/tracks.grpc.pb.h"

namespace wetlink::cli {
namespace {

namespace fs = std::filesystem;

struct SelectionFlags {
  std::string from;
  std::string to;
  double thin_minutes = 0;
  bool exclude_outliers = false;
};

void AddSelectionFlags(CLI::App* cmd, SelectionFlags& f) {
  cmd->add_option("--from", f.from, "first time, UTC: yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
  cmd->add_option("--to", f.to, "end time (exclusive), UTC, same forms");
  cmd->add_option("--thin", f.thin_minutes,
                  "keep at most one fix per this many minutes")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--exclude-outliers", f.exclude_outliers,
                "leave out fixes flagged as outliers upstream");
}

bool ApplySelection(const SelectionFlags& f, v1::TrackSelection* out, std::string& error) {
  for (auto [text, is_from] : {std::pair{&f.from, true}, std::pair{&f.to, false}}) {
    if (text->empty()) continue;
    auto t = ParseTimeArg(*text);
    if (!t) {
      error = absl::StrCat(is_from ? "--from" : "--to", ": '", *text,
                           "' is not a UTC time (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss)");
      return false;
    }
    if (is_from) {
      out->set_from_ms(*t);
    } else {
      out->set_to_ms(*t);
    }
  }
  out->set_min_interval_ms(static_cast<std::int64_t>(f.thin_minutes * 60'000));
  out->set_exclude_outliers(f.exclude_outliers);
  return true;
}

std::string OptionalTime(bool present, std::int64_t t) {
  return present ? telemetry::FormatTimestamp(t) : std::string();
}

int ListIndividuals(const GlobalOptions& g, const std::string& study) {
  Client client(g);
  auto stub = v1::TrackService::NewStub(client.channel());
  v1::ListIndividualsRequest req;
  req.set_study_id(study);
  v1::ListIndividualsResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ListIndividuals(ctx.get(), req, &resp);
  if (!status.ok()) return client.Fail(status, "listing individuals");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  Table t{{"individual", "species", "tags", "fixes", "first (UTC)", "last (UTC)"}, {}};
  for (const auto& in : resp.individuals()) {
    t.rows.push_back({in.individual_id(), in.species_id().empty() ? in.taxon() : in.species_id(),
                      absl::StrJoin(in.tag_ids(), " "), std::to_string(in.fix_count()),
                      OptionalTime(in.has_first_ms(), in.first_ms()),
                      OptionalTime(in.has_last_ms(), in.last_ms())});
  }
  PrintRows(t, g.format, std::cout);
  return kExitOk;
}

std::string OptionalNumber(bool present, double value) {
  return present ? FormatNumber(value) : std::string();
}

int ShowTrack(const GlobalOptions& g, const std::string& study, const std::string& individual,
              const SelectionFlags& flags) {
  v1::GetTrackRequest req;
  req.set_study_id(study);
  req.set_individual_id(individual);
  std::string error;
  if (!ApplySelection(flags, req.mutable_selection(), error)) return FailLocal(error, kExitUsage);
  Client client(g);
  auto stub = v1::TrackService::NewStub(client.channel());
  auto ctx = client.NewContext();
  auto reader = stub->GetTrack(ctx.get(), req);
  v1::TrackChunk chunk;
  Table t{{"timestamp (UTC)", "tag", "lat", "lon", "site", "height", "hdop", "satellites",
           "speed", "heading", "visible", "outlier"},
          {}};
  bool first_json = true;
  if (g.format == OutputFormat::kJson) std::cout << "[";
  while (reader->Read(&chunk)) {
    for (const auto& p : chunk.points()) {
      if (g.format == OutputFormat::kJson) {
        std::cout << (first_json ? "\n" : ",\n");
        first_json = false;
        PrintJson(p, std::cout);
        continue;
      }
      t.rows.push_back({telemetry::FormatTimestamp(p.timestamp_ms()), p.tag_id(),
                        FormatNumber(p.lat()), FormatNumber(p.lon()), p.site_id(),
                        OptionalNumber(p.has_height_m(), p.height_m()),
                        OptionalNumber(p.has_hdop(), p.hdop()),
                        p.has_satellites() ? std::to_string(p.satellites()) : std::string(),
                        OptionalNumber(p.has_ground_speed_mps(), p.ground_speed_mps()),
                        OptionalNumber(p.has_heading_deg(), p.heading_deg()),
                        p.visible() ? "true" : "false",
                        p.has_manually_marked_outlier()
                            ? (p.manually_marked_outlier() ? "true" : "false")
                            : ""});
    }
  }
  grpc::Status status = reader->Finish();
  if (g.format == OutputFormat::kJson) std::cout << "\n]\n";
  if (!status.ok()) return client.Fail(status, "reading the track");
  if (g.format != OutputFormat::kJson) PrintRows(t, g.format, std::cout);
  return kExitOk;
}

int ExportTracks(const GlobalOptions& g, const std::string& study,
                 const std::vector<std::string>& individuals, const SelectionFlags& flags,
                 const std::string& output, std::string as) {
  if (as.empty()) {
    const std::string ext = fs::path(output).extension().string();
    as = ext == ".gpx" ? "gpx" : (ext == ".geojson" || ext == ".json") ? "geojson" : "";
    if (as.empty()) {
      return FailLocal(absl::StrCat("cannot tell the format from '", output,
                                    "': name it .geojson or .gpx, or pass --as"),
                       kExitUsage);
    }
  }
  v1::ExportTracksRequest req;
  req.set_study_id(study);
  for (const auto& id : individuals) req.add_individual_ids(id);
  req.set_format(as == "gpx" ? v1::TRACK_FORMAT_GPX : v1::TRACK_FORMAT_GEOJSON);
  std::string error;
  if (!ApplySelection(flags, req.mutable_selection(), error)) return FailLocal(error, kExitUsage);

  Client client(g);
  auto stub = v1::TrackService::NewStub(client.channel());
  auto ctx = client.NewContext();
  auto reader = stub->ExportTracks(ctx.get(), req);
  std::size_t bytes = 0;
  if (int code = StreamToFile(client, *reader, output, "exporting tracks", &bytes); code != kExitOk) {
    return code;
  }
  std::cerr << "wrote " << bytes << " bytes of " << as << " to " << output << "\n";
  return kExitOk;
}

}  // namespace

void AddTracksCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* tracks = app.add_subcommand("tracks", "Tracked birds and their tracks");
  tracks->require_subcommand(1);

  auto study = std::make_shared<std::string>();
  auto* individuals = tracks->add_subcommand(
      "individuals", "A study's individuals with their fix counts and time spans");
  individuals->add_option("study", *study, "study id")->required();
  individuals->callback(
      [&global, &exit_code, study] { exit_code = ListIndividuals(global, *study); });

  struct ShowState {
    std::string study;
    std::string individual;
    SelectionFlags selection;
  };
  auto show_state = std::make_shared<ShowState>();
  auto* show = tracks->add_subcommand("show", "One individual's fixes in time order");
  show->add_option("study", show_state->study, "study id")->required();
  show->add_option("individual", show_state->individual, "individual-local-identifier")
      ->required();
  AddSelectionFlags(show, show_state->selection);
  show->callback([&global, &exit_code, show_state] {
    exit_code =
        ShowTrack(global, show_state->study, show_state->individual, show_state->selection);
  });

  struct ExportState {
    std::string study;
    std::vector<std::string> individuals;
    SelectionFlags selection;
    std::string output;
    std::string as;
  };
  auto export_state = std::make_shared<ExportState>();
  auto* exp = tracks->add_subcommand("export", "Export tracks as GeoJSON points or GPX tracks");
  exp->add_option("study", export_state->study, "study id")->required();
  exp->add_option("--individual", export_state->individuals,
                  "only this individual (repeatable; default: all of the study)");
  AddSelectionFlags(exp, export_state->selection);
  exp->add_option("-o,--output", export_state->output, "file to write (.geojson or .gpx)")
      ->required();
  exp->add_option("--as", export_state->as, "geojson or gpx (default: from the file name)")
      ->check(CLI::IsMember({"geojson", "gpx"}));
  exp->callback([&global, &exit_code, export_state] {
    exit_code = ExportTracks(global, export_state->study, export_state->individuals,
                             export_state->selection, export_state->output, export_state->as);
  });
}

}  // namespace wetlink::cli
