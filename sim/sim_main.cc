// wetlink-sim: writes a simulated telemetry data set (Movebank event CSV,
// reference data CSV, ground-truth JSON) into a directory and prints a
// summary. Everything is determined by the options; the same options give
// byte-identical files.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "sim/count_surveys.h"
#include "sim/generate.h"
#include "sim/itinerary.h"
#include "sim/movebank_csv.h"
#include "sim/pipelined_generate.h"
#include "sim/sim_world.h"
#include "sim/truth_json.h"

namespace {

int Fail(const std::string& message) {
  std::cerr << "wetlink-sim: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using wetlink::sim::SimParams;
  SimParams p;
  std::string out_dir;
  std::string species = "WNC,HC,RCC,BFS";
  CLI::App app{"Simulate GPS tracks of migratory waterbirds (Movebank CSV + ground truth)"};
  app.add_option("--seed", p.seed, "Random seed")->capture_default_str();
  app.add_option("--individuals", p.individuals, "Number of tagged birds")->capture_default_str();
  app.add_option("--species", species, "Species codes or ids, assigned round-robin")->capture_default_str();
  app.add_option("--start-year", p.start_year, "First year (tracks start 1 Jan, UTC)")->capture_default_str();
  app.add_option("--years", p.years, "Number of years")->capture_default_str();
  app.add_option("--out-dir", out_dir, "Directory for fixes.csv, reference.csv, truth.json")->required();
  app.add_option("--max-fixes", p.max_fixes, "Stop after this many delivered rows");
  app.add_option("--day-interval-min", p.day_interval_min, "Minutes between fixes by day")->capture_default_str();
  app.add_option("--night-interval-min", p.night_interval_min, "Minutes between fixes at night")
      ->capture_default_str();
  app.add_option("--noise-m", p.noise_sigma_m, "GPS error sigma per axis, metres")->capture_default_str();
  app.add_option("--outlier-rate", p.outlier_rate, "Fraction of gross position errors")->capture_default_str();
  app.add_option("--gap-rate", p.gap_rate_per_day, "Gaps per tag-day")->capture_default_str();
  app.add_option("--gap-mean-h", p.gap_mean_h, "Mean gap length, hours")->capture_default_str();
  app.add_option("--late-fraction", p.late_fraction, "Fraction of fixes delivered late")->capture_default_str();
  app.add_option("--duplicate-rate", p.duplicate_rate, "Fraction of fixes sent twice")->capture_default_str();
  app.add_option("--upload-min-h", p.upload_min_h, "Shortest upload interval, hours")->capture_default_str();
  app.add_option("--upload-max-h", p.upload_max_h, "Longest upload interval, hours")->capture_default_str();
  app.add_option("--study-name", p.study_name, "Movebank study-name column")->capture_default_str();
  bool write_counts = false;
  int surveys_per_season = 4;
  app.add_flag("--counts", write_counts,
               "Also write counts.csv: count surveys at every catalogued site, in the count "
               "seasons (July-June) the years span");
  app.add_option("--surveys-per-season", surveys_per_season, "Count surveys per site and season")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  p.species = absl::StrSplit(species, ',', absl::SkipEmpty());

  absl::StatusOr<std::shared_ptr<const wetlink::sim::SimWorld>> world = wetlink::sim::BundledWorld();
  if (!world.ok()) return Fail(world.status().ToString());
  absl::StatusOr<wetlink::sim::SimPlan> plan = wetlink::sim::PlanScenario(p, **world);
  if (!plan.ok()) return Fail(plan.status().ToString());

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Fail(absl::StrFormat("cannot create %s: %s", out_dir, ec.message()));
  const std::filesystem::path dir(out_dir);

  const auto t0 = std::chrono::steady_clock::now();
  std::ofstream fixes_file(dir / "fixes.csv", std::ios::binary);
  if (!fixes_file) return Fail(absl::StrFormat("cannot write %s", (dir / "fixes.csv").string()));
  absl::StatusOr<wetlink::sim::GenerateStats> stats;
  {
    wetlink::sim::MovebankEventWriter writer(fixes_file, *plan, p.study_name);
    // Generation and formatting overlap on two threads; rows are unchanged.
    stats = wetlink::sim::GenerateFixesPipelined(p, **world, *plan,
                                                 [&](std::span<const wetlink::sim::SimFix> chunk) {
                                                   for (const auto& f : chunk) writer.Write(f);
                                                 });
  }
  fixes_file.close();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!stats.ok()) return Fail(stats.status().ToString());
  if (!fixes_file) return Fail("error writing fixes.csv");

  std::ofstream ref(dir / "reference.csv", std::ios::binary);
  wetlink::sim::WriteMovebankReference(*plan, ref);
  std::ofstream truth(dir / "truth.json", std::ios::binary);
  truth << wetlink::sim::TruthJson(*plan);
  if (!ref || !truth) return Fail("error writing reference.csv or truth.json");

  std::size_t count_records = 0;
  if (write_counts) {
    wetlink::sim::CountSurveyParams cp{.seed = p.seed,
                                       .site_ids = {},
                                       .first_season = p.start_year - 1,
                                       .seasons = p.years + 1,
                                       .surveys_per_season = surveys_per_season};
    const std::vector<wetlink::counts::Count> counts =
        wetlink::sim::SimulateCountSurveys((*world)->catalog, cp);
    std::ofstream counts_file(dir / "counts.csv", std::ios::binary);
    wetlink::sim::WriteCountCsv(counts, counts_file);
    if (!counts_file) return Fail("error writing counts.csv");
    count_records = counts.size();
  }

  size_t stays = 0, flights = 0;
  for (const auto& ind : plan->individuals) {
    stays += ind.stays.size();
    flights += ind.flights.size();
  }
  std::cout << absl::StrFormat(
      "wetlink-sim: seed %d, %d individuals, %d year(s) from %d\n"
      "  rows %d (duplicates %d, late %d, outliers %d)\n"
      "  truth: %d stays, %d flights\n"
      "  wrote %s/{fixes.csv,reference.csv,truth.json} in %.2f s (%.2f M rows/s)\n"
      "  counts: %d records\n",
      p.seed, p.individuals, p.years, p.start_year, stats->rows, stats->duplicates, stats->late,
      stats->outliers, stays, flights, out_dir, secs, secs > 0 ? static_cast<double>(stats->rows) / secs / 1e6 : 0.0, count_records);
  return 0;
}
