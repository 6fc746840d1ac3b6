// CheckNoVsiMemLeftovers (fuzz_support.h), apart because it needs GDAL:
// only the targets that read through GDAL link it.

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "cpl_string.h"
#include "cpl_vsi.h"
#include "fuzz/fuzz_support.h"

namespace wetlink::fuzz {

void CheckNoVsiMemLeftovers() {
  char** entries = VSIReadDir("/vsimem/");
  std::string left;
  for (char** entry = entries; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::string_view(*entry).starts_with("wetlink")) absl::StrAppend(&left, " ", *entry);
  }
  CSLDestroy(entries);
  Check(left.empty(), absl::StrCat("/vsimem/ still holds:", left));
}

}  // namespace wetlink::fuzz
