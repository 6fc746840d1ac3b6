#ifndef WETLINK_CATALOG_ONE_PERCENT_H_
#define WETLINK_CATALOG_ONE_PERCENT_H_

// Ramsar Criterion 6 thresholds as Waterbird Population Estimates sets them:
// 1 % of the population estimate (or of a range's mid-point), rounded
//   1-10 to the nearest 1, 11-100 to the nearest 5, 101-1,000 to the nearest
//   10, above 1,000 to the nearest 100;
// populations of 2,000,000 or more get 20,000 (the Criterion 5 level).

namespace wetlink::catalog {

// The 1 % threshold, in individuals, for a population of `population`
// individuals. Returns 0 for populations below 50 (1 % rounds to nothing);
// a threshold is never below 1 otherwise.
int WpeOnePercentThreshold(double population);

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_ONE_PERCENT_H_
