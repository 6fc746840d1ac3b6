#ifndef WETLINK_STORE_STORES_H_
#define WETLINK_STORE_STORES_H_

// Every store of one data folder, opened together in dependency order and
// closed in reverse: what wetlinkd and the tests open.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "catalog/catalog_json.h"
#include "store/access_store.h"
#include "store/audit_store.h"
#include "store/catalog_store.h"
#include "store/count_store.h"
#include "store/database.h"
#include "store/fix_store.h"
#include "store/registry_store.h"

namespace wetlink::store {

struct Stores {
  // Declared first so it is destroyed last.
  std::unique_ptr<Database> db;
  std::unique_ptr<CatalogStore> catalog;
  std::unique_ptr<RegistryStore> registry;
  std::unique_ptr<FixStore> fixes;
  std::unique_ptr<CountStore> counts;
  std::unique_ptr<AccessStore> access;
  std::unique_ptr<AuditStore> audit;

  // Releases the stores, then flushes and closes the database.
  absl::Status Close();
};

// Opens the database in `path` and every store in it, seeding the bundled
// catalog into a new folder. Errors name the folder.
absl::StatusOr<std::unique_ptr<Stores>> OpenStores(const std::string& path,
                                                   const DatabaseOptions& options,
                                                   const catalog::CatalogFiles& bundled,
                                                   CatalogStore::OpenReport* report = nullptr);

}  // namespace wetlink::store

#endif  // WETLINK_STORE_STORES_H_
