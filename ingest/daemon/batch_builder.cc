#include "ingest/daemon/batch_builder.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

namespace wetlink::ingest::daemon {

BuiltBatch BuildBatch(FixRowBatch& rows, std::uint64_t sequence, const BatchOptions& options) {
  BuiltBatch out;
  v1::FixBatch& message = out.message;
  message.set_sequence(sequence);
  message.set_study_id(options.study_id);
  message.set_auto_register(options.auto_register);
  message.mutable_fixes()->Reserve(static_cast<int>(rows.rows.size()));

  std::unordered_map<std::string, std::uint32_t> tags;
  std::map<std::pair<std::string, std::string>, std::uint32_t> individuals;
  out.lines.lines.reserve(rows.rows.size());
  for (const FixRow& row : rows.rows) {
    const telemetry::Fix& in = row.fix;
    v1::Fix* fix = message.add_fixes();

    auto [tag, new_tag] = tags.try_emplace(in.tag_id, static_cast<std::uint32_t>(tags.size()));
    if (new_tag) message.add_tags(in.tag_id);
    fix->set_tag(tag->second);

    if (!row.individual_local_identifier.empty()) {
      auto [individual, new_individual] = individuals.try_emplace(
          std::make_pair(row.individual_local_identifier, row.taxon),
          static_cast<std::uint32_t>(individuals.size() + 1));
      if (new_individual) {
        v1::IndividualRef* ref = message.add_individuals();
        ref->set_id(row.individual_local_identifier);
        ref->set_taxon(row.taxon);
      }
      fix->set_individual(individual->second);
    }

    fix->set_timestamp_ms(in.timestamp_ms);
    fix->set_lat(in.lat);
    fix->set_lon(in.lon);
    if (in.height_m) fix->set_height_m(*in.height_m);
    if (in.hdop) fix->set_hdop(*in.hdop);
    if (in.satellites) fix->set_satellites(*in.satellites);
    if (in.ground_speed_mps) fix->set_ground_speed_mps(*in.ground_speed_mps);
    if (in.heading_deg) fix->set_heading_deg(*in.heading_deg);
    if (in.event_id) fix->set_event_id(*in.event_id);
    if (!in.visible) fix->set_visible(false);
    if (in.manually_marked_outlier) fix->set_manually_marked_outlier(*in.manually_marked_outlier);
    if (in.manually_marked_valid) fix->set_manually_marked_valid(*in.manually_marked_valid);

    out.lines.lines.push_back(row.line);
  }

  BatchLines& lines = out.lines;
  lines.parse_rejections = std::move(rows.rejections);
  rows.rejections.clear();
  lines.source_rows = lines.lines.size() + lines.parse_rejections.size();
  bool first = true;
  auto extend = [&](std::size_t line) {
    if (first) {
      lines.first_line = lines.last_line = line;
      first = false;
    } else {
      lines.first_line = std::min(lines.first_line, line);
      lines.last_line = std::max(lines.last_line, line);
    }
  };
  for (std::size_t line : lines.lines) extend(line);
  for (const RowRejection& r : lines.parse_rejections) extend(r.line);
  return out;
}

std::size_t LineOfFix(const BatchLines& lines, std::uint32_t index) {
  return index < lines.lines.size() ? lines.lines[index] : 0;
}

}  // namespace wetlink::ingest::daemon
