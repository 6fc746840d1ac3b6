#ifndef WETLINK_STORE_COUNT_STORE_H_
#define WETLINK_STORE_COUNT_STORE_H_

// The durable count-survey store. A count's identity is (site, species,
// date, survey): the key of the `counts` column family, so one site's
// counts of one species are one range scan in date order. Storing a count
// whose key is stored
//  - with the same count and attributes: a duplicate, nothing is written;
//  - with another count or attributes: it replaces the stored one (surveys
//    correct their figures after review) and is reported as updated.
// Repeats within one request are judged in the order sent.
//
// Thread-safe; writes are serialised, reads are concurrent with them.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "counts/count.h"
#include "store/database.h"

namespace wetlink::store {

struct CountPutReport {
  std::uint32_t accepted = 0;
  std::uint32_t duplicates = 0;
  std::uint32_t updated = 0;
};

struct CountQuery {
  std::string site_id;     // "" = any
  std::string species_id;  // "" = any
  std::optional<std::int32_t> from_days;  // inclusive
  std::optional<std::int32_t> to_days;    // inclusive
  std::string after_key;   // resume after this key (a page token), "" = start
  std::size_t limit = 1000;
};

struct CountPage {
  std::vector<counts::Count> counts;
  std::string last_key;  // key of the last count returned when more may follow, else ""
};

class CountStore {
 public:
  // `db` must outlive the store.
  explicit CountStore(Database& db) : db_(db) {}

  // Stores `counts` in one durable write. On error nothing was stored.
  absl::StatusOr<CountPutReport> Put(const std::vector<counts::Count>& counts);

  // Counts matching `query`, ordered by (site, species, date, survey).
  absl::StatusOr<CountPage> Find(const CountQuery& query) const;

 private:
  Database& db_;
  std::mutex write_mu_;
};

std::string CountKey(const counts::Count& count);

}  // namespace wetlink::store

#endif  // WETLINK_STORE_COUNT_STORE_H_
