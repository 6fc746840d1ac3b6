// Known answers for the country x country flow matrix
// (graph/country_flows.h).

#include "graph/country_flows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string_view>
#include <vector>

#include "graph/selection.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using testing::AsciiWorld;
using testing::kDay;
using testing::kHoodedCrane;
using testing::kT0;
using testing::TrackBuilder;

// A in China, B in North Korea, C and E in Russia. x is open country in
// China; y is at sea (no country).
const AsciiWorld& World() {
  static const AsciiWorld kWorld(
      R"(
    A.........B.........C.........E
    ...............................
    ...............................
    x.........y....................
  )",
      {{'A', {"CN", true}}, {'B', {"KP", true}}, {'C', {"RU", true}}, {'E', {"RU", true}}},
      {{'x', "CN"}});
  return kWorld;
}

std::shared_ptr<const SegmentedIndividual> Bird(std::uint32_t n, std::string_view places) {
  TrackBuilder b(World(), kT0 + n * 20 * kDay);
  b.Stay(places[0], 48, 2);
  for (std::size_t i = 1; i < places.size(); ++i) {
    const bool vertical = places[i - 1] == 'A' && places[i] == 'x';
    b.Fly(places[i], vertical ? 4 : 8).Stay(places[i], 48, 2);
  }
  return testing::Segmented(n, kHoodedCrane, b.points());
}

TEST(CountryFlowsTest, MatrixByHand) {
  //   bird 1: A -> B -> C -> E -> C   CN>KP, KP>RU, RU>RU, RU>RU
  //   bird 2: A -> B -> C             CN>KP, KP>RU
  //   bird 3: A -> x -> B             CN>CN, CN>KP
  //   bird 4: A -> y -> C             CN>"", "">RU
  const auto snapshot = testing::SnapshotOf(
      World(), {Bird(1, "ABCEC"), Bird(2, "ABC"), Bird(3, "AxB"), Bird(4, "AyC")});
  const std::vector<CountryFlow> flows =
      CountryFlows(*snapshot, Select(*snapshot, SeasonTable(), {}));
  struct Cell {
    std::string from, to;
    std::uint32_t individuals, transitions;
  };
  // Sorted by (from, to); "" (unknown) first.
  const std::vector<Cell> expected = {
      {"", "RU", 1, 1},    // bird 4 from the sea to C
      {"CN", "", 1, 1},    // bird 4 out to sea
      {"CN", "CN", 1, 1},  // bird 3, A to the stay at x
      {"CN", "KP", 3, 3},  // birds 1, 2 (A to B) and 3 (x to B)
      {"KP", "RU", 2, 2},  // birds 1, 2 (B to C)
      {"RU", "RU", 1, 2},  // bird 1, C to E and back
  };
  ASSERT_EQ(flows.size(), expected.size());
  for (std::size_t i = 0; i < flows.size(); ++i) {
    EXPECT_EQ(flows[i].from_country, expected[i].from) << i;
    EXPECT_EQ(flows[i].to_country, expected[i].to) << i;
    EXPECT_EQ(flows[i].individuals, expected[i].individuals) << i;
    EXPECT_EQ(flows[i].transitions, expected[i].transitions) << i;
  }

  // Only bird 4's time (a window from its start): its two cells.
  FlywayFilter f;
  f.window = TimeWindow{kT0 + 80 * kDay, kT0 + 100 * kDay};
  const std::vector<CountryFlow> bird4 =
      CountryFlows(*snapshot, Select(*snapshot, SeasonTable(), f));
  ASSERT_EQ(bird4.size(), 2u);
  EXPECT_EQ(bird4[0].from_country, "");
  EXPECT_EQ(bird4[1].to_country, "");

  EXPECT_TRUE(CountryFlows(*snapshot, Selection{}).empty());
}

}  // namespace
}  // namespace wetlink::graph
