#include "store/catalog_store.h"

#include <algorithm>
#include <boost/geometry/algorithms/correct.hpp>
#include <filesystem>
#include <latch>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "catalog/catalog_json.h"
#include "catalog/site_import.h"
#include "data/bundled_catalog.h"
#include "geo/gdal_io.h"
#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/column_families.h"
#include "store/database.h"
#include "tests/testing/geometry_fixtures.h"

namespace wetlink::store {
namespace {

using ::testing::HasSubstr;

using ::wetlink::testing::Square;

geo::ReadFeature Feature(std::int64_t fid, std::map<std::string, std::string> attributes,
                         geo::MultiPolygon geometry = Square(126, 37, 126.1, 37.1)) {
  geo::ReadFeature f;
  f.ref.file = "upload.geojson";
  f.ref.layer = "upload";
  f.ref.fid = fid;
  f.attributes = std::move(attributes);
  f.geometry = std::move(geometry);
  return f;
}

geo::ReadResult Read(std::vector<geo::ReadFeature> features) {
  return ::wetlink::testing::ReadResultOf(std::move(features));
}

// One new site, "new_site" unless told otherwise.
geo::ReadResult NewSite(const std::string& id = "new_site") {
  return Read({Feature(1, {{"id", id}, {"name", "New Site"}, {"country", "KR"}})});
}

std::vector<std::string> SiteIds(const catalog::Catalog& c) {
  std::vector<std::string> ids;
  for (const catalog::Site& s : c.sites()) ids.push_back(s.id);
  return ids;
}

class CatalogStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto parsed = catalog::ParseCatalog(data::BundledCatalogFiles());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    bundled_ = new catalog::CatalogData(std::move(*parsed));
  }
  static void TearDownTestSuite() {
    delete bundled_;
    bundled_ = nullptr;
  }

