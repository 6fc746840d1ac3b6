#include "catalog/one_percent.h"

#include <cmath>

namespace wetlink::catalog {
namespace {

int RoundToNearest(double value, int step) {
  return static_cast<int>(std::lround(value / step)) * step;
}

}  // namespace

int WpeOnePercentThreshold(double population) {
  if (!(population > 0)) return 0;
  if (population >= 2'000'000) return 20'000;
  const double one_percent = population / 100.0;
  if (one_percent < 0.5) return 0;
  // The bands apply to the 1 % value before rounding; a value that rounds up
  // into the next band keeps its own band's step (WPE tables do the same).
  if (one_percent < 10.5) return static_cast<int>(std::lround(one_percent));
  if (one_percent <= 100) return RoundToNearest(one_percent, 5);
  if (one_percent <= 1000) return RoundToNearest(one_percent, 10);
  return RoundToNearest(one_percent, 100);
}

}  // namespace wetlink::catalog
