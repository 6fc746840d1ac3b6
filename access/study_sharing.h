#ifndef WETLINK_ACCESS_STUDY_SHARING_H_
#define WETLINK_ACCESS_STUDY_SHARING_H_

// Who may read a study, in Movebank's spirit: its owner and collaborators see
// everything; when the study is public every researcher may read it, with
// the locations of sensitive species generalised (location_privacy.h).

#include <string>
#include <vector>

#include "access/principal.h"

namespace wetlink::access {

struct StudySharing {
  std::string study_id;
  std::string owner;                       // a token holder
  std::vector<std::string> collaborators;  // token holders, sorted, unique
  bool is_public = false;
};

enum class StudyAccess {
  kNone,         // may not see that the study holds anything
  kGeneralised,  // may read it; sensitive species' locations generalised
  kFull,         // may read it exactly
};

// How `who` may read the study shared as `sharing` (nullptr: the study has
// no sharing record, so only admins and its ingest tokens may read it).
StudyAccess ReadAccess(const Principal& who, const StudySharing* sharing,
                       const std::string& study_id);

// Whether `who` may create the study, write fixes, reference data or
// deployments into it: admins, and ingest tokens naming it.
bool MayWrite(const Principal& who, const std::string& study_id);

// Whether `who` may change the study's sharing: admins and its owner.
bool MayShare(const Principal& who, const StudySharing* sharing);

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_STUDY_SHARING_H_
