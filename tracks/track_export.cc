#include "tracks/track_export.h"

#include <charconv>
#include <cstdio>

#include "telemetry/timestamp.h"

namespace wetlink::tracks {
namespace {

// ISO 8601 UTC with milliseconds, as GeoJSON consumers and GPX expect.
void AppendIsoTime(std::string& out, telemetry::TimestampMs t) {
  std::string text = telemetry::FormatTimestamp(t);  // "yyyy-MM-dd HH:mm:ss.SSS"
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  out += text;
  out += 'Z';
}

void AppendOptionalNumber(std::string& out, std::string_view name,
                          const std::optional<double>& value) {
  out += ",\"";
  out += name;
  out += "\":";
  if (value) {
    AppendDouble(out, *value);
  } else {
    out += "null";
  }
}

}  // namespace

void AppendDouble(std::string& out, double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, ec == std::errc() ? end : buf);
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendXmlText(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
}

void GeoJsonTrackWriter::Begin(std::string& out) {
  out += "{\"type\":\"FeatureCollection\",\"features\":[";
}

void GeoJsonTrackWriter::BeginIndividual(const IndividualInfo& individual, std::string&) {
  individual_ = individual;
}

void GeoJsonTrackWriter::Point(const store::StoredFix& fix, std::string_view tag_id,
                               std::string& out) {
  if (!first_feature_) out += ',';
  first_feature_ = false;
  out += "\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[";
  AppendDouble(out, fix.lon);
  out += ',';
  AppendDouble(out, fix.lat);
  out += "]},\"properties\":{\"study\":";
  AppendJsonString(out, individual_.study_id);
  out += ",\"individual-local-identifier\":";
  AppendJsonString(out, individual_.individual_id);
  out += ",\"individual-taxon-canonical-name\":";
  AppendJsonString(out, individual_.taxon);
  out += ",\"species\":";
  AppendJsonString(out, individual_.species_id);
  out += ",\"tag-local-identifier\":";
  AppendJsonString(out, tag_id);
  out += ",\"timestamp\":\"";
  AppendIsoTime(out, fix.timestamp_ms);
  out += "\"";
  AppendOptionalNumber(out, "height-above-ellipsoid", fix.height_m);
  AppendOptionalNumber(out, "gps:hdop", fix.hdop);
  AppendOptionalNumber(out, "gps:satellite-count",
                       fix.satellites ? std::optional<double>(*fix.satellites) : std::nullopt);
  AppendOptionalNumber(out, "ground-speed", fix.ground_speed_mps);
  AppendOptionalNumber(out, "heading", fix.heading_deg);
  out += ",\"event-id\":";
  out += fix.event_id ? std::to_string(*fix.event_id) : std::string("null");
  out += ",\"visible\":";
  out += fix.visible ? "true" : "false";
  out += ",\"manually-marked-outlier\":";
  out += fix.manually_marked_outlier ? (*fix.manually_marked_outlier ? "true" : "false") : "null";
  out += ",\"manually-marked-valid\":";
  out += fix.manually_marked_valid ? (*fix.manually_marked_valid ? "true" : "false") : "null";
  out += ",\"site\":";
  AppendJsonString(out, fix.site_id);
  out += "}}";
}

void GeoJsonTrackWriter::EndIndividual(std::string&) {}

void GeoJsonTrackWriter::End(std::string& out) { out += "\n]}\n"; }

void GpxTrackWriter::Begin(std::string& out) {
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gpx version=\"1.1\" creator=\"Wetlink\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n";
}

void GpxTrackWriter::BeginIndividual(const IndividualInfo& individual, std::string& out) {
  out += "<trk><name>";
  AppendXmlText(out, individual.individual_id);
  out += "</name><desc>";
  AppendXmlText(out, individual.taxon.empty() ? individual.species_id : individual.taxon);
  out += "</desc><src>";
  AppendXmlText(out, individual.study_id);
  out += "</src>\n";
  in_segment_ = false;
}

void GpxTrackWriter::Point(const store::StoredFix& fix, std::string_view tag_id,
                           std::string& out) {
  if (!in_segment_ || segment_tag_ != tag_id) {
    if (in_segment_) out += "</trkseg>\n";
    out += "<trkseg>\n";
    in_segment_ = true;
    segment_tag_ = std::string(tag_id);
  }
  out += "<trkpt lat=\"";
  AppendDouble(out, fix.lat);
  out += "\" lon=\"";
  AppendDouble(out, fix.lon);
  out += "\"><time>";
  AppendIsoTime(out, fix.timestamp_ms);
  out += "</time>";
  // GPX <ele> is height above mean sea level; Wetlink stores height above
  // the ellipsoid, so it is not written as <ele>.
  if (fix.satellites) out += "<sat>" + std::to_string(*fix.satellites) + "</sat>";
  if (fix.hdop) {
    out += "<hdop>";
    AppendDouble(out, *fix.hdop);
    out += "</hdop>";
  }
  out += "</trkpt>\n";
}

void GpxTrackWriter::EndIndividual(std::string& out) {
  if (in_segment_) out += "</trkseg>\n";
  in_segment_ = false;
  out += "</trk>\n";
}

void GpxTrackWriter::End(std::string& out) { out += "</gpx>\n"; }

}  // namespace wetlink::tracks
