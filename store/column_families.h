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
  kMeta = 0,     // "default": schema version and store-wide markers
  kSites,        // key: site id; value: wetlink.store.v1.SiteRecord
  kComplexes,    // key: complex id; value: wetlink.store.v1.ComplexRecord
  kSpecies,      // key: species id; value: wetlink.store.v1.SpeciesRecord
  kStudies,      // key: study id; value: wetlink.store.v1.StudyRecord
  kIndividuals,  // key: study id, individual id; value: IndividualRecord
  kTags,         // key: study id, tag id; value: TagRecord
  kDeployments,  // key: study id, tag id, start; value: DeploymentRecord
  kFixes,        // key: individual no., day; value: that day's fixes (fix_chunk.h)
  kTrackStats,   // key: individual no.; value: fix count, first and last time
  kCounts,       // key: site id, species id, date, survey id; value: CountRecord
  kTokens,       // key: token id; value: TokenRecord (the secret's hash only)
  kStudySharing, // key: study id; value: StudySharingRecord
  kAudit,        // key: time, sequence number; value: AuditRecord
  kCount,
};

// How RocksDB is tuned for a column family.
enum class Tuning {
  kSmall,  // a few thousand records, read at start and rarely written
  kBulk,   // millions of small records written in large batches
};

struct ColumnFamilyInfo {
  ColumnFamily family;
  std::string_view name;  // RocksDB column family name
  Tuning tuning;
};

inline constexpr std::array<ColumnFamilyInfo, static_cast<std::size_t>(ColumnFamily::kCount)>
    kColumnFamilies{{
        {ColumnFamily::kMeta, "default", Tuning::kSmall},
        {ColumnFamily::kSites, "sites", Tuning::kSmall},
        {ColumnFamily::kComplexes, "complexes", Tuning::kSmall},
        {ColumnFamily::kSpecies, "species", Tuning::kSmall},
        {ColumnFamily::kStudies, "studies", Tuning::kSmall},
        {ColumnFamily::kIndividuals, "individuals", Tuning::kSmall},
        {ColumnFamily::kTags, "tags", Tuning::kSmall},
        {ColumnFamily::kDeployments, "deployments", Tuning::kSmall},
        {ColumnFamily::kFixes, "fixes", Tuning::kBulk},
        {ColumnFamily::kTrackStats, "track_stats", Tuning::kSmall},
        {ColumnFamily::kCounts, "counts", Tuning::kBulk},
        {ColumnFamily::kTokens, "tokens", Tuning::kSmall},
        {ColumnFamily::kStudySharing, "study_sharing", Tuning::kSmall},
        {ColumnFamily::kAudit, "audit", Tuning::kSmall},
    }};

// The layout version this build reads and writes. Bump it on any
// incompatible change of a key or value layout, with a migration.
// 2: day chunks of layout version 2 (delta-coded entries, a site
// dictionary); version 1 folders are refused.
inline constexpr std::uint32_t kSchemaVersion = 2;

// Keys in the meta column family.
inline constexpr std::string_view kSchemaVersionKey = "schema_version";
inline constexpr std::string_view kCatalogSeededKey = "catalog_seeded";
// Next number to give an individual / a tag (4-byte big-endian). Fix keys
// carry these numbers rather than the free-text ids, so a key is 16 bytes.
inline constexpr std::string_view kNextIndividualNumberKey = "next_individual_number";
inline constexpr std::string_view kNextTagNumberKey = "next_tag_number";
// Sequence number of the next audit event (8-byte big-endian).
inline constexpr std::string_view kAuditNextSequenceKey = "audit_next_sequence";

}  // namespace wetlink::store

#endif  // WETLINK_STORE_COLUMN_FAMILIES_H_
