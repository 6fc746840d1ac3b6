#ifndef WETLINK_TRACKS_TRACK_EXPORT_H_
#define WETLINK_TRACKS_TRACK_EXPORT_H_

// Streaming writers of track documents for GIS tools: GeoJSON (RFC 7946, a
// FeatureCollection of one Point per fix, Movebank attributes as
// properties) and GPX 1.1 (one <trk> per individual, a new <trkseg> where
// the tag changes). Text goes into a caller-owned buffer that the caller
// drains as it grows, so a track of any length streams in bounded memory.

#include <string>
#include <string_view>

#include "store/fix_store.h"

namespace wetlink::tracks {

struct IndividualInfo {
  std::string study_id;
  std::string individual_id;
  std::string taxon;
  std::string species_id;
};

class TrackDocumentWriter {
 public:
  virtual ~TrackDocumentWriter() = default;
  virtual void Begin(std::string& out) = 0;
  virtual void BeginIndividual(const IndividualInfo& individual, std::string& out) = 0;
  virtual void Point(const store::StoredFix& fix, std::string_view tag_id, std::string& out) = 0;
  virtual void EndIndividual(std::string& out) = 0;
  virtual void End(std::string& out) = 0;
};

class GeoJsonTrackWriter final : public TrackDocumentWriter {
 public:
  void Begin(std::string& out) override;
  void BeginIndividual(const IndividualInfo& individual, std::string& out) override;
  void Point(const store::StoredFix& fix, std::string_view tag_id, std::string& out) override;
  void EndIndividual(std::string& out) override;
  void End(std::string& out) override;

 private:
  IndividualInfo individual_;
  bool first_feature_ = true;
};

class GpxTrackWriter final : public TrackDocumentWriter {
 public:
  void Begin(std::string& out) override;
  void BeginIndividual(const IndividualInfo& individual, std::string& out) override;
  void Point(const store::StoredFix& fix, std::string_view tag_id, std::string& out) override;
  void EndIndividual(std::string& out) override;
  void End(std::string& out) override;

 private:
  bool in_segment_ = false;
  std::string segment_tag_;
};

// Shortest text that reads back as exactly `value`.
void AppendDouble(std::string& out, double value);
void AppendJsonString(std::string& out, std::string_view text);
void AppendXmlText(std::string& out, std::string_view text);

}  // namespace wetlink::tracks

#endif  // WETLINK_TRACKS_TRACK_EXPORT_H_
