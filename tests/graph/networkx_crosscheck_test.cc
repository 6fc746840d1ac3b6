// Cross-checks the graph algorithms on flyway graphs built from simulated
// tracks (SegmentTrack -> FlywaySnapshot -> AggregateLinks) against
// networkx: the links, Wetlink's betweenness (raw and normalized), the most
// probable route between every ordered pair, and the reachable pairs left
// after removing sites are written to a JSON file, which
// tests/graph/networkx_crosscheck.py recomputes independently with
// Debian's python3-networkx (scripts/setup-deps.sh --test installs it).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "graph/flyway_snapshot.h"
#include "graph/importance.h"
#include "graph/link_graph.h"
#include "graph/links.h"
#include "graph/routes.h"
#include "graph/seasons.h"
#include "graph/segment_track.h"
#include "graph/selection.h"
#include "tests/graph/sim_tracks.h"

namespace wetlink::graph {
namespace {

struct Case {
  std::uint64_t seed;
  int individuals;
  std::string season;  // "" = all year
};

nlohmann::json GraphJson(const std::string& name, const FlywaySnapshot& snapshot,
                         const Selection& selection) {
  const std::vector<Link> links = AggregateLinks(snapshot, selection);
  const LinkGraph lg(links);
  // Small graphs could agree with anything: make sure these are not.
  EXPECT_GT(lg.vertex_count(), 5u) << name;
  EXPECT_GT(links.size(), 8u) << name;

  nlohmann::json g;
  g["name"] = name;
  g["links"] = nlohmann::json::array();
  for (const Link& l : links) {
    g["links"].push_back({{"from", l.from_node},
                          {"to", l.to_node},
                          {"probability", l.probability},
                          {"individuals", l.individuals},
                          {"transitions", l.transitions}});
  }
  g["transitions"] = nlohmann::json::array();
  for (std::uint32_t t : selection.transitions) {
    const Transition& tr = snapshot.transitions()[t];
    g["transitions"].push_back({tr.from_node, tr.to_node, tr.individual});
  }
  g["betweenness"] = nlohmann::json::array();
  for (const NodeImportance& n : RankSiteImportance(snapshot, selection, links)) {
    g["betweenness"].push_back(
        {{"node", n.node}, {"raw", n.betweenness}, {"normalized", n.betweenness_normalized}});
  }
  std::vector<std::int32_t> nodes;
  for (std::size_t v = 0; v < lg.vertex_count(); ++v) nodes.push_back(lg.NodeOf(v));
  g["routes"] = nlohmann::json::array();
  int reachable = 0;
  for (std::int32_t from : nodes) {
    for (std::int32_t to : nodes) {
      if (from == to) continue;
      const std::optional<ProbableRoute> r = MostProbableRoute(links, from, to);
      nlohmann::json route = {{"from", from}, {"to", to}};
      if (r) {
        ++reachable;
        route["nodes"] = r->nodes;
        route["probability"] = r->probability;
      } else {
        route["nodes"] = nullptr;
      }
      g["routes"].push_back(route);
    }
  }
  EXPECT_GT(reachable, 10) << name;
  // Every single site lost, and a few random sets of two and three.
  g["loss"] = nlohmann::json::array();
  std::mt19937 rng(42);
  std::vector<std::vector<std::int32_t>> removals;
  for (std::int32_t n : nodes) removals.push_back({n});
  for (int k = 0; k < 10; ++k) {
    std::vector<std::int32_t> set;
    for (int m = 0; m < 2 + k % 2; ++m) {
      set.push_back(nodes[std::uniform_int_distribution<std::size_t>(0, nodes.size() - 1)(rng)]);
    }
    removals.push_back(set);
  }
  for (const std::vector<std::int32_t>& removed : removals) {
    const LossImpact impact = SiteLossImpact(snapshot, selection, links, removed);
    g["reachable_before"] = impact.reachable_pairs_before;
    g["loss"].push_back({{"removed", impact.removed}, {"after", impact.reachable_pairs_after}});
  }
  return g;
}

TEST(NetworkxCrosscheckTest, BetweennessRoutesReachability) {
  const std::string python = "/usr/bin/python3";
  ASSERT_TRUE(std::filesystem::exists(python))
      << "the cross-check needs Debian's python3 and python3-networkx "
         "(scripts/setup-deps.sh --test)";

  SeasonTable seasons;
  {
    std::ifstream in(std::string(WETLINK_SOURCE_DIR) + "/data/flyway/seasons.json");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = SeasonTable::FromJson(text.str());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    seasons = *std::move(parsed);
  }

  nlohmann::json doc;
  doc["graphs"] = nlohmann::json::array();
  const std::vector<Case> cases = {{7, 24, ""}, {11, 32, ""}, {23, 40, ""}, {23, 40, "autumn"}};
  std::map<std::uint64_t, std::shared_ptr<const FlywaySnapshot>> snapshots;
  for (const Case& c : cases) {
    if (!snapshots.count(c.seed)) {
      const testing::SimTracks sim = testing::SimulateTracks(c.seed, c.individuals, 2);
      ASSERT_EQ(sim.tracks.size(), static_cast<std::size_t>(c.individuals));
      std::vector<std::shared_ptr<const SegmentedIndividual>> individuals;
      for (const testing::SimTrack& t : sim.tracks) {
        individuals.push_back(MakeSegmentedIndividual(t.info, SegmentTrack(t.points, {})));
      }
      snapshots[c.seed] =
          FlywaySnapshot::Build(sim.catalog, nullptr, std::move(individuals), {}, 1);
    }
    const FlywaySnapshot& snapshot = *snapshots[c.seed];
    FlywayFilter filter;
    filter.season = c.season;
    ASSERT_TRUE(ValidateFilter(filter, snapshot.catalog(), seasons).ok());
    const std::string name = "seed " + std::to_string(c.seed) + ", " +
                             std::to_string(c.individuals) + " individuals" +
                             (c.season.empty() ? "" : ", " + c.season);
    doc["graphs"].push_back(GraphJson(name, snapshot, Select(snapshot, seasons, filter)));
  }

  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("wetlink_networkx_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "graphs.json";
  const std::filesystem::path out = dir / "output.txt";
  {
    std::ofstream f(file);
    f << doc.dump();
  }
  const std::string command = python + " '" + WETLINK_GRAPH_TEST_DIR +
                              "/networkx_crosscheck.py' '" + file.string() + "' > '" +
                              out.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::stringstream output;
  output << std::ifstream(out).rdbuf();
  EXPECT_EQ(status, 0) << command << "\n" << output.str();
  std::cout << output.str();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace wetlink::graph