  void SetUp() override {
    std::random_device rd;
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("wetlink_catalog_store_test_" + std::to_string(rd()) + "_" + std::to_string(rd())))
                .string();
    ReopenDb();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  // Closes the store and database (if open) and opens the database again.
  void ReopenDb() {
    store_.reset();
    db_.reset();
    DatabaseOptions options;
    options.sync_writes = false;
    auto db = Database::Open(path_, options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }

  void OpenStore(CatalogStore::OpenReport* report = nullptr) {
    auto store = CatalogStore::Open(*db_, data::BundledCatalogFiles(), report);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  // The raw contents of the sites column family.
  std::map<std::string, std::string> StoredSites() const {
    std::map<std::string, std::string> out;
    EXPECT_TRUE(db_->Scan(ColumnFamily::kSites, "", [&](std::string_view k, std::string_view v) {
                    out.emplace(k, v);
                    return true;
                  }).ok());
    return out;
  }

  absl::StatusOr<catalog::ImportPlan> Import(const geo::ReadResult& read,
                                             const catalog::ImportOptions& options = {},
                                             bool dry_run = false) {
    return store_->ImportSites(read, {}, options, "upload.geojson", dry_run);
  }

  static catalog::CatalogData* bundled_;
  std::string path_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<CatalogStore> store_;
};

catalog::CatalogData* CatalogStoreTest::bundled_ = nullptr;

TEST_F(CatalogStoreTest, FirstOpenSeedsTheBundledCatalog) {
  CatalogStore::OpenReport report;
  OpenStore(&report);
  EXPECT_TRUE(report.seeded);
  EXPECT_EQ(report.sites, static_cast<int>(bundled_->sites.size()));
  EXPECT_EQ(report.complexes, static_cast<int>(bundled_->complexes.size()));
  EXPECT_EQ(report.species, static_cast<int>(bundled_->species.size()));
  EXPECT_TRUE(db_->Get(ColumnFamily::kMeta, kCatalogSeededKey).ok());
  EXPECT_EQ(StoredSites().size(), bundled_->sites.size());

  const auto snapshot = store_->Snapshot();
  ASSERT_NE(snapshot, nullptr);
  const catalog::Site* rason = snapshot->FindSite("rason");
  ASSERT_NE(rason, nullptr);
  ASSERT_TRUE(rason->stated_area_ha.has_value());
  EXPECT_DOUBLE_EQ(*rason->stated_area_ha, 3525.7);
  EXPECT_EQ(rason->origin, "bundled");
  EXPECT_EQ(rason->complex_id, "tumen_estuary");
  ASSERT_NE(snapshot->FindSpecies("HC"), nullptr);
  EXPECT_EQ(snapshot->FindSpecies("HC")->OnePercent().value, 190);
  EXPECT_NE(snapshot->FindComplex("dipa"), nullptr);
}

TEST_F(CatalogStoreTest, LaterOpensKeepWhatIsStoredAndDoNotReseed) {
  OpenStore();
  auto plan = Import(NewSite());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->created, 1);
  // Remove a bundled site behind the store's back: a re-seed would bring it back.
  {
    WriteBatch batch;
    batch.Delete(ColumnFamily::kSites, "jingxin");
    ASSERT_TRUE(db_->Write(batch).ok());
  }

  ReopenDb();
  CatalogStore::OpenReport report;
  report.seeded = true;
  OpenStore(&report);
  EXPECT_FALSE(report.seeded);
  EXPECT_EQ(report.sites, static_cast<int>(bundled_->sites.size()));  // +1 new, -1 jingxin
  const auto snapshot = store_->Snapshot();
  const catalog::Site* imported = snapshot->FindSite("new_site");
  ASSERT_NE(imported, nullptr);
  EXPECT_EQ(imported->origin, "import:upload.geojson");
  EXPECT_TRUE(imported->geometry_surveyed);
  EXPECT_EQ(snapshot->FindSite("jingxin"), nullptr);
}

TEST_F(CatalogStoreTest, BrokenBundledDataFailsTheFirstOpenAndWritesNothing) {
  catalog::CatalogFiles broken = data::BundledCatalogFiles();
  broken.sites_json = "{";
  auto store = CatalogStore::Open(*db_, broken);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(db_->Get(ColumnFamily::kMeta, kCatalogSeededKey).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(StoredSites().empty());
  // Once seeded, the bundled files are not even parsed.
  OpenStore();
  EXPECT_TRUE(CatalogStore::Open(*db_, broken).ok());
}

TEST_F(CatalogStoreTest, DryRunStoresNothing) {
  OpenStore();
  const auto before = store_->Snapshot();
  auto plan = Import(NewSite(), {}, /*dry_run=*/true);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->created, 1);
  ASSERT_EQ(plan->sites.size(), 1u);
  EXPECT_EQ(store_->Snapshot(), before);  // the same snapshot object
  EXPECT_EQ(store_->Snapshot()->FindSite("new_site"), nullptr);
  EXPECT_EQ(db_->Get(ColumnFamily::kSites, "new_site").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogStoreTest, RefusedImportChangesNothing) {
  OpenStore();
  const auto stored_before = StoredSites();
  const auto snapshot_before = store_->Snapshot();
  // One good feature and one without a country: all or nothing.
  const geo::ReadResult read = Read({Feature(1, {{"id", "good_one"}, {"country", "KR"}}),
                                     Feature(2, {{"id", "bad_one"}})});
  auto plan = Import(read);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(plan.status().message()), HasSubstr("'upload.geojson'"));
  EXPECT_THAT(std::string(plan.status().message()), HasSubstr("no country"));
  EXPECT_EQ(store_->Snapshot(), snapshot_before);
  EXPECT_EQ(StoredSites(), stored_before);

  ReopenDb();
  OpenStore();
  EXPECT_EQ(StoredSites(), stored_before);
  EXPECT_EQ(store_->Snapshot()->FindSite("good_one"), nullptr);
}

TEST_F(CatalogStoreTest, SkipInvalidStoresTheGoodFeatures) {
  OpenStore();
  catalog::ImportOptions skip;
  skip.skip_invalid = true;
  auto plan = Import(Read({Feature(1, {{"id", "good_one"}, {"country", "KR"}}),
                           Feature(2, {{"id", "bad_one"}})}),
                     skip);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->created, 1);
  EXPECT_EQ(plan->refused, 1);
  EXPECT_NE(store_->Snapshot()->FindSite("good_one"), nullptr);
  EXPECT_TRUE(db_->Get(ColumnFamily::kSites, "good_one").ok());
  EXPECT_EQ(store_->Snapshot()->FindSite("bad_one"), nullptr);
}

