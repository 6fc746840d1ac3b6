#ifndef WETLINK_DATA_BUNDLED_COUNTRIES_H_
#define WETLINK_DATA_BUNDLED_COUNTRIES_H_

// The country boundaries shipped with Wetlink (data/countries/), built into
// the binary: Natural Earth 1:50m admin-0 polygons as world-atlas TopoJSON,
// with ISO 3166-1 numeric ids mapped to alpha-2 codes. data/countries/README.md
// says where they come from, which features have no code, and how accurate
// the borders are.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "geo/country_index.h"
#include "geo/geometry.h"

namespace wetlink::data {

// The text of data/countries/countries-50m.json (TopoJSON; the "countries"
// object's features carry the ISO 3166-1 numeric code as "id").
std::string_view CountryBoundariesJson();

// The text of data/countries/iso3166_numeric_alpha2.json.
std::string_view CountryCodeTableJson();

// The index of the bundled boundaries, parsed on first call (a few hundred
// milliseconds) and shared by every later call and thread. An error (the
// bundled data failing to parse, which the tests rule out) is returned again
// on every call.
absl::StatusOr<std::shared_ptr<const geo::CountryIndex>> BundledCountries();

// The bundled country outlines as (ISO alpha-2 code, outline) in WGS84,
// for drawing maps; features without a code are left out. Parsed on first
// call and shared, like BundledCountries.
using CountryOutlines = std::vector<std::pair<std::string, geo::MultiPolygon>>;
absl::StatusOr<std::shared_ptr<const CountryOutlines>> BundledCountryOutlines();

}  // namespace wetlink::data

#endif  // WETLINK_DATA_BUNDLED_COUNTRIES_H_
