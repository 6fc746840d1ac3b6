#include "graph/segmented_individual.h"

#include "geo/geodesy.h"

namespace wetlink::graph {

std::shared_ptr<const SegmentedIndividual> MakeSegmentedIndividual(IndividualInfo info,
                                                                   TrackSegmentation segmentation) {
  auto result = std::make_shared<SegmentedIndividual>();
  result->info = std::move(info);
  result->segmentation = std::move(segmentation);
  const std::vector<Stopover>& stops = result->segmentation.stopovers;
  for (std::size_t i = 0; i + 1 < stops.size(); ++i) {
    result->leg_distance_m.push_back(
        geo::GeodesicDistanceM({stops[i].lat, stops[i].lon}, {stops[i + 1].lat, stops[i + 1].lon}));
  }
  return result;
}

}  // namespace wetlink::graph
