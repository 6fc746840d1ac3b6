#ifndef WETLINK_STORE_CATALOG_STORE_H_
#define WETLINK_STORE_CATALOG_STORE_H_

// The durable site catalog: loads sites, complexes and species from the
// database into an immutable catalog::Catalog snapshot, seeds the bundled
// catalog into an empty database once, and applies imports atomically.
//
// Thread-safe. Readers take a snapshot (a shared_ptr) and keep it as long as
// they like; writers are serialised and swap in a new snapshot after the
// write is durable, so a reader never sees a half-applied import.

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "catalog/site_import.h"
#include "geo/gdal_io.h"
#include "store/database.h"

namespace wetlink::store {

class CatalogStore {
 public:
  struct OpenReport {
    bool seeded = false;  // true when the bundled catalog was written now
    int sites = 0;
    int complexes = 0;
    int species = 0;
  };

  // Loads the catalog from `db`. If the database has never held a catalog,
  // parses `bundled` and writes it in one batch first. `db` must outlive
  // the store.
  static absl::StatusOr<std::unique_ptr<CatalogStore>> Open(Database& db,
                                                            const catalog::CatalogFiles& bundled,
                                                            OpenReport* report = nullptr);

  // The current snapshot. Never null.
  std::shared_ptr<const catalog::Catalog> Snapshot() const;

  // Plans the import of `read` against the current snapshot (see
  // catalog::PlanSiteImport) and, unless `dry_run`, writes the planned sites
  // in one atomic batch and publishes a snapshot that includes them. Planning
  // and writing happen under one writer lock, so concurrent imports cannot
  // both "create" the same id. On any error nothing is written and the
  // snapshot is unchanged.
  absl::StatusOr<catalog::ImportPlan> ImportSites(const geo::ReadResult& read,
                                                  const catalog::ImportMapping& mapping,
                                                  const catalog::ImportOptions& options,
                                                  const std::string& file_name, bool dry_run);

 private:
  explicit CatalogStore(Database& db) : db_(db) {}
  absl::Status Load();

  Database& db_;
  std::mutex write_mu_;  // serialises writers
  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const catalog::Catalog> snapshot_;
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_CATALOG_STORE_H_
