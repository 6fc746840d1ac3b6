#ifndef WETLINK_TRACKS_FIX_PRIVACY_H_
#define WETLINK_TRACKS_FIX_PRIVACY_H_

// What a caller with generalised access to a study sees of a fix of a
// sensitive species (access/location_privacy.h): nothing while it is under
// embargo, then its grid cell's centre, without the measurements (height,
// speed, heading, accuracy) that would narrow the position down again.

#include <cstdint>
#include <optional>

#include "access/location_privacy.h"
#include "store/fix_codec.h"

namespace wetlink::tracks {

std::optional<store::StoredFix> GeneraliseFix(const store::StoredFix& fix,
                                              const access::LocationPrivacy& privacy,
                                              std::int64_t now_ms);

// The newest time a caller with generalised access may see (exclusive of
// nothing: fixes at or before it are out of embargo).
inline std::int64_t EmbargoEnd(const access::LocationPrivacy& privacy, std::int64_t now_ms) {
  return now_ms - privacy.embargo_ms;
}

}  // namespace wetlink::tracks

#endif  // WETLINK_TRACKS_FIX_PRIVACY_H_