TEST_F(CatalogStoreTest, ReplaceExistingReplacesABundledSite) {
  OpenStore();
  const geo::ReadResult read =
      Read({Feature(1, {{"id", "rason"}, {"name", "Rason (surveyed)"}, {"country", "KP"}},
                    Square(130.55, 42.30, 130.62, 42.36))});
  // Without replace the existing site is protected.
  ASSERT_FALSE(Import(read).ok());
  EXPECT_EQ(store_->Snapshot()->FindSite("rason")->origin, "bundled");

  catalog::ImportOptions replace;
  replace.replace_existing = true;
  auto plan = Import(read, replace);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->replaced, 1);
  EXPECT_EQ(plan->created, 0);
  const auto check = [](const catalog::Catalog& c, std::size_t site_count) {
    EXPECT_EQ(c.sites().size(), site_count);  // replaced, not added
    const catalog::Site* rason = c.FindSite("rason");
    ASSERT_NE(rason, nullptr);
    EXPECT_TRUE(rason->geometry_surveyed);
    EXPECT_EQ(rason->origin, "import:upload.geojson");
    EXPECT_EQ(rason->EnglishName(), "Rason (surveyed)");
    ASSERT_EQ(rason->geometry.size(), 1u);
    EXPECT_EQ(rason->geometry[0].outer().size(), 5u);  // the square, not the 72-gon disc
    // The point-in-polygon index follows the new geometry.
    bool found = false;
    for (const catalog::Site* s : c.SitesContaining({130.6, 42.35})) found |= s->id == "rason";
    EXPECT_TRUE(found);
  };
  check(*store_->Snapshot(), bundled_->sites.size());
  ReopenDb();
  OpenStore();
  check(*store_->Snapshot(), bundled_->sites.size());
}

TEST_F(CatalogStoreTest, SnapshotsAreImmutable) {
  OpenStore();
  const auto before = store_->Snapshot();
  const std::vector<std::string> ids_before = SiteIds(*before);
  catalog::ImportOptions replace;
  replace.replace_existing = true;
  auto plan = Import(Read({Feature(1, {{"id", "new_site"}, {"country", "KR"}}),
                           Feature(2, {{"id", "rason"}, {"country", "KP"}})}),
                     replace);
  ASSERT_TRUE(plan.ok()) << plan.status();

  const auto after = store_->Snapshot();
  EXPECT_NE(after, before);
  EXPECT_NE(after->FindSite("new_site"), nullptr);
  EXPECT_EQ(after->FindSite("rason")->origin, "import:upload.geojson");
  // The old snapshot still shows the catalog as it was.
  EXPECT_EQ(SiteIds(*before), ids_before);
  EXPECT_EQ(before->FindSite("new_site"), nullptr);
  EXPECT_EQ(before->FindSite("rason")->origin, "bundled");
  EXPECT_FALSE(before->FindSite("rason")->geometry_surveyed);
  // The new snapshot keeps the rest, still sorted by id.
  EXPECT_EQ(after->sites().size(), ids_before.size() + 1);
  EXPECT_TRUE(std::is_sorted(after->sites().begin(), after->sites().end(),
                             [](const auto& a, const auto& b) { return a.id < b.id; }));
  EXPECT_EQ(after->species().size(), before->species().size());
  EXPECT_EQ(after->complexes().size(), before->complexes().size());
}

// Two writers race to create the same id. Planning and writing share one
// lock, so exactly one creates it and the other sees it as existing,
// whichever goes first.
TEST_F(CatalogStoreTest, ConcurrentImportsOfTheSameIdCreateItOnce) {
  OpenStore();
  for (int round = 0; round < 5; ++round) {
    const std::string id = "contested_" + std::to_string(round);
    std::latch start(2);
    absl::StatusOr<catalog::ImportPlan> results[2] = {absl::UnknownError("not run"),
                                                      absl::UnknownError("not run")};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        const geo::ReadResult read = NewSite(id);
        start.arrive_and_wait();
        results[t] = store_->ImportSites(read, {}, {}, "upload.geojson", false);
      });
    }
    for (std::thread& th : threads) th.join();

    int created = 0;
    int refused = 0;
    for (const auto& r : results) {
      if (r.ok()) {
        created += r->created;
      } else {
        EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
        EXPECT_THAT(std::string(r.status().message()), HasSubstr("already exists"));
        ++refused;
      }
    }
    EXPECT_EQ(created, 1) << id;
    EXPECT_EQ(refused, 1) << id;
    EXPECT_NE(store_->Snapshot()->FindSite(id), nullptr);
  }
  EXPECT_EQ(store_->Snapshot()->sites().size(), bundled_->sites.size() + 5);
}

}  // namespace
}  // namespace wetlink::store
