#ifndef WETLINK_SIM_MOVEBANK_CSV_H_
#define WETLINK_SIM_MOVEBANK_CSV_H_

// Writers for simulated data in Movebank's CSV layouts: the event table
// (one row per delivered fix) and the reference data (one row per
// deployment). Attribute names follow the Movebank attribute dictionary.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/itinerary.h"
#include "sim/sim_fix.h"

namespace wetlink::sim {

// event-id,visible,timestamp,location-long,location-lat,height-above-ellipsoid,
// gps:hdop,gps:satellite-count,ground-speed,heading,manually-marked-outlier,
// sensor-type,individual-taxon-canonical-name,tag-local-identifier,
// individual-local-identifier,study-name
//
// timestamp is "yyyy-MM-dd HH:mm:ss.SSS" UTC; lat/lon carry 7 decimals
// (~1 cm), height and hdop 1, ground-speed (m/s) 2, heading (degrees) 1;
// unset optional values are empty; visible is "true"/"false".
inline constexpr std::string_view kMovebankEventHeader =
    "event-id,visible,timestamp,location-long,location-lat,height-above-ellipsoid,gps:hdop,"
    "gps:satellite-count,ground-speed,heading,manually-marked-outlier,sensor-type,"
    "individual-taxon-canonical-name,tag-local-identifier,individual-local-identifier,study-name";

// A CSV field, quoted when it holds a comma, quote or line break.
std::string CsvField(std::string_view s);

// Buffered event-table writer. Formats numbers by hand (std::to_chars on
// scaled integers) because this is the hot path of multi-million-row runs.
class MovebankEventWriter {
 public:
  // `out` must outlive the writer. Writes the header line at once.
  MovebankEventWriter(std::ostream& out, const SimPlan& plan, std::string_view study_name);
  ~MovebankEventWriter();
  MovebankEventWriter(const MovebankEventWriter&) = delete;
  MovebankEventWriter& operator=(const MovebankEventWriter&) = delete;

  void Write(const SimFix& fix);
  // Writes out the buffer; also done by the destructor.
  void Flush();

 private:
  std::ostream& out_;
  std::vector<std::string> tails_;  // per individual: ",gps,<taxon>,<tag>,<id>,<study>\n"
  std::vector<char> buf_;  // fixed capacity; rows are formatted in place
  size_t used_ = 0;
};

// Appends one event row (with newline) for `fix` sent by `ind`.
void AppendMovebankEventRow(const SimFix& fix, const SimIndividual& ind, std::string_view study_name,
                            std::string* out);

// Reference data, one row per deployment:
// tag-id,animal-id,animal-taxon,animal-sex,animal-life-stage,deploy-on-date,
// deploy-off-date,deploy-on-latitude,deploy-on-longitude,study-site
// Dates use the event timestamp format; the deploy-on position is the
// first roost; study-site is the wintering site where the birds were tagged.
inline constexpr std::string_view kMovebankReferenceHeader =
    "tag-id,animal-id,animal-taxon,animal-sex,animal-life-stage,deploy-on-date,deploy-off-date,"
    "deploy-on-latitude,deploy-on-longitude,study-site";

void WriteMovebankReference(const SimPlan& plan, std::ostream& out);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_MOVEBANK_CSV_H_
