#include "store/fix_store.h"

#include <algorithm>
#include <tuple>

#include <rocksdb/db.h>
#include <rocksdb/slice.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"
#include "store/fix_chunk.h"
#include "store/key_codec.h"
#include "telemetry/timestamp.h"

namespace wetlink::store {
namespace {

std::string StatsKey(std::uint32_t individual) {
  std::string key;
  AppendUint32(key, individual);
  return key;
}

std::string EncodeStats(const TrackStats& s) {
  std::string value;
  AppendUint64(value, s.fix_count);
  AppendInt64(value, s.first_ms);
  AppendInt64(value, s.last_ms);
  return value;
}

std::optional<TrackStats> DecodeStats(std::string_view in) {
  TrackStats s;
  auto count = ConsumeUint64(in);
  auto first = ConsumeInt64(in);
  auto last = ConsumeInt64(in);
  if (!count || !first || !last || !in.empty()) return std::nullopt;
  s.fix_count = *count;
  s.first_ms = *first;
  s.last_ms = *last;
  return s;
}

auto KeyOf(const StoredFix& f) { return std::tie(f.individual, f.timestamp_ms, f.tag); }

std::string ConflictMessage(const StoredFix& fix) {
  return absl::StrCat("another fix with other measurements is already stored for this tag at ",
                      telemetry::FormatTimestamp(fix.timestamp_ms),
                      "; the stored fix is kept");
}

}  // namespace

absl::StatusOr<std::unique_ptr<FixStore>> FixStore::Open(Database& db) {
  std::unique_ptr<FixStore> store(new FixStore(db));
  absl::Status bad = absl::OkStatus();
  absl::Status scan =
      db.Scan(ColumnFamily::kTrackStats, "", [&](std::string_view key, std::string_view value) {
        std::string_view k = key;
        auto individual = ConsumeUint32(k);
        auto stats = DecodeStats(value);
        if (!individual || !k.empty() || !stats) {
          bad = absl::DataLossError("a track statistics record is corrupt");
          return false;
        }
        store->stats_[*individual] = *stats;
        return true;
      });
  if (!scan.ok()) return scan;
  if (!bad.ok()) return bad;
  return store;
}

absl::StatusOr<CommitReport> FixStore::Commit(std::vector<FixToCommit>& fixes) {
  CommitReport report;
  if (fixes.empty()) return report;
  // Key order groups fixes into day chunks and makes repeats adjacent;
  // repeats keep the order they were sent in. Sorted by reference: a
  // FixToCommit is large to move.
  std::vector<const FixToCommit*> sorted;
  {
    struct SortKey {
      std::uint32_t individual;
      std::uint32_t tag;
      telemetry::TimestampMs timestamp_ms;
      std::uint32_t at;
    };
    std::vector<SortKey> order;
    order.reserve(fixes.size());
    for (std::size_t i = 0; i < fixes.size(); ++i) {
      const StoredFix& f = fixes[i].fix;
      order.push_back({f.individual, f.tag, f.timestamp_ms, static_cast<std::uint32_t>(i)});
    }
    std::sort(order.begin(), order.end(), [](const SortKey& a, const SortKey& b) {
      return std::tie(a.individual, a.timestamp_ms, a.tag, a.at) <
             std::tie(b.individual, b.timestamp_ms, b.tag, b.at);
    });
    sorted.reserve(order.size());
    for (const SortKey& k : order) sorted.push_back(&fixes[k.at]);
  }

  std::lock_guard commit_lock(commit_mu_);
  std::map<std::uint32_t, TrackStats> stats_now;
  {
    std::lock_guard lock(stats_mu_);
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      const std::uint32_t individual = sorted[i]->fix.individual;
      if (i > 0 && sorted[i - 1]->fix.individual == individual) continue;
      auto it = stats_.find(individual);
      if (it != stats_.end()) stats_now.emplace(it->first, it->second);
    }
  }

