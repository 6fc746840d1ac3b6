#include "store/catalog_store.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "store/load_records.h"
#include "store/record_codec.h"

namespace wetlink::store {

absl::StatusOr<std::unique_ptr<CatalogStore>> CatalogStore::Open(
    Database& db, const catalog::CatalogFiles& bundled, OpenReport* report) {
  std::unique_ptr<CatalogStore> store(new CatalogStore(db));
  OpenReport local;
  auto seeded = db.Get(ColumnFamily::kMeta, kCatalogSeededKey);
  if (seeded.status().code() == absl::StatusCode::kNotFound) {
    auto data = catalog::ParseCatalog(bundled);
    if (!data.ok()) return data.status();
    WriteBatch batch;
    for (const catalog::Complex& c : data->complexes) {
      batch.Put(ColumnFamily::kComplexes, c.id, EncodeComplex(c));
    }
    for (const catalog::Species& s : data->species) {
      batch.Put(ColumnFamily::kSpecies, s.id, EncodeSpecies(s));
    }
    for (const catalog::Site& s : data->sites) {
      batch.Put(ColumnFamily::kSites, s.id, EncodeSite(s));
    }
    // The marker makes seeding happen once: later starts keep what is stored.
    batch.Put(ColumnFamily::kMeta, kCatalogSeededKey, "bundled");
    if (absl::Status st = db.Write(batch); !st.ok()) return st;
    local.seeded = true;
  } else if (!seeded.ok()) {
    return seeded.status();
  }
  if (absl::Status st = store->Load(); !st.ok()) return st;
  auto snapshot = store->Snapshot();
  local.sites = static_cast<int>(snapshot->sites().size());
  local.complexes = static_cast<int>(snapshot->complexes().size());
  local.species = static_cast<int>(snapshot->species().size());
  if (report != nullptr) *report = local;
  return store;
}

absl::Status CatalogStore::Load() {
  auto sites = LoadRecords<catalog::Site>(db_, ColumnFamily::kSites, DecodeSite);
  if (!sites.ok()) return sites.status();
  auto complexes = LoadRecords<catalog::Complex>(db_, ColumnFamily::kComplexes, DecodeComplex);
  if (!complexes.ok()) return complexes.status();
  auto species = LoadRecords<catalog::Species>(db_, ColumnFamily::kSpecies, DecodeSpecies);
  if (!species.ok()) return species.status();
  auto snapshot = std::make_shared<const catalog::Catalog>(
      std::move(*sites), std::move(*complexes), std::move(*species));
  std::lock_guard lock(snapshot_mu_);
  snapshot_ = std::move(snapshot);
  return absl::OkStatus();
}

std::shared_ptr<const catalog::Catalog> CatalogStore::Snapshot() const {
  std::lock_guard lock(snapshot_mu_);
  return snapshot_;
}

absl::StatusOr<catalog::ImportPlan> CatalogStore::ImportSites(
    const geo::ReadResult& read, const catalog::ImportMapping& mapping,
    const catalog::ImportOptions& options, const std::string& file_name, bool dry_run) {
  std::lock_guard writer(write_mu_);
  const auto current = Snapshot();
  auto plan = catalog::PlanSiteImport(read, mapping, options, *current, file_name);
  if (!plan.ok() || dry_run || plan->sites.empty()) return plan;

  WriteBatch batch;
  for (const catalog::Site& s : plan->sites) batch.Put(ColumnFamily::kSites, s.id, EncodeSite(s));
  if (absl::Status st = db_.Write(batch); !st.ok()) return st;

  // The next snapshot is the current one plus the written sites; no need to
  // re-read the database.
  std::set<std::string> written;
  std::vector<catalog::Site> sites = plan->sites;
  for (const catalog::Site& s : sites) written.insert(s.id);
  for (const catalog::Site& s : current->sites()) {
    if (!written.contains(s.id)) sites.push_back(s);
  }
  auto next = std::make_shared<const catalog::Catalog>(std::move(sites), current->complexes(),
                                                       current->species());
  std::lock_guard lock(snapshot_mu_);
  snapshot_ = std::move(next);
  return plan;
}

}  // namespace wetlink::store
