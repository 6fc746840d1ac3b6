// wetlink flyway links|neighbours|routes|importance|loss|flows|connectivity|
//                gaps|stopovers|export|status|rebuild

#include <cmath>
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
#include "wetlink/v1/flyway.grpc.pb.h"

namespace wetlink::cli {
namespace {

// The filter and segmentation flags every flyway command takes.
struct QueryFlags {
  std::vector<std::string> species;
  std::vector<std::string> studies;
  std::string season;
  std::vector<int> years;
  std::string from;
  std::string to;
  std::optional<double> min_stay_h;
  std::optional<double> max_gap_h;
  std::optional<double> max_excursion_h;
  std::optional<double> max_diameter_m;
  std::optional<double> cluster_distance_m;
};

void AddQueryFlags(CLI::App* cmd, QueryFlags& f) {
  cmd->add_option("--species", f.species, "species id or code, e.g. HC (repeatable; default all)");
  cmd->add_option("--study", f.studies, "study id (repeatable; default all)");
  cmd->add_option("--season", f.season, "spring, breeding, autumn or winter (per species)");
  cmd->add_option("--year", f.years, "season year, or calendar year without --season (repeatable)");
  cmd->add_option("--from", f.from, "window start, UTC: yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
  cmd->add_option("--to", f.to, "window end (exclusive), UTC, same forms");
  cmd->add_option("--min-stay-h", f.min_stay_h,
                  "segmentation for this request: stopover minimum, hours (live 24)");
  cmd->add_option("--max-gap-h", f.max_gap_h, "gap tolerance, hours (live 72)");
  cmd->add_option("--max-excursion-h", f.max_excursion_h, "excursion tolerance, hours (live 12)");
  cmd->add_option("--max-diameter-m", f.max_diameter_m,
                  "stay outside sites: diameter, metres (live 5000)");
  cmd->add_option("--cluster-distance-m", f.cluster_distance_m,
                  "discovered sites: linkage distance, metres (live 10000)");
}

bool BuildQuery(const QueryFlags& f, v1::FlywayQuery* q, std::string& error) {
  v1::FlywayFilter* filter = q->mutable_filter();
  for (const auto& s : f.species) filter->add_species(s);
  for (const auto& s : f.studies) filter->add_study_ids(s);
  filter->set_season(f.season);
  for (int y : f.years) filter->add_years(y);
  for (auto [text, is_from] : {std::pair{&f.from, true}, std::pair{&f.to, false}}) {
    if (text->empty()) continue;
    auto t = ParseTimeArg(*text);
    if (!t) {
      error = absl::StrCat(is_from ? "--from" : "--to", ": '", *text,
                           "' is not a UTC time (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss)");
      return false;
    }
    if (is_from) {
      filter->set_from_ms(*t);
    } else {
      filter->set_to_ms(*t);
    }
  }
  v1::SegmentationParams* p = q->mutable_params();
  if (f.min_stay_h) p->set_min_stay_hours(*f.min_stay_h);
  if (f.max_gap_h) p->set_max_gap_hours(*f.max_gap_h);
  if (f.max_excursion_h) p->set_max_excursion_hours(*f.max_excursion_h);
  if (f.max_diameter_m) p->set_max_diameter_m(*f.max_diameter_m);
  if (f.cluster_distance_m) p->set_cluster_distance_m(*f.cluster_distance_m);
  return true;
}

std::string Hours(std::int64_t ms) { return FormatNumber(std::round(ms / 360'000.0) / 10.0); }
std::string Km(double m) { return FormatNumber(std::round(m / 100.0) / 10.0); }
std::string Share(double x) { return FormatNumber(std::round(x * 10'000.0) / 10'000.0); }

// The country of a node id in the answer's node list, "" if absent.
std::string CountryOf(const google::protobuf::RepeatedPtrField<v1::FlywayNode>& nodes,
                      const std::string& id) {
  for (const auto& n : nodes) {
    if (n.id() == id) return n.country();
  }
  return "";
}

Table LinkTable(const google::protobuf::RepeatedPtrField<v1::FlywayLink>& links,
                const google::protobuf::RepeatedPtrField<v1::FlywayNode>& nodes) {
  Table t{{"from", "to", "countries", "individuals", "transitions", "probability",
           "median travel (h)", "median distance (km)", "species"},
          {}};
  for (const auto& l : links) {
    t.rows.push_back({l.from_id(), l.to_id(),
                      absl::StrCat(CountryOf(nodes, l.from_id()), "→", CountryOf(nodes, l.to_id())),
                      std::to_string(l.individuals()), std::to_string(l.transitions()),
                      Share(l.probability()), Hours(l.median_travel_ms()),
                      Km(l.median_distance_m()), absl::StrJoin(l.species(), " ")});
  }
  return t;
}

// Runs one unary call with the query flags: builds the request with
// `fill`, prints with `print`.
template <typename Request, typename Response, typename Call, typename Print>
int RunQuery(const GlobalOptions& g, const QueryFlags& flags, Request req, Call call,
             std::string_view what, Print print) {
  std::string error;
  if (!BuildQuery(flags, req.mutable_query(), error)) return FailLocal(error, kExitUsage);
  Client client(g);
  auto stub = v1::FlywayService::NewStub(client.channel());
  Response resp;
  auto ctx = client.NewContext();
  grpc::Status status = call(*stub, ctx.get(), req, &resp);
  if (!status.ok()) return client.Fail(status, what);
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  print(resp);
  return kExitOk;
}

using Stub = v1::FlywayService::Stub;

template <typename Request, typename Response>
using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

template <typename Request, typename Response>
auto Calling(Method<Request, Response> method) {
  return [method](Stub& stub, grpc::ClientContext* ctx, const Request& req, Response* resp) {
    return (stub.*method)(ctx, req, resp);
  };
}

struct LinksArgs {
  QueryFlags q;
  std::uint32_t min_individuals = 1;
  std::string site;
  std::string country;
  bool cross_border = false;
};

int Links(const GlobalOptions& g, const LinksArgs& a) {
  v1::ListLinksRequest req;
  req.set_min_individuals(a.min_individuals);
  req.set_site_id(a.site);
  req.set_country(a.country);
  req.set_cross_border_only(a.cross_border);
  return RunQuery<v1::ListLinksRequest, v1::ListLinksResponse>(
      g, a.q, req, Calling(&Stub::ListLinks), "listing links", [&](const auto& resp) {
        PrintRows(LinkTable(resp.links(), resp.nodes()), g.format, std::cout);
      });
}

int Neighbours(const GlobalOptions& g, const QueryFlags& q, const std::string& site) {
  v1::GetNeighboursRequest req;
  req.set_site_id(site);
  return RunQuery<v1::GetNeighboursRequest, v1::GetNeighboursResponse>(
      g, q, req, Calling(&Stub::GetNeighbours), "listing neighbours", [&](const auto& resp) {
        std::cout << "incoming to " << resp.site().id() << ":\n";
        PrintRows(LinkTable(resp.incoming(), resp.nodes()), g.format, std::cout);
        std::cout << "\noutgoing from " << resp.site().id() << ":\n";
        PrintRows(LinkTable(resp.outgoing(), resp.nodes()), g.format, std::cout);
      });
}

int Routes(const GlobalOptions& g, const QueryFlags& q, const std::string& from,
           const std::string& to, std::optional<int> k) {
  v1::FindRoutesRequest req;
  req.set_from_site_id(from);
  req.set_to_site_id(to);
  if (k) req.set_k(*k);
  return RunQuery<v1::FindRoutesRequest, v1::FindRoutesResponse>(
      g, q, req, Calling(&Stub::FindRoutes), "finding routes", [&](const auto& resp) {
        Table t{{"kind", "route", "probability", "individuals", "journeys", "median duration (h)"},
                {}};
        if (resp.has_most_probable()) {
          const auto& r = resp.most_probable();
          t.rows.push_back({"most probable", absl::StrJoin(r.site_ids(), " → "),
                            Share(r.probability()), "", "", ""});
        }
        for (const auto& r : resp.most_used()) {
          t.rows.push_back({"most used", absl::StrJoin(r.site_ids(), " → "), "",
                            std::to_string(r.individuals()), std::to_string(r.journeys()),
                            Hours(r.median_duration_ms())});
        }
        if (t.rows.empty()) std::cerr << "no route from " << from << " to " << to << "\n";
        PrintRows(t, g.format, std::cout);
      });
}

int Importance(const GlobalOptions& g, const QueryFlags& q, std::uint32_t limit) {
  v1::RankSitesRequest req;
  req.set_limit(limit);
  return RunQuery<v1::RankSitesRequest, v1::RankSitesResponse>(
      g, q, req, Calling(&Stub::RankSites), "ranking sites", [&](const auto& resp) {
        Table t{{"site", "country", "betweenness", "normalized", "individuals", "share",
                 "transitions in", "transitions out"},
                {}};
        for (const auto& s : resp.sites()) {
          t.rows.push_back({s.site_id(), CountryOf(resp.nodes(), s.site_id()),
                            FormatNumber(s.betweenness()), Share(s.betweenness_normalized()),
                            std::to_string(s.individuals()), Share(s.individual_share()),
                            std::to_string(s.transitions_in()),
                            std::to_string(s.transitions_out())});
        }
        PrintRows(t, g.format, std::cout);
      });
}

int Loss(const GlobalOptions& g, const QueryFlags& q, const std::vector<std::string>& sites) {
  v1::SiteLossRequest req;
  for (const auto& s : sites) req.add_site_ids(s);
  return RunQuery<v1::SiteLossRequest, v1::SiteLossResponse>(
      g, q, req, Calling(&Stub::SiteLoss), "computing the loss", [&](const auto& resp) {
        PrintFields({{"sites lost", absl::StrJoin(resp.site_ids(), " ")},
                     {"reachable pairs before", std::to_string(resp.reachable_pairs_before())},
                     {"reachable pairs after", std::to_string(resp.reachable_pairs_after())},
                     {"connectivity lost", Share(resp.connectivity_lost())},
                     {"links lost", std::to_string(resp.links_lost())},
                     {"transitions lost", std::to_string(resp.transitions_lost())},
                     {"individuals affected", std::to_string(resp.individuals_affected())},
                     {"share of individuals", Share(resp.individual_share_affected())}},
                    g.format, std::cout);
      });
}

int Flows(const GlobalOptions& g, const QueryFlags& q) {
  return RunQuery<v1::CountryFlowsRequest, v1::CountryFlowsResponse>(
      g, q, v1::CountryFlowsRequest(), Calling(&Stub::CountryFlows), "computing flows",
      [&](const auto& resp) {
        Table t{{"from", "to", "individuals", "transitions"}, {}};
        for (const auto& f : resp.flows()) {
          t.rows.push_back({f.from_country().empty() ? "?" : f.from_country(),
                            f.to_country().empty() ? "?" : f.to_country(),
                            std::to_string(f.individuals()), std::to_string(f.transitions())});
        }
        PrintRows(t, g.format, std::cout);
      });
}

int Connectivity(const GlobalOptions& g, const QueryFlags& q, std::optional<std::uint32_t> perms,
                 std::optional<std::uint64_t> seed) {
  v1::MigratoryConnectivityRequest req;
  if (perms) req.set_permutations(*perms);
  if (seed) req.set_seed(*seed);
  return RunQuery<v1::MigratoryConnectivityRequest, v1::MigratoryConnectivityResponse>(
      g, q, req, Calling(&Stub::MigratoryConnectivity), "computing connectivity",
      [&](const auto& resp) {
        PrintFields({{"Mantel rM", FormatNumber(resp.r_m())},
                     {"p (one-sided)", FormatNumber(resp.p_value())},
                     {"permutations", std::to_string(resp.permutations())},
                     {"individuals", std::to_string(resp.individuals_size())}},
                    g.format, std::cout);
        if (g.format == OutputFormat::kTable) std::cout << "\n";
        Table t{{"study", "individual", "breeding", "non-breeding"}, {}};
        for (const auto& e : resp.individuals()) {
          t.rows.push_back(
              {e.study_id(), e.individual_id(), e.breeding_site_id(), e.non_breeding_site_id()});
        }
        if (g.format == OutputFormat::kTable) PrintRows(t, g.format, std::cout);
      });
}

int Gaps(const GlobalOptions& g, const QueryFlags& q, std::uint32_t limit) {
  v1::ProtectionGapsRequest req;
  req.set_candidate_limit(limit);
  return RunQuery<v1::ProtectionGapsRequest, v1::ProtectionGapsResponse>(
      g, q, req, Calling(&Stub::ProtectionGaps), "finding protection gaps", [&](const auto& resp) {
        Table rows{{"species", "country", "stopovers", "days", "unprotected stopovers",
                    "unprotected days", "unprotected individuals"},
                   {}};
        for (const auto& r : resp.rows()) {
          rows.rows.push_back({r.species_id(), r.country().empty() ? "?" : r.country(),
                               std::to_string(r.stopovers()),
                               FormatNumber(std::round(r.stopover_days() * 10) / 10),
                               std::to_string(r.unprotected_stopovers()),
                               FormatNumber(std::round(r.unprotected_days() * 10) / 10),
                               std::to_string(r.unprotected_individuals())});
        }
        PrintRows(rows, g.format, std::cout);
        if (g.format == OutputFormat::kCsv) return;
        std::cout << "\ndiscovered candidate sites, by use:\n";
        Table c{{"site", "country", "lat", "lon", "individuals", "stopovers", "days", "species"},
                {}};
        for (const auto& s : resp.candidates()) {
          c.rows.push_back({s.node().id(), s.node().country(), FormatNumber(s.node().lat()),
                            FormatNumber(s.node().lon()), std::to_string(s.individuals()),
                            std::to_string(s.stopovers()),
                            FormatNumber(std::round(s.stopover_days() * 10) / 10),
                            absl::StrJoin(s.species(), " ")});
        }
        PrintRows(c, g.format, std::cout);
      });
}

struct StopoversArgs {
  QueryFlags q;
  std::string individual;
  std::string site;
  bool visits = false;
  std::uint32_t limit = 0;
};

int Stopovers(const GlobalOptions& g, const StopoversArgs& a) {
  v1::ListStopoversRequest req;
  if (!a.individual.empty()) {
    if (a.q.studies.size() != 1) {
      return FailLocal("--individual needs exactly one --study", kExitUsage);
    }
    req.set_study_id(a.q.studies[0]);
    req.set_individual_id(a.individual);
  }
  req.set_site_id(a.site);
  req.set_include_visits(a.visits);
  req.set_limit(a.limit);
  return RunQuery<v1::ListStopoversRequest, v1::ListStopoversResponse>(
      g, a.q, req, Calling(&Stub::ListStopovers), "listing stopovers", [&](const auto& resp) {
        Table t{{"study", "individual", "species", "site", "arrival (UTC)", "departure (UTC)",
                 "days", "lat", "lon", "fixes"},
                {}};
        for (const auto& s : resp.stopovers()) {
          t.rows.push_back(
              {s.study_id(), s.individual_id(), s.species_id(), s.site_id(),
               telemetry::FormatTimestamp(s.arrival_ms()),
               telemetry::FormatTimestamp(s.departure_ms()),
               FormatNumber(std::round((s.departure_ms() - s.arrival_ms()) / 8'640'000.0) / 10),
               FormatNumber(s.lat()), FormatNumber(s.lon()), std::to_string(s.fixes())});
        }
        PrintRows(t, g.format, std::cout);
        if (resp.truncated()) std::cerr << "(more stopovers than --limit; list truncated)\n";
        if (resp.visits_size() == 0 || g.format == OutputFormat::kCsv) return;
        std::cout << "\nvisits:\n";
        Table v{{"site", "arrival (UTC)", "departure (UTC)", "hours", "fixes"}, {}};
        for (const auto& x : resp.visits()) {
          v.rows.push_back({x.site_id(), telemetry::FormatTimestamp(x.arrival_ms()),
                            telemetry::FormatTimestamp(x.departure_ms()),
                            Hours(x.departure_ms() - x.arrival_ms()), std::to_string(x.fixes())});
        }
        PrintRows(v, g.format, std::cout);
      });
}

struct ExportArgs {
  QueryFlags q;
  std::string output;
  std::string layer;
  std::uint32_t min_individuals = 1;
};

int Export(const GlobalOptions& g, const ExportArgs& a) {
  const std::string ext = std::filesystem::path(a.output).extension().string();
  v1::ExportFlywayRequest req;
  if (ext == ".gpkg") {
    req.set_format(v1::FLYWAY_EXPORT_GPKG);
  } else if (ext == ".geojson" || ext == ".json") {
    req.set_format(v1::FLYWAY_EXPORT_GEOJSON);
  } else {
    return FailLocal(
        absl::StrCat("cannot tell the format from '", a.output, "': name it .gpkg or .geojson"),
        kExitUsage);
  }
  req.set_layer(a.layer);
  req.set_min_individuals(a.min_individuals);
  std::string error;
  if (!BuildQuery(a.q, req.mutable_query(), error)) return FailLocal(error, kExitUsage);
  Client client(g);
  auto stub = v1::FlywayService::NewStub(client.channel());
  auto ctx = client.NewContext();
  auto reader = stub->ExportFlyway(ctx.get(), req);
  std::size_t bytes = 0;
  if (int code = StreamToFile(client, *reader, a.output, "exporting the flyway", &bytes);
      code != kExitOk) {
    return code;
  }
  std::cerr << "wrote " << bytes << " bytes to " << a.output << "\n";
  return kExitOk;
}

int Status(const GlobalOptions& g) {
  Client client(g);
  auto stub = v1::FlywayService::NewStub(client.channel());
  v1::FlywayStatus resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->GetFlywayStatus(ctx.get(), v1::GetFlywayStatusRequest(), &resp);
  if (!status.ok()) return client.Fail(status, "reading the flyway status");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  const auto& p = resp.params();
  PrintFields({{"snapshot version", std::to_string(resp.snapshot_version())},
               {"individuals", std::to_string(resp.individuals())},
               {"stopovers", std::to_string(resp.stopovers())},
               {"transitions", std::to_string(resp.transitions())},
               {"nodes", std::to_string(resp.nodes())},
               {"discovered sites", std::to_string(resp.discovered_sites())},
               {"min stay (h)", FormatNumber(p.min_stay_hours())},
               {"max gap (h)", FormatNumber(p.max_gap_hours())},
               {"max excursion (h)", FormatNumber(p.max_excursion_hours())},
               {"max diameter (m)", FormatNumber(p.max_diameter_m())},
               {"cluster distance (m)", FormatNumber(p.cluster_distance_m())},
               {"last error", resp.last_error()}},
              g.format, std::cout);
  return kExitOk;
}

int Rebuild(const GlobalOptions& g) {
  Client client(g);
  auto stub = v1::FlywayService::NewStub(client.channel());
  v1::RebuildFlywayResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->RebuildFlyway(ctx.get(), v1::RebuildFlywayRequest(), &resp);
  if (!status.ok()) return client.Fail(status, "rebuilding the flyway");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  PrintFields({{"individuals", std::to_string(resp.individuals())},
               {"fixes", std::to_string(resp.fixes())},
               {"seconds", FormatNumber(resp.seconds())},
               {"snapshot version", std::to_string(resp.snapshot_version())}},
              g.format, std::cout);
  return kExitOk;
}

}  // namespace

void AddFlywayCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* flyway = app.add_subcommand(
      "flyway", "How wetlands are linked: links, routes, site importance, flows, gaps");
  flyway->require_subcommand(1);

  auto links = std::make_shared<LinksArgs>();
  auto* links_cmd = flyway->add_subcommand("links", "Links between sites, by individuals");
  AddQueryFlags(links_cmd, links->q);
  links_cmd->add_option("--min-individuals", links->min_individuals,
                        "only links made by at least this many individuals");
  links_cmd->add_option("--site", links->site, "only links from or to this site");
  links_cmd->add_option("--country", links->country, "only links with an end in this country");
  links_cmd->add_flag("--cross-border", links->cross_border, "only links between two countries");
  links_cmd->callback([&global, &exit_code, links] { exit_code = Links(global, *links); });

  struct SiteArgs {
    QueryFlags q;
    std::string site;
  };
  auto nb = std::make_shared<SiteArgs>();
  auto* nb_cmd = flyway->add_subcommand("neighbours", "A site's incoming and outgoing links");
  nb_cmd->add_option("site", nb->site, "site id")->required();
  AddQueryFlags(nb_cmd, nb->q);
  nb_cmd->callback([&global, &exit_code, nb] { exit_code = Neighbours(global, nb->q, nb->site); });

  struct RouteArgs {
    QueryFlags q;
    std::string from;
    std::string to;
    std::optional<int> k;
  };
  auto rt = std::make_shared<RouteArgs>();
  auto* rt_cmd = flyway->add_subcommand(
      "routes", "Most probable route from one site to another, and the routes flown most");
  rt_cmd->add_option("from", rt->from, "site id")->required();
  rt_cmd->add_option("to", rt->to, "site id")->required();
  rt_cmd->add_option("-k", rt->k, "most used routes to list (default 3)");
  AddQueryFlags(rt_cmd, rt->q);
  rt_cmd->callback(
      [&global, &exit_code, rt] { exit_code = Routes(global, rt->q, rt->from, rt->to, rt->k); });

  struct LimitArgs {
    QueryFlags q;
    std::uint32_t limit = 0;
  };
  auto imp = std::make_shared<LimitArgs>();
  auto* imp_cmd = flyway->add_subcommand(
      "importance", "Sites ranked by betweenness and the share of individuals using them");
  imp_cmd->add_option("--limit", imp->limit, "at most this many sites");
  AddQueryFlags(imp_cmd, imp->q);
  imp_cmd->callback(
      [&global, &exit_code, imp] { exit_code = Importance(global, imp->q, imp->limit); });

  struct LossArgs {
    QueryFlags q;
    std::vector<std::string> sites;
  };
  auto loss = std::make_shared<LossArgs>();
  auto* loss_cmd =
      flyway->add_subcommand("loss", "Connectivity lost if these sites were lost together");
  loss_cmd->add_option("sites", loss->sites, "site ids")->required();
  AddQueryFlags(loss_cmd, loss->q);
  loss_cmd->callback(
      [&global, &exit_code, loss] { exit_code = Loss(global, loss->q, loss->sites); });

  auto flows = std::make_shared<QueryFlags>();
  auto* flows_cmd =
      flyway->add_subcommand("flows", "Country x country matrix of individuals and transitions");
  AddQueryFlags(flows_cmd, *flows);
  flows_cmd->callback([&global, &exit_code, flows] { exit_code = Flows(global, *flows); });

  struct ConnArgs {
    QueryFlags q;
    std::optional<std::uint32_t> permutations;
    std::optional<std::uint64_t> seed;
  };
  auto conn = std::make_shared<ConnArgs>();
  auto* conn_cmd = flyway->add_subcommand(
      "connectivity", "Migratory connectivity between breeding and non-breeding areas (Mantel rM)");
  conn_cmd->add_option("--permutations", conn->permutations, "Mantel test permutations (999)");
  conn_cmd->add_option("--seed", conn->seed, "seed of the permutations (1)");
  AddQueryFlags(conn_cmd, conn->q);
  conn_cmd->callback([&global, &exit_code, conn] {
    exit_code = Connectivity(global, conn->q, conn->permutations, conn->seed);
  });

  auto gaps = std::make_shared<LimitArgs>();
  auto* gaps_cmd = flyway->add_subcommand(
      "gaps", "Stopovers outside protected areas, and discovered candidate sites by use");
  gaps_cmd->add_option("--limit", gaps->limit, "at most this many candidate sites");
  AddQueryFlags(gaps_cmd, gaps->q);
  gaps_cmd->callback(
      [&global, &exit_code, gaps] { exit_code = Gaps(global, gaps->q, gaps->limit); });

  auto stops = std::make_shared<StopoversArgs>();
  auto* stops_cmd =
      flyway->add_subcommand("stopovers", "Stopovers of an individual, at a site, or all");
  stops_cmd->add_option("--individual", stops->individual,
                        "one individual (with exactly one --study)");
  stops_cmd->add_option("--site", stops->site, "only stopovers at this site");
  stops_cmd->add_flag("--visits", stops->visits, "also every visit (with --individual)");
  stops_cmd->add_option("--limit", stops->limit, "at most this many (default 10000)");
  AddQueryFlags(stops_cmd, stops->q);
  stops_cmd->callback([&global, &exit_code, stops] { exit_code = Stopovers(global, *stops); });

  auto exp = std::make_shared<ExportArgs>();
  auto* exp_cmd = flyway->add_subcommand(
      "export", "The graph for QGIS: nodes, links (geodesic lines), stopovers");
  exp_cmd->add_option("-o,--output", exp->output, "file to write: .gpkg (all layers) or .geojson")
      ->required();
  exp_cmd->add_option("--layer", exp->layer, "GeoJSON only: links (default), nodes or stopovers");
  exp_cmd->add_option("--min-individuals", exp->min_individuals, "links: at least this many");
  AddQueryFlags(exp_cmd, exp->q);
  exp_cmd->callback([&global, &exit_code, exp] { exit_code = Export(global, *exp); });

  auto* status_cmd = flyway->add_subcommand("status", "The live flyway graph: size, parameters");
  status_cmd->callback([&global, &exit_code] { exit_code = Status(global); });
  auto* rebuild_cmd = flyway->add_subcommand("rebuild", "Segment every stored track again (admin)");
  rebuild_cmd->callback([&global, &exit_code] { exit_code = Rebuild(global); });
}

}  // namespace wetlink::cli