  // 1. Day chunks touched by the batch (sorted, so each is a contiguous run).
  // A chunk can only exist on a day within the individual's stored span.
  // When the batch's first fix of a chunk is later than every stored fix of
  // the individual (in-order uploads), the stored chunk is appended to as
  // it is, without decoding its fixes.
  struct Chunk {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::int64_t day = 0;
    bool lookup = false;
    bool append = false;
  };
  std::vector<Chunk> chunks;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const StoredFix& f = sorted[i]->fix;
    const std::int64_t day = telemetry::DayIndex(f.timestamp_ms);
    if (!chunks.empty() && sorted[chunks.back().begin]->fix.individual == f.individual &&
        chunks.back().day == day) {
      chunks.back().end = i + 1;
      continue;
    }
    Chunk c{.begin = i, .end = i + 1, .day = day, .lookup = false, .append = false};
    auto it = stats_now.find(f.individual);
    c.lookup = it != stats_now.end() && day >= telemetry::DayIndex(it->second.first_ms) &&
               day <= telemetry::DayIndex(it->second.last_ms);
    c.append = c.lookup && f.timestamp_ms > it->second.last_ms;
    chunks.push_back(c);
  }

  // 2. Read the chunks that may exist, in one MultiGet: decoded, or ready
  // to append to.
  std::vector<std::vector<StoredFix>> stored(chunks.size());
  std::vector<std::optional<ChunkEncoder>> encoders(chunks.size());
  std::vector<std::string> keys;
  std::vector<std::size_t> looked_up;
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    if (!chunks[c].lookup) continue;
    keys.push_back(ChunkKey(sorted[chunks[c].begin]->fix.individual, chunks[c].day));
    looked_up.push_back(c);
  }
  if (!keys.empty()) {
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db_.rocks()->MultiGet(rocksdb::ReadOptions(), db_.handle(ColumnFamily::kFixes), keys.size(),
                          slices.data(), values.data(), statuses.data(), /*sorted_input=*/true);
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (statuses[j].IsNotFound()) continue;
      if (!statuses[j].ok()) {
        return db_.FromRocksStatus(statuses[j], "reading stored fixes failed");
      }
      const std::string_view value(values[j].data(), values[j].size());
      const Chunk& chunk = chunks[looked_up[j]];
      if (chunk.append) {
        auto encoder = ChunkEncoder::Resume(keys[j], value);
        if (!encoder.ok()) return encoder.status();
        const StoredFix& first = sorted[chunk.begin]->fix;
        if (encoder->size() == 0 ||
            std::tie(first.timestamp_ms, first.tag) >
                std::make_tuple(encoder->last_timestamp_ms(), encoder->last_tag())) {
          encoders[looked_up[j]].emplace(std::move(*encoder));
          continue;
        }
      }
      auto decoded = DecodeChunk(keys[j], value);
      if (!decoded.ok()) return decoded.status();
      stored[looked_up[j]] = std::move(*decoded);
    }
  }

  // 3. Merge each chunk's stored fixes with the batch's, judging every sent
  // fix against the version that is stored, or will be: the stored one,
  // else the batch's first. The first version of a measurement wins; later
  // flags replace earlier ones. Then one atomic write of the changed chunks
  // and the touched statistics.
  rocksdb::WriteBatch batch(chunks.size() * 512);
  std::string value;
  rocksdb::ColumnFamilyHandle* fixes_cf = db_.handle(ColumnFamily::kFixes);
  std::vector<StoredFix> merged;
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const std::vector<StoredFix>& old = stored[c];
    merged.clear();
    merged.reserve(old.size() + (chunks[c].end - chunks[c].begin));
    std::size_t j = 0;
    bool changed = false;
    for (std::size_t i = chunks[c].begin; i < chunks[c].end; ++i) {
      const StoredFix& f = sorted[i]->fix;
      while (j < old.size() && KeyOf(old[j]) < KeyOf(f)) merged.push_back(old[j++]);
      if (j < old.size() && KeyOf(old[j]) == KeyOf(f)) merged.push_back(old[j++]);
      if (merged.empty() || KeyOf(merged.back()) != KeyOf(f)) {
        merged.push_back(f);
        changed = true;
        ++report.accepted;
        auto [it, inserted] = stats_now.try_emplace(
            f.individual, TrackStats{.fix_count = 0, .first_ms = f.timestamp_ms,
                                     .last_ms = f.timestamp_ms});
        TrackStats& st = it->second;
        ++st.fix_count;
        st.first_ms = std::min(st.first_ms, f.timestamp_ms);
        st.last_ms = std::max(st.last_ms, f.timestamp_ms);
        continue;
      }
      StoredFix& current = merged.back();
      if (!current.SameMeasurement(f)) {
        report.conflicts.emplace_back(sorted[i]->index, ConflictMessage(f));
      } else if (current.SameFlags(f)) {
        ++report.duplicates;
      } else {
        // The site stays what it was assigned when first stored.
        current.visible = f.visible;
        current.manually_marked_outlier = f.manually_marked_outlier;
        current.manually_marked_valid = f.manually_marked_valid;
        changed = true;
        ++report.updated;
      }
    }
    if (!changed) continue;
    while (j < old.size()) merged.push_back(old[j++]);
    // Appended to the stored chunk, or all of it encoded afresh.
    std::optional<ChunkEncoder>& encoder = encoders[c];
    if (!encoder) encoder.emplace(chunks[c].day);
    for (const StoredFix& f : merged) encoder->Append(f);
    value.clear();
    encoder->AppendValueTo(value);
    rocksdb::Status s = batch.Put(
        fixes_cf, ChunkKey(sorted[chunks[c].begin]->fix.individual, chunks[c].day), value);
    if (!s.ok()) {
      return absl::InternalError(absl::StrCat("cannot build a write batch: ", s.ToString()));
    }
  }
  if (report.accepted == 0 && report.updated == 0) return report;
  for (const auto& [individual, s] : stats_now) {
    rocksdb::Status st =
        batch.Put(db_.handle(ColumnFamily::kTrackStats), StatsKey(individual), EncodeStats(s));
    if (!st.ok()) return absl::InternalError(absl::StrCat("cannot build a write batch: ", st.ToString()));
  }
  if (absl::Status st = db_.WriteRocks(batch); !st.ok()) return st;
  std::lock_guard lock(stats_mu_);
  for (const auto& [individual, s] : stats_now) stats_[individual] = s;
  return report;
}

