#include "store/fix_codec.h"

namespace wetlink::store {

bool StoredFix::SameMeasurement(const StoredFix& o) const {
  // Bitwise equality of doubles: a re-sent fix carries the very same values,
  // and -0.0 vs 0.0 or two NaNs are not questions here (NaN is refused).
  return individual == o.individual && tag == o.tag && timestamp_ms == o.timestamp_ms &&
         lat == o.lat && lon == o.lon && height_m == o.height_m && hdop == o.hdop &&
         satellites == o.satellites && ground_speed_mps == o.ground_speed_mps &&
         heading_deg == o.heading_deg && event_id == o.event_id;
}

bool StoredFix::SameFlags(const StoredFix& o) const {
  return visible == o.visible && manually_marked_outlier == o.manually_marked_outlier &&
         manually_marked_valid == o.manually_marked_valid;
}

}  // namespace wetlink::store
