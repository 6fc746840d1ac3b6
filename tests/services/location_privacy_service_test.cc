// Sensitive species over the real services: a researcher with only public
// access to a study gets a sensitive species' fixes and stopovers generalised
// to the grid and embargoed, the other species exactly, and the flyway links
// of both unchanged; collaborators and admins see everything exactly; a study
// not shared at all stays out of sight.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "data/bundled_catalog.h"
#include "store/stores.h"
#include "telemetry/timestamp.h"
#include "tests/services/server_testing.h"
#include "wetlink/v1/access.grpc.pb.h"
#include "wetlink/v1/flyway.grpc.pb.h"
#include "wetlink/v1/ingest.grpc.pb.h"
#include "wetlink/v1/registry.grpc.pb.h"
#include "wetlink/v1/tracks.grpc.pb.h"

namespace wetlink::services {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr double kGrid = 0.2;

// Two catalogued sites far apart: Izumi (JP) and Rason (KP), near their
// centres, off the grid cells' centres.
struct Place {
  double lat;
  double lon;
};
constexpr Place kIzumi{32.1234, 130.2567};
constexpr Place kRason{42.3456, 130.3789};
// Two places outside every catalogued site, 180 km apart.
constexpr Place kFieldA{44.6123, 127.2457};
constexpr Place kFieldB{45.9711, 126.5123};

bool OnGridCentre(double value) {
  const double cells = value / kGrid - 0.5;
  return std::abs(cells - std::round(cells)) < 1e-9;
}

class LocationPrivacyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-privacy-" + std::to_string(std::random_device{}()));
    auto stores =
        store::OpenStores(dir_.string(), {.sync_writes = false}, data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    ServerOptions options = testing::LoopbackOptions();
    options.privacy.sensitive_species = {"grus_monacha"};
    options.privacy.grid_deg = kGrid;
    options.privacy.embargo_ms = 30 * kDayMs;
    auto server = WetlinkServer::Start(options, *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    admin_ = testing::AdminChannel(*server_);

    now_ = telemetry::SystemNowMs();
    // Each bird: two weeks at Izumi, then two weeks at Rason; one pair 100
    // days ago (out of embargo), the other 10 days ago (under embargo).
    Push("public-study", {{"hc1", "Grus monacha"}, {"wn1", "Antigone vipio"}});
    Push("closed-study", {{"hc2", "Grus monacha"}});
    Share("public-study", "owner-team", {"collab"}, /*is_public=*/true);
    Share("closed-study", "owner-team", {}, /*is_public=*/false);
    Rebuild();

    outsider_ = testing::ChannelWithToken(
        *server_, testing::IssueToken(*server_, access::Role::kResearcher, {}, "outsider"));
    collaborator_ = testing::ChannelWithToken(
        *server_, testing::IssueToken(*server_, access::Role::kResearcher, {}, "collab"));
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  struct Bird {
    std::string id;
    std::string taxon;
    Place first = kIzumi;  // where it spends two weeks before Rason
  };

  void Push(const std::string& study, const std::vector<Bird>& birds) {
    v1::FixBatch batch;
    batch.set_sequence(1);
    batch.set_study_id(study);
    batch.set_auto_register(true);
    std::uint32_t n = 0;
    for (const Bird& bird : birds) {
      ++n;
      batch.add_tags("tag-" + bird.id);
      v1::IndividualRef* ref = batch.add_individuals();
      ref->set_id(bird.id);
      ref->set_taxon(bird.taxon);
      for (std::int64_t start : {now_ - 100 * kDayMs, now_ - 40 * kDayMs + 12 * kHourMs}) {
        for (int h = 0; h < 28 * 24; h += 6) {
          const Place& p = h < 14 * 24 ? bird.first : kRason;
          v1::Fix* f = batch.add_fixes();
          f->set_tag(n - 1);  // an index into tags; individual is index + 1
          f->set_individual(n);
          f->set_timestamp_ms(start + h * kHourMs);
          f->set_lat(p.lat + 0.001 * (h % 5));
          f->set_lon(p.lon - 0.001 * (h % 3));
          f->set_height_m(12.5);
        }
      }
    }
    auto stub = v1::IngestService::NewStub(admin_);
    grpc::ClientContext ctx;
    auto stream = stub->StreamFixes(&ctx);
    ASSERT_TRUE(stream->Write(batch));
    v1::FixAck ack;
    ASSERT_TRUE(stream->Read(&ack));
    ASSERT_EQ(ack.accepted(), static_cast<std::uint32_t>(batch.fixes_size()))
        << ack.DebugString().substr(0, 2000);
    stream->WritesDone();
    ASSERT_TRUE(stream->Finish().ok());
  }

  void Share(const std::string& study, const std::string& owner,
             const std::vector<std::string>& collaborators, bool is_public) {
    v1::SetStudySharingRequest req;
    req.mutable_sharing()->set_study_id(study);
    req.mutable_sharing()->set_owner(owner);
    for (const std::string& c : collaborators) req.mutable_sharing()->add_collaborators(c);
    req.mutable_sharing()->set_public_(is_public);
    grpc::ClientContext ctx;
    v1::StudySharing out;
    grpc::Status st = v1::AccessService::NewStub(admin_)->SetStudySharing(&ctx, req, &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  void Rebuild() {
    grpc::ClientContext ctx;
    v1::RebuildFlywayResponse out;
    grpc::Status st = v1::FlywayService::NewStub(admin_)->RebuildFlyway(&ctx, {}, &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  grpc::Status Track(const std::shared_ptr<grpc::Channel>& channel, const std::string& study,
                     const std::string& individual, std::vector<v1::TrackPoint>* points) {
    v1::GetTrackRequest req;
    req.set_study_id(study);
    req.set_individual_id(individual);
    grpc::ClientContext ctx;
    auto reader = v1::TrackService::NewStub(channel)->GetTrack(&ctx, req);
    v1::TrackChunk chunk;
    while (reader->Read(&chunk))
      points->insert(points->end(), chunk.points().begin(), chunk.points().end());
    return reader->Finish();
  }

  std::vector<v1::Stopover> Stopovers(const std::shared_ptr<grpc::Channel>& channel) {
    v1::ListStopoversRequest req;
    grpc::ClientContext ctx;
    v1::ListStopoversResponse out;
    grpc::Status st = v1::FlywayService::NewStub(channel)->ListStopovers(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return {out.stopovers().begin(), out.stopovers().end()};
  }

  std::set<std::string> Links(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& species) {
    v1::ListLinksRequest req;
    req.mutable_query()->mutable_filter()->add_species(species);
    grpc::ClientContext ctx;
    v1::ListLinksResponse out;
    grpc::Status st = v1::FlywayService::NewStub(channel)->ListLinks(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::set<std::string> links;
    for (const auto& link : out.links()) {
      links.insert(link.from_id() + ">" + link.to_id() + ":" + std::to_string(link.individuals()));
    }
    return links;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
  std::shared_ptr<grpc::Channel> admin_;
  std::shared_ptr<grpc::Channel> outsider_;
  std::shared_ptr<grpc::Channel> collaborator_;
  std::int64_t now_ = 0;
};

TEST_F(LocationPrivacyServiceTest, SensitiveFixesReachAnOutsiderOnlyGeneralisedAndEmbargoed) {
  std::vector<v1::TrackPoint> exact;
  ASSERT_TRUE(Track(collaborator_, "public-study", "hc1", &exact).ok());
  std::vector<v1::TrackPoint> shown;
  ASSERT_TRUE(Track(outsider_, "public-study", "hc1", &shown).ok());
  ASSERT_EQ(exact.size(), 2u * 112);  // 28 days of 4 fixes, twice
  // Only the fixes out of embargo (the first month), each on a cell centre.
  std::size_t old = 0;
  for (const v1::TrackPoint& p : exact) old += p.timestamp_ms() <= now_ - 30 * kDayMs ? 1 : 0;
  EXPECT_EQ(shown.size(), old);
  for (const v1::TrackPoint& p : shown) {
    EXPECT_LE(p.timestamp_ms(), now_ - 30 * kDayMs);
    EXPECT_TRUE(OnGridCentre(p.lat()) && OnGridCentre(p.lon())) << p.lat() << "," << p.lon();
    EXPECT_FALSE(p.has_height_m());
  }
  ASSERT_FALSE(shown.empty());
  // Izumi's fix (32.1234, 130.2567) lies in the cell centred on 32.1, 130.3.
  EXPECT_NEAR(shown.front().lat(), 32.1, 1e-9);
  EXPECT_NEAR(shown.front().lon(), 130.3, 1e-9);
  for (const v1::TrackPoint& p : exact) {
    EXPECT_FALSE(OnGridCentre(p.lat()) && OnGridCentre(p.lon()));
  }
}

TEST_F(LocationPrivacyServiceTest, OtherSpeciesAndFullAccessSeeExactFixes) {
  std::vector<v1::TrackPoint> by_outsider;
  ASSERT_TRUE(Track(outsider_, "public-study", "wn1", &by_outsider).ok());
  std::vector<v1::TrackPoint> by_admin;
  ASSERT_TRUE(Track(admin_, "public-study", "wn1", &by_admin).ok());
  ASSERT_EQ(by_outsider.size(), by_admin.size());
  for (std::size_t i = 0; i < by_admin.size(); ++i) {
    EXPECT_EQ(by_outsider[i].SerializeAsString(), by_admin[i].SerializeAsString());
  }
  std::vector<v1::TrackPoint> hc_by_admin;
  ASSERT_TRUE(Track(admin_, "public-study", "hc1", &hc_by_admin).ok());
  EXPECT_EQ(hc_by_admin.size(), 2u * 112);
}

TEST_F(LocationPrivacyServiceTest, StopoversAreGeneralisedButLinksStillAppear) {
  const std::vector<v1::Stopover> exact = Stopovers(admin_);
  const std::vector<v1::Stopover> shown = Stopovers(outsider_);
  std::size_t hc1_old = 0;
  for (const v1::Stopover& s : exact) {
    if (s.individual_id() == "hc1" && s.departure_ms() <= now_ - 30 * kDayMs) ++hc1_old;
  }
  ASSERT_GT(hc1_old, 0u);
  std::size_t hc1_shown = 0;
  for (const v1::Stopover& s : shown) {
    EXPECT_NE(s.study_id(), "closed-study") << "a study shared with nobody";
    if (s.individual_id() == "hc1") {
      ++hc1_shown;
      EXPECT_TRUE(OnGridCentre(s.lat()) && OnGridCentre(s.lon())) << s.lat() << "," << s.lon();
      EXPECT_LE(s.departure_ms(), now_ - 30 * kDayMs);
    }
  }
  EXPECT_EQ(hc1_shown, hc1_old);
  // The aggregate links are the same for everyone, sensitive species included.
  const std::set<std::string> links = Links(admin_, "grus_monacha");
  EXPECT_FALSE(links.empty());
  EXPECT_EQ(Links(outsider_, "grus_monacha"), links);
}

TEST_F(LocationPrivacyServiceTest, AStudySharedWithNobodyIsOutOfSight) {
  std::vector<v1::TrackPoint> points;
  const grpc::Status refused = Track(outsider_, "closed-study", "hc2", &points);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(points.empty());
  // An unknown study gets the same answer: no hint that closed-study exists.
  const grpc::Status unknown = Track(outsider_, "no-such-study", "hc2", &points);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message().find("hc2"), std::string::npos) << refused.error_message();

  grpc::ClientContext ctx;
  v1::ListStudiesResponse studies;
  ASSERT_TRUE(v1::RegistryService::NewStub(outsider_)->ListStudies(&ctx, {}, &studies).ok());
  ASSERT_EQ(studies.studies_size(), 1);
  EXPECT_EQ(studies.studies(0).id(), "public-study");

  // Naming it in a flyway filter is refused too.
  v1::ListLinksRequest req;
  req.mutable_query()->mutable_filter()->add_study_ids("closed-study");
  grpc::ClientContext links_ctx;
  v1::ListLinksResponse links;
  const grpc::Status st = v1::FlywayService::NewStub(outsider_)->ListLinks(&links_ctx, req, &links);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(st.error_message(), HasSubstr("closed-study"));
}

// A discovered site is the mean of its stays: where a sensitive species'
// stays are among them, everyone, admins included, gets it on its grid
// cell's centre, id and position alike; the other species' sites stay exact.
TEST_F(LocationPrivacyServiceTest, DiscoveredSitesOfSensitiveSpeciesArePublishedOnTheGrid) {
  Push("field-study", {{"hc3", "Grus monacha", kFieldA}, {"wn3", "Antigone vipio", kFieldB}});
  Share("field-study", "owner-team", {}, /*is_public=*/true);
  Rebuild();
  for (const auto& channel : {admin_, outsider_}) {
    v1::ListLinksRequest req;
    req.mutable_query()->mutable_filter()->add_study_ids("field-study");
    grpc::ClientContext ctx;
    v1::ListLinksResponse out;
    ASSERT_TRUE(v1::FlywayService::NewStub(channel)->ListLinks(&ctx, req, &out).ok());
    // Rason's fixes here lie outside the catalogued reserve, so the birds'
    // shared stop there is discovered too, on the grid (a crane was there).
    std::map<std::string, v1::FlywayNode> discovered;
    for (const v1::FlywayNode& node : out.nodes()) {
      if (!node.catalogued()) discovered[node.id()] = node;
    }
    ASSERT_TRUE(discovered.count("cand_44.700n_127.300e")) << out.DebugString();
    const v1::FlywayNode& sensitive = discovered["cand_44.700n_127.300e"];
    EXPECT_NEAR(sensitive.lat(), 44.7, 1e-9);
    EXPECT_NEAR(sensitive.lon(), 127.3, 1e-9);
    // The White-naped crane's field: the stays' mean, within the fixes' jitter.
    const auto other = std::find_if(discovered.begin(), discovered.end(), [](const auto& entry) {
      return entry.first.rfind("cand_45.97", 0) == 0;
    });
    ASSERT_NE(other, discovered.end()) << out.DebugString();
    EXPECT_NEAR(other->second.lat(), kFieldB.lat, 0.003);
    EXPECT_NEAR(other->second.lon(), kFieldB.lon, 0.003);
    EXPECT_FALSE(OnGridCentre(other->second.lat()) && OnGridCentre(other->second.lon()));
    // Every discovered site is either exact (the other crane's) or on the grid.
    for (const auto& [id, node] : discovered) {
      if (id == other->first) continue;
      EXPECT_TRUE(OnGridCentre(node.lat()) && OnGridCentre(node.lon())) << id;
    }
    // The crane's links are there, to and from its generalised site.
    std::size_t crane_links = 0;
    for (const auto& link : out.links()) {
      if (link.from_id() == sensitive.id() || link.to_id() == sensitive.id()) ++crane_links;
    }
    EXPECT_EQ(crane_links, 2u) << out.DebugString();
  }
}

}  // namespace
}  // namespace wetlink::services
