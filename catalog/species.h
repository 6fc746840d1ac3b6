#ifndef WETLINK_CATALOG_SPECIES_H_
#define WETLINK_CATALOG_SPECIES_H_

// A waterbird species with its flyway population and Ramsar 1 % threshold.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wetlink::catalog {

struct PopulationEstimate {
  double estimate = 0;         // individuals; the mid-point of a range
  std::optional<double> min;   // set with max when a range is given
  std::optional<double> max;
  int year = 0;
  std::string basis;
  std::string source;
};

struct OnePercentThreshold {
  int value = 0;         // individuals
  bool derived = false;  // computed by Wetlink, not published by WPE
  std::string basis;     // how the value was obtained
  std::string source;
};

struct Species {
  std::string id;    // e.g. "grus_monacha"
  std::string code;  // e.g. "HC"
  std::string scientific_name;
  std::map<std::string, std::string> names;  // en, zh, ru, ko, ja, mn
  std::vector<std::string> weak_names;       // languages with a weak source
  bool focal = false;
  std::string iucn_category;
  int iucn_year = 0;
  std::string iucn_criteria;
  std::string iucn_source;
  PopulationEstimate population;
  std::optional<int> published_one_percent;  // a WPE value, when one exists
  std::string published_one_percent_source;
  std::string one_percent_note;
  std::string breeding;
  std::string stopover;
  std::string wintering;
  std::string timing;
  std::vector<std::string> sources;

  // The published threshold if there is one, else one derived from the
  // population with the WPE rules (see one_percent.h).
  OnePercentThreshold OnePercent() const;
};

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_SPECIES_H_