std::optional<TrackStats> FixStore::Stats(std::uint32_t individual) const {
  std::lock_guard lock(stats_mu_);
  auto it = stats_.find(individual);
  if (it == stats_.end()) return std::nullopt;
  return it->second;
}

std::map<std::uint32_t, TrackStats> FixStore::AllStats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

namespace {

// Calls `chunk` with each day chunk of `individual` that may hold fixes in
// [from_ms, to_ms), in order, until it returns false.
template <typename Chunk>
absl::Status ScanChunks(const Database& db, std::uint32_t individual,
                        telemetry::TimestampMs from_ms, telemetry::TimestampMs to_ms,
                        Chunk chunk) {
  if (from_ms >= to_ms) return absl::OkStatus();
  const std::string lower = ChunkKey(individual, telemetry::DayIndex(from_ms));
  const std::string upper = ChunkKey(individual, telemetry::DayIndex(to_ms - 1) + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      db.rocks()->NewIterator(options, db.handle(ColumnFamily::kFixes)));
  for (it->Seek(lower); it->Valid(); it->Next()) {
    absl::StatusOr<bool> more = chunk(std::string_view(it->key().data(), it->key().size()),
                                      std::string_view(it->value().data(), it->value().size()));
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
  }
  if (!it->status().ok()) {
    return db.FromRocksStatus(it->status(), "reading a track failed");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FixStore::ScanTrack(std::uint32_t individual, telemetry::TimestampMs from_ms,
                                 telemetry::TimestampMs to_ms,
                                 const std::function<bool(const StoredFix&)>& visit) const {
  return ScanChunks(db_, individual, from_ms, to_ms,
                    [&](std::string_view key, std::string_view value) -> absl::StatusOr<bool> {
                      auto chunk = DecodeChunk(key, value);
                      if (!chunk.ok()) return chunk.status();
                      for (const StoredFix& fix : *chunk) {
                        if (fix.timestamp_ms < from_ms || fix.timestamp_ms >= to_ms) continue;
                        if (!visit(fix)) return false;
                      }
                      return true;
                    });
}

absl::Status FixStore::ScanPositions(std::uint32_t individual, telemetry::TimestampMs from_ms,
                                     telemetry::TimestampMs to_ms,
                                     const std::function<bool(const FixPosition&)>& visit) const {
  return ScanChunks(db_, individual, from_ms, to_ms,
                    [&](std::string_view key, std::string_view value) -> absl::StatusOr<bool> {
                      bool more = true;
                      absl::Status status =
                          ForEachFixPosition(key, value, [&](const FixPosition& fix) {
                            if (fix.timestamp_ms < from_ms || fix.timestamp_ms >= to_ms) {
                              return true;
                            }
                            more = visit(fix);
                            return more;
                          });
                      if (!status.ok()) return status;
                      return more;
                    });
}

}  // namespace wetlink::store
