#include "services/count_proto.h"

namespace wetlink::services {

counts::RawCount RawCountFromProto(const v1::Count& in) {
  counts::RawCount out;
  out.survey_id = in.survey_id();
  out.site_id = in.site_id();
  out.date = in.date();
  out.species = in.species();
  if (in.has_count()) out.count = in.count();
  out.method = in.method();
  out.observer = in.observer();
  out.organisation = in.organisation();
  out.notes = in.notes();
  return out;
}

void CountToProto(const counts::Count& count, v1::Count* out) {
  out->set_survey_id(count.survey_id);
  out->set_site_id(count.site_id);
  out->set_date(counts::FormatSurveyDate(count.date_days));
  out->set_species(count.species_id);
  out->set_count(count.count);
  out->set_method(std::string(counts::SurveyMethodName(count.method)));
  out->set_observer(count.observer);
  out->set_organisation(count.organisation);
  out->set_notes(count.notes);
}

}  // namespace wetlink::services
