#ifndef WETLINK_TESTS_COUNTS_COUNTS_TESTING_H_
#define WETLINK_TESTS_COUNTS_COUNTS_TESTING_H_

// Shared by the count tests: the bundled catalog (the sites and species
// counts are checked against in production) and a fixed "today".

#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "data/bundled_catalog.h"
#include "telemetry/timestamp.h"

namespace wetlink::counts::testing {

inline constexpr std::int32_t kToday =
    static_cast<std::int32_t>(telemetry::DaysFromCivil(2025, 1, 1));

// Built once and never freed: tests only read it, from any test.
inline const catalog::Catalog& BundledCatalog() {
  static const catalog::Catalog* const kCatalog = [] {
    auto parsed = catalog::ParseCatalog(data::BundledCatalogFiles());
    if (!parsed.ok()) {
      std::cerr << "bundled catalog does not parse: " << parsed.status() << "\n";
      std::abort();
    }
    return new catalog::Catalog(std::move(parsed->sites), std::move(parsed->complexes),
                                std::move(parsed->species));
  }();
  return *kCatalog;
}

}  // namespace wetlink::counts::testing

#endif  // WETLINK_TESTS_COUNTS_COUNTS_TESTING_H_
