#include "store/stores.h"

namespace wetlink::store {

absl::Status Stores::Close() {
  audit.reset();
  access.reset();
  counts.reset();
  fixes.reset();
  registry.reset();
  catalog.reset();
  if (!db) return absl::OkStatus();
  absl::Status st = db->Close();
  db.reset();
  return st;
}

absl::StatusOr<std::unique_ptr<Stores>> OpenStores(const std::string& path,
                                                   const DatabaseOptions& options,
                                                   const catalog::CatalogFiles& bundled,
                                                   CatalogStore::OpenReport* report) {
  auto stores = std::make_unique<Stores>();
  auto db = Database::Open(path, options);
  if (!db.ok()) return db.status();
  stores->db = std::move(*db);
  auto catalog = CatalogStore::Open(*stores->db, bundled, report);
  if (!catalog.ok()) return catalog.status();
  stores->catalog = std::move(*catalog);
  auto registry = RegistryStore::Open(*stores->db);
  if (!registry.ok()) return registry.status();
  stores->registry = std::move(*registry);
  auto fixes = FixStore::Open(*stores->db);
  if (!fixes.ok()) return fixes.status();
  stores->fixes = std::move(*fixes);
  stores->counts = std::make_unique<CountStore>(*stores->db);
  stores->access = std::make_unique<AccessStore>(*stores->db);
  auto audit = AuditStore::Open(*stores->db);
  if (!audit.ok()) return audit.status();
  stores->audit = std::move(*audit);
  return stores;
}

}  // namespace wetlink::store
