#ifndef WETLINK_STORE_LOAD_RECORDS_H_
#define WETLINK_STORE_LOAD_RECORDS_H_

// Reading a whole small column family (catalog, registry) at start, for the
// store's own .cc files.

#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "store/database.h"

namespace wetlink::store {

// Decodes every record of `family` with `decode(key, value)` (which returns
// an absl::StatusOr<T>), in key order. The first decode error is returned.
template <typename T, typename Decode>
absl::StatusOr<std::vector<T>> LoadRecords(const Database& db, ColumnFamily family,
                                           Decode decode) {
  std::vector<T> out;
  absl::Status decode_status = absl::OkStatus();
  absl::Status scan = db.Scan(family, "", [&](std::string_view key, std::string_view value) {
    auto record = decode(key, value);
    if (!record.ok()) {
      decode_status = record.status();
      return false;
    }
    out.push_back(std::move(*record));
    return true;
  });
  if (!scan.ok()) return scan;
  if (!decode_status.ok()) return decode_status;
  return out;
}

}  // namespace wetlink::store

#endif  // WETLINK_STORE_LOAD_RECORDS_H_
