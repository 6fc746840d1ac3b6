#include "access/study_sharing.h"

#include <algorithm>

namespace wetlink::access {
namespace {

bool Names(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

StudyAccess ReadAccess(const Principal& who, const StudySharing* sharing,
                       const std::string& study_id) {
  switch (who.role) {
    case Role::kAdmin:
      return StudyAccess::kFull;
    case Role::kIngest:
      return Names(who.studies, study_id) ? StudyAccess::kFull : StudyAccess::kNone;
    case Role::kResearcher:
      if (sharing == nullptr) return StudyAccess::kNone;
      if (sharing->owner == who.holder || Names(sharing->collaborators, who.holder)) {
        return StudyAccess::kFull;
      }
      return sharing->is_public ? StudyAccess::kGeneralised : StudyAccess::kNone;
    case Role::kFocalPoint:
      return StudyAccess::kNone;
  }
  return StudyAccess::kNone;
}

bool MayWrite(const Principal& who, const std::string& study_id) {
  return who.is_admin() || (who.role == Role::kIngest && Names(who.studies, study_id));
}

bool MayShare(const Principal& who, const StudySharing* sharing) {
  if (who.is_admin()) return true;
  return sharing != nullptr && !sharing->owner.empty() && sharing->owner == who.holder &&
         who.role != Role::kFocalPoint;
}

}  // namespace wetlink::access
