#ifndef WETLINK_STORE_FIX_STORE_H_
#define WETLINK_STORE_FIX_STORE_H_

// The durable fix store: commits batches of resolved fixes idempotently and
// reads tracks back. Each commit is one atomic, synced RocksDB write; a fix
// is acknowledged only after it returns.
//
// Idempotency: a fix's identity is (individual, timestamp, tag). Committing
// a fix whose key is stored
//  - with the same measurements and flags: a duplicate, nothing is written;
//  - with the same measurements, other outlier flags: the flags are updated
//    (upstream outlier annotation changes; measurements never do);
//  - with other measurements: a conflict, refused, the stored fix is kept.
// Repeats of a key within one batch are judged the same way, in the order
// sent, against the stored fix or else the batch's first version.
//
// Fixes are stored in day chunks (fix_chunk.h): a commit reads the chunks it
// touches, merges and rewrites them. A chunk is read only if it can exist: a
// day outside the individual's stored time span has none, so in-order
// uploads opening a new day read nothing, and fixes after the individual's
// last stored one are appended to the stored chunk's bytes without decoding
// its fixes (ChunkEncoder::Resume).
//
// Thread-safe; commits are serialised (the duplicate decision and the write
// must not interleave), reads are concurrent with commits.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/database.h"
#include "store/fix_codec.h"

namespace wetlink::store {

struct TrackStats {
  std::uint64_t fix_count = 0;
  telemetry::TimestampMs first_ms = 0;
  telemetry::TimestampMs last_ms = 0;

  bool operator==(const TrackStats&) const = default;
};

struct FixToCommit {
  StoredFix fix;
  std::uint32_t index = 0;  // position in the client's request, for reports
};

struct CommitReport {
  std::uint32_t accepted = 0;
  std::uint32_t duplicates = 0;
  std::uint32_t updated = 0;
  // Refused for carrying other measurements than the stored fix of the same
  // key (index in the request, message for humans).
  std::vector<std::pair<std::uint32_t, std::string>> conflicts;
};

class FixStore {
 public:
  // Loads per-individual statistics. `db` must outlive the store.
  static absl::StatusOr<std::unique_ptr<FixStore>> Open(Database& db);

  // Stores `fixes` (any order; keys may repeat within the batch) in one
  // durable write. May reorder `fixes`. On error nothing was stored.
  absl::StatusOr<CommitReport> Commit(std::vector<FixToCommit>& fixes);

  std::optional<TrackStats> Stats(std::uint32_t individual) const;
  std::map<std::uint32_t, TrackStats> AllStats() const;

  // Calls `visit` for each fix of `individual` with from_ms <= time < to_ms
  // in time order (then tag number), until it returns false.
  absl::Status ScanTrack(std::uint32_t individual, telemetry::TimestampMs from_ms,
                         telemetry::TimestampMs to_ms,
                         const std::function<bool(const StoredFix&)>& visit) const;

  // The same with only each fix's position, flags and site decoded: what
  // the flyway analyses read, several times faster.
  absl::Status ScanPositions(std::uint32_t individual, telemetry::TimestampMs from_ms,
                             telemetry::TimestampMs to_ms,
                             const std::function<bool(const FixPosition&)>& visit) const;

 private:
  explicit FixStore(Database& db) : db_(db) {}

  Database& db_;
  std::mutex commit_mu_;
  mutable std::mutex stats_mu_;
  std::map<std::uint32_t, TrackStats> stats_;
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_FIX_STORE_H_
