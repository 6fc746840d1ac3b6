#include "reports/site_report.h"

namespace wetlink::reports {

const catalog::Species* SiteReport::FindSpecies(std::string_view id) const {
  for (const catalog::Species& s : species) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

}  // namespace wetlink::reports
