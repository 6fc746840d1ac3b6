#include "catalog/catalog.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace wetlink::catalog {
namespace {

template <typename T>
void SortById(std::vector<T>& items) {
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.id < b.id; });
}

std::vector<geo::MultiPolygon> Geometries(const std::vector<Site>& sites) {
  std::vector<geo::MultiPolygon> out;
  out.reserve(sites.size());
  for (const Site& s : sites) out.push_back(s.geometry);
  return out;
}

template <typename T>
const T* FindById(const std::vector<T>& sorted, std::string_view id) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), id,
                             [](const T& item, std::string_view key) { return item.id < key; });
  return it != sorted.end() && it->id == id ? &*it : nullptr;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::vector<Site> Sorted(std::vector<Site> sites) {
  SortById(sites);
  return sites;
}

}  // namespace

Catalog::Catalog(std::vector<Site> sites, std::vector<Complex> complexes,
                 std::vector<Species> species)
    : sites_(Sorted(std::move(sites))),
      complexes_(std::move(complexes)),
      species_(std::move(species)),
      index_(Geometries(sites_)) {
  SortById(complexes_);
  SortById(species_);
}

const Site* Catalog::FindSite(std::string_view id) const { return FindById(sites_, id); }

const Complex* Catalog::FindComplex(std::string_view id) const {
  return FindById(complexes_, id);
}

const Species* Catalog::FindSpecies(std::string_view id_or_code) const {
  if (const Species* s = FindById(species_, id_or_code)) return s;
  for (const Species& s : species_) {
    if (EqualsIgnoreCase(s.code, id_or_code)) return &s;
  }
  return nullptr;
}

const Species* Catalog::FindSpeciesByAnyName(std::string_view name) const {
  if (const Species* s = FindSpecies(name)) return s;
  for (const Species& s : species_) {
    if (EqualsIgnoreCase(s.scientific_name, name)) return &s;
  }
  return nullptr;
}

std::vector<const Site*> Catalog::Query(const SiteFilter& filter) const {
  std::vector<std::size_t> candidates;
  if (filter.bbox.has_value()) {
    candidates = index_.Intersecting(*filter.bbox);  // ascending = id order
  } else {
    candidates.resize(sites_.size());
    for (std::size_t i = 0; i < sites_.size(); ++i) candidates[i] = i;
  }
  std::vector<const Site*> out;
  for (std::size_t i : candidates) {
    const Site& s = sites_[i];
    if (!filter.countries.empty() &&
        std::find(filter.countries.begin(), filter.countries.end(), s.country) ==
            filter.countries.end()) {
      continue;
    }
    if (!filter.complex_id.empty() && s.complex_id != filter.complex_id) continue;
    if (filter.designation.has_value() && !s.HasDesignation(*filter.designation)) continue;
    out.push_back(&s);
  }
  return out;
}

std::vector<const Site*> Catalog::SitesContaining(const geo::Point& p) const {
  std::vector<const Site*> out;
  for (std::size_t i : index_.Containing(p)) out.push_back(&sites_[i]);
  return out;
}

std::vector<std::string> Catalog::ComplexMembers(std::string_view complex_id) const {
  std::vector<std::string> ids;
  for (const Site& s : sites_) {
    if (s.complex_id == complex_id) ids.push_back(s.id);
  }
  return ids;
}

}  // namespace wetlink::catalog
