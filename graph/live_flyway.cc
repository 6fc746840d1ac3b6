#include "graph/live_flyway.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/incremental_segmentation.h"

namespace wetlink::graph {
namespace {

constexpr telemetry::TimestampMs kAllTimeFrom = std::numeric_limits<telemetry::TimestampMs>::min();
constexpr telemetry::TimestampMs kAllTimeTo = std::numeric_limits<telemetry::TimestampMs>::max();

}  // namespace

LiveFlyway::LiveFlyway(const TrackSource& source, CatalogProvider catalog, CountryLookup countries,
                       LiveFlywayOptions options)
    : source_(source),
      catalog_provider_(std::move(catalog)),
      countries_(std::move(countries)),
      options_(options) {
  segmented_catalog_ = catalog_provider_();
  snapshot_ = FlywaySnapshot::Build(segmented_catalog_, countries_, {}, options_.params, 0,
                                    options_.discovered_sites);
}

LiveFlyway::~LiveFlyway() { Stop(); }

absl::StatusOr<LiveFlyway::Segmented> LiveFlyway::SegmentAll(
    const SegmentationParams& params, const catalog::Catalog& catalog,
    const std::function<bool(const IndividualInfo&)>& include, RebuildStats* stats) const {
  auto listed = source_.Individuals();
  if (!listed.ok()) return listed.status();
  std::vector<IndividualInfo> individuals;
  for (IndividualInfo& info : *listed) {
    if (!include || include(info)) individuals.push_back(std::move(info));
  }
  std::vector<std::shared_ptr<const SegmentedIndividual>> results(individuals.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> fixes{0};
  std::mutex error_mu;
  absl::Status error;
  auto work = [&] {
    std::vector<TrackPoint> points;
    for (std::size_t i = next++; i < individuals.size(); i = next++) {
      absl::Status read =
          source_.ReadTrack(individuals[i].number, kAllTimeFrom, kAllTimeTo, catalog, points);
      if (!read.ok()) {
        std::lock_guard lock(error_mu);
        if (error.ok()) error = read;
        return;
      }
      fixes += points.size();
      results[i] = MakeSegmentedIndividual(individuals[i], SegmentTrack(points, params));
    }
  };
  const int threads = std::max(1, options_.rebuild_threads);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (!error.ok()) return error;
  Segmented segmented;
  for (auto& r : results) segmented.emplace(r->info.number, std::move(r));
  if (stats != nullptr) {
    stats->individuals = static_cast<std::uint32_t>(segmented.size());
    stats->fixes = fixes;
  }
  return segmented;
}

absl::StatusOr<RebuildStats> LiveFlyway::Rebuild() {
  const auto started = std::chrono::steady_clock::now();
  std::lock_guard lock(update_mu_);
  std::shared_ptr<const catalog::Catalog> catalog = catalog_provider_();
  RebuildStats stats;
  auto segmented = SegmentAll(options_.params, *catalog, nullptr, &stats);
  if (!segmented.ok()) return segmented.status();
  segmented_ = std::move(*segmented);
  segmented_catalog_ = catalog;
  Publish(std::move(catalog));
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

absl::Status LiveFlyway::ApplyChanges(const std::map<std::uint32_t, Dirty>& dirty) {
  std::shared_ptr<const catalog::Catalog> catalog = catalog_provider_();
  if (catalog != segmented_catalog_) {
    // Site positions may have moved: every stored site index is stale.
    auto segmented = SegmentAll(options_.params, *catalog, nullptr, nullptr);
    if (!segmented.ok()) return segmented.status();
    segmented_ = std::move(*segmented);
    segmented_catalog_ = catalog;
    Publish(std::move(catalog));
    return absl::OkStatus();
  }
  std::vector<TrackPoint> points;
  for (const auto& [number, range] : dirty) {
    auto info = source_.Individual(number);
    if (!info.ok()) return info.status();
    if (!info->has_value()) continue;  // fixes of an individual the registry no longer has
    auto existing = segmented_.find(number);
    if (existing == segmented_.end()) {
      if (auto s = source_.ReadTrack(number, kAllTimeFrom, kAllTimeTo, *catalog, points); !s.ok())
        return s;
      segmented_[number] =
          MakeSegmentedIndividual(std::move(**info), SegmentTrack(points, options_.params));
      continue;
    }
    const TrackSegmentation& old = existing->second->segmentation;
    const ResegmentPlan plan = PlanResegment(old, range.from_ms, range.to_ms, options_.params);
    if (auto s = source_.ReadTrack(number, plan.read.from_ms, plan.read.to_ms, *catalog, points);
        !s.ok())
      return s;
    existing->second = MakeSegmentedIndividual(
        std::move(**info), SpliceSegmentation(old, plan, points, options_.params));
  }
  Publish(std::move(catalog));
  return absl::OkStatus();
}

void LiveFlyway::Publish(std::shared_ptr<const catalog::Catalog> catalog) {
  std::vector<std::shared_ptr<const SegmentedIndividual>> individuals;
  individuals.reserve(segmented_.size());
  for (const auto& [number, ind] : segmented_) individuals.push_back(ind);
  auto next = FlywaySnapshot::Build(std::move(catalog), countries_, std::move(individuals),
                                    options_.params, ++version_, options_.discovered_sites);
  std::lock_guard lock(snapshot_mu_);
  snapshot_ = std::move(next);
}

std::shared_ptr<const FlywaySnapshot> LiveFlyway::Snapshot() const {
  std::lock_guard lock(snapshot_mu_);
  return snapshot_;
}

void LiveFlyway::NoteFixes(std::uint32_t individual, telemetry::TimestampMs from_ms,
                           telemetry::TimestampMs to_ms) {
  {
    std::lock_guard lock(dirty_mu_);
    auto [it, inserted] = dirty_.try_emplace(individual, Dirty{from_ms, to_ms});
    if (!inserted) {
      it->second.from_ms = std::min(it->second.from_ms, from_ms);
      it->second.to_ms = std::max(it->second.to_ms, to_ms);
    }
    ++noted_;
  }
  dirty_cv_.notify_one();
}

void LiveFlyway::Start() {
  std::lock_guard lock(dirty_mu_);
  if (running_) return;
  running_ = true;
  stopping_ = false;
  worker_ = std::thread([this] { Run(); });
}

void LiveFlyway::Stop() {
  {
    std::lock_guard lock(dirty_mu_);
    if (!running_) return;
    stopping_ = true;
  }
  dirty_cv_.notify_all();
  worker_.join();
  std::lock_guard lock(dirty_mu_);
  running_ = false;
  applied_cv_.notify_all();
}

void LiveFlyway::Run() {
  std::chrono::milliseconds last_apply{0};
  std::unique_lock lock(dirty_mu_);
  while (true) {
    const bool woken = dirty_cv_.wait_for(lock, options_.catalog_check,
                                          [&] { return stopping_ || !dirty_.empty(); });
    if (stopping_) return;
    if (woken) {
      // Under heavy ingest an update may take a while: waiting four times as
      // long as the last one keeps the worker to a fifth of a core, so
      // ingest keeps its speed while updates still land well within 1 s.
      dirty_cv_.wait_for(lock, std::max(options_.coalesce, 4 * last_apply),
                         [&] { return stopping_; });
      if (stopping_) return;
    }
    // Idle: nothing to apply, unless the catalog changed (ApplyChanges then
    // rebuilds everything).
    std::map<std::uint32_t, Dirty> batch = std::move(dirty_);
    dirty_.clear();
    const std::uint64_t target = noted_;
    lock.unlock();
    absl::Status status;
    const auto started = std::chrono::steady_clock::now();
    {
      std::lock_guard update(update_mu_);
      if (!batch.empty() || catalog_provider_() != segmented_catalog_) {
        status = ApplyChanges(batch);
      }
    }
    last_apply = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    lock.lock();
    if (status.ok()) {
      applied_ = target;
      last_error_.clear();
      applied_cv_.notify_all();
      continue;
    }
    // Keep the changes and try again later: a storage hiccup must not lose
    // them, nor spin.
    last_error_ = std::string(status.message());
    for (const auto& [number, range] : batch) {
      auto [it, inserted] = dirty_.try_emplace(number, range);
      if (!inserted) {
        it->second.from_ms = std::min(it->second.from_ms, range.from_ms);
        it->second.to_ms = std::max(it->second.to_ms, range.to_ms);
      }
    }
    dirty_cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; });
    if (stopping_) return;
  }
}

bool LiveFlyway::WaitUntilCurrent(std::chrono::milliseconds timeout) {
  std::unique_lock lock(dirty_mu_);
  const std::uint64_t target = noted_;
  applied_cv_.wait_for(lock, timeout, [&] { return applied_ >= target || !running_; });
  return applied_ >= target;
}

std::string LiveFlyway::LastError() const {
  std::lock_guard lock(dirty_mu_);
  return last_error_;
}

absl::StatusOr<std::shared_ptr<const FlywaySnapshot>> LiveFlyway::ComputeWith(
    const SegmentationParams& params,
    const std::function<bool(const IndividualInfo&)>& include) const {
  if (auto s = ValidateSegmentationParams(params); !s.ok()) return s;
  std::shared_ptr<const catalog::Catalog> catalog = catalog_provider_();
  auto segmented = SegmentAll(params, *catalog, include, nullptr);
  if (!segmented.ok()) return segmented.status();
  std::vector<std::shared_ptr<const SegmentedIndividual>> individuals;
  for (auto& [number, ind] : *segmented) individuals.push_back(std::move(ind));
  return FlywaySnapshot::Build(std::move(catalog), countries_, std::move(individuals), params, 0,
                               options_.discovered_sites);
}

}  // namespace wetlink::graph
