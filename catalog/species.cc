#include "catalog/species.h"

#include <string>

#include "catalog/one_percent.h"

namespace wetlink::catalog {

OnePercentThreshold Species::OnePercent() const {
  OnePercentThreshold t;
  if (published_one_percent.has_value()) {
    t.value = *published_one_percent;
    t.derived = false;
    t.basis = "published 1 % threshold";
    t.source = published_one_percent_source;
    return t;
  }
  t.value = WpeOnePercentThreshold(population.estimate);
  t.derived = true;
  std::string estimate = std::to_string(static_cast<long long>(population.estimate));
  t.basis = "derived: 1 % of " + estimate + " individuals (" +
            (population.year > 0 ? std::to_string(population.year) + ", " : std::string()) +
            population.source + ") rounded with the Waterbird Population Estimates rules";
  t.source = population.source;
  return t;
}

}  // namespace wetlink::catalog
