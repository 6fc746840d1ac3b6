#include "graph/flyway_queries.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wetlink::graph {

namespace {

constexpr std::size_t kMaxCachedAnswers = 512;

std::string CacheKey(const FlywayFilter& f) {
  std::vector<std::string> species = f.species;
  std::vector<std::string> studies = f.studies;
  std::vector<int> years = f.years;
  std::sort(species.begin(), species.end());
  std::sort(studies.begin(), studies.end());
  std::sort(years.begin(), years.end());
  std::string key = absl::StrCat(absl::StrJoin(species, ","), "|", absl::StrJoin(studies, ","), "|",
                                 f.season, "|", absl::StrJoin(years, ","), "|");
  if (f.window) absl::StrAppend(&key, f.window->from_ms, ",", f.window->to_ms);
  return key;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PreparedQuery>> FlywayQueries::Prepare(
    FlywayFilter filter, const std::optional<SegmentationParams>& params,
    std::string_view field_prefix) const {
  std::shared_ptr<const FlywaySnapshot> live = live_.Snapshot();
  if (absl::Status s = ValidateFilter(filter, live->catalog(), seasons_); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(std::string(field_prefix), s.message()));
  }
  for (std::string& s : filter.species) s = live->catalog().FindSpecies(s)->id;

  auto q = std::make_shared<PreparedQuery>();
  if (params && *params != live_.options().params) {
    const std::vector<std::string>& species = filter.species;
    const std::vector<std::string>& studies = filter.studies;
    auto include = [&](const IndividualInfo& info) {
      return (species.empty() ||
              std::find(species.begin(), species.end(), info.species_id) != species.end()) &&
             (studies.empty() ||
              std::find(studies.begin(), studies.end(), info.study_id) != studies.end());
    };
    auto snapshot = live_.ComputeWith(*params, include);
    if (!snapshot.ok()) return snapshot.status();
    q->snapshot = std::move(*snapshot);
    q->on_demand = true;
  } else {
    const std::string key = CacheKey(filter);
    {
      std::lock_guard lock(cache_mu_);
      if (cache_version_ != live->version()) {
        cache_.clear();
        cache_version_ = live->version();
      }
      if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    }
    q->snapshot = std::move(live);
    q->selection = Select(*q->snapshot, seasons_, filter);
    q->links = AggregateLinks(*q->snapshot, q->selection);
    q->filter = std::move(filter);
    std::lock_guard lock(cache_mu_);
    if (cache_version_ == q->snapshot->version()) {
      if (cache_.size() >= kMaxCachedAnswers) cache_.clear();
      cache_.emplace(key, q);
    }
    return std::shared_ptr<const PreparedQuery>(std::move(q));
  }
  q->selection = Select(*q->snapshot, seasons_, filter);
  q->links = AggregateLinks(*q->snapshot, q->selection);
  q->filter = std::move(filter);
  return std::shared_ptr<const PreparedQuery>(std::move(q));
}

absl::StatusOr<std::int32_t> FlywayQueries::ResolveSite(const FlywaySnapshot& snapshot,
                                                        std::string_view id,
                                                        std::string_view field) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": a site id is required"));
  if (auto node = snapshot.FindNode(id)) return *node;
  return absl::NotFoundError(absl::StrCat(std::string(field), ": site '", std::string(id),
                                          "' is neither a catalogued site nor a discovered one"));
}

}  // namespace wetlink::graph
