#ifndef WETLINK_CATALOG_CATALOG_H_
#define WETLINK_CATALOG_CATALOG_H_

// An immutable snapshot of the site catalog and species list, with a spatial
// index over the site geometries. Built once; then safe to read from any
// number of threads. Writers build a new snapshot and swap it in (see
// store/catalog_store.h).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/site.h"
#include "catalog/species.h"
#include "geo/geometry.h"
#include "geo/polygon_index.h"

namespace wetlink::catalog {

// Every set field must match; an empty filter matches every site.
struct SiteFilter {
  std::vector<std::string> countries;  // any of them
  std::string complex_id;
  std::optional<DesignationKind> designation;
  std::optional<geo::Box> bbox;  // geometry intersects the box
};

class Catalog {
 public:
  Catalog() : Catalog({}, {}, {}) {}
  Catalog(std::vector<Site> sites, std::vector<Complex> complexes, std::vector<Species> species);

  // Sorted by id.
  const std::vector<Site>& sites() const { return sites_; }
  const std::vector<Complex>& complexes() const { return complexes_; }
  const std::vector<Species>& species() const { return species_; }

  const Site* FindSite(std::string_view id) const;
  const Complex* FindComplex(std::string_view id) const;
  // By id ("grus_monacha") or code ("HC", case-insensitive).
  const Species* FindSpecies(std::string_view id_or_code) const;
  // By id, code or scientific name ("Grus monacha", case-insensitive): how
  // taxa arrive from Movebank (individual-taxon-canonical-name) and surveys.
  const Species* FindSpeciesByAnyName(std::string_view name) const;

  // Sites matching `filter`, sorted by id.
  std::vector<const Site*> Query(const SiteFilter& filter) const;

  // Sites whose geometry covers `p` (boundary included), sorted by id.
  std::vector<const Site*> SitesContaining(const geo::Point& p) const;

  // Ids of the sites of a complex, sorted.
  std::vector<std::string> ComplexMembers(std::string_view complex_id) const;

 private:
  std::vector<Site> sites_;
  std::vector<Complex> complexes_;
  std::vector<Species> species_;
  geo::PolygonIndex index_;  // ids are positions in sites_
};

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_CATALOG_H_
