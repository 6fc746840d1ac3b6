#ifndef WETLINK_STORE_COLUMN_FAMILIES_H_
#define WETLINK_STORE_COLUMN_FAMILIES_H_

// The column families of the Wetlink store: one per record kind, declared in
// this one table. docs/STORAGE.md documents each key and value layout.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wetlink::store {

enum class ColumnFamily : std::size_t {
  kMeta = 0,   // "default": schema version and store-wide markers
  kSites,      // key: site id; value: wetlink.store.v1.SiteRecord
  kComplexes,  // key: complex id; value: wetlink.store.v1.ComplexRecord
  kSpecies,    // key: species id; value: wetlink.store.v1.SpeciesRecord
  kCount,
};

struct ColumnFamilyInfo {
  ColumnFamily family;
  std::string_view name;  // RocksDB column family name
};

inline constexpr std::array<ColumnFamilyInfo, static_cast<std::size_t>(ColumnFamily::kCount)>
    kColumnFamilies{{
        {ColumnFamily::kMeta, "default"},
        {ColumnFamily::kSites, "sites"},
        {ColumnFamily::kComplexes, "complexes"},
        {ColumnFamily::kSpecies, "species"},
    }};

// The layout version this build reads and writes. Bump it on any
// incompatible change of a key or value layout, with a migration.
inline constexpr std::uint32_t kSchemaVersion = 1;

// Keys in the meta column family.
inline constexpr std::string_view kSchemaVersionKey = "schema_version";
inline constexpr std::string_view kCatalogSeededKey = "catalog_seeded";

}  // namespace wetlink::store

#endif  // WETLINK_STORE_COLUMN_FAMILIES_H_
