#include "store/count_store.h"

#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store/key_codec.h"
#include "wetlink/store/v1/records.pb.h"

namespace wetlink::store {
namespace {

namespace pb = ::wetlink::store::v1;

std::string EncodeCount(const counts::Count& c) {
  pb::CountRecord r;
  r.set_survey_id(c.survey_id);
  r.set_site_id(c.site_id);
  r.set_date_days(c.date_days);
  r.set_species_id(c.species_id);
  r.set_count(c.count);
  r.set_method(std::string(counts::SurveyMethodName(c.method)));
  r.set_observer(c.observer);
  r.set_organisation(c.organisation);
  r.set_notes(c.notes);
  return r.SerializeAsString();
}

absl::StatusOr<counts::Count> DecodeCount(std::string_view key, std::string_view bytes) {
  pb::CountRecord r;
  auto method = r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))
                    ? counts::ParseSurveyMethod(r.method())
                    : std::nullopt;
  if (!method) {
    return absl::DataLossError(absl::StrCat("stored count '", absl::CHexEscape(std::string(key)),
                                            "' does not decode"));
  }
  return counts::Count{.survey_id = r.survey_id(),
                       .site_id = r.site_id(),
                       .date_days = r.date_days(),
                       .species_id = r.species_id(),
                       .count = r.count(),
                       .method = *method,
                       .observer = r.observer(),
                       .organisation = r.organisation(),
                       .notes = r.notes()};
}

}  // namespace

std::string CountKey(const counts::Count& c) {
  std::string key;
  AppendTerminatedString(key, c.site_id);
  AppendTerminatedString(key, c.species_id);
  AppendInt64(key, c.date_days);
  AppendTerminatedString(key, c.survey_id);
  return key;
}

absl::StatusOr<CountPutReport> CountStore::Put(const std::vector<counts::Count>& counts) {
  CountPutReport report;
  std::lock_guard lock(write_mu_);
  // The version each key has after the counts before it: stored or sent,
  // and whether it differs from what is stored.
  std::map<std::string, counts::Count> current;
  std::set<std::string> changed;
  for (const counts::Count& c : counts) {
    std::string key = CountKey(c);
    auto it = current.find(key);
    if (it == current.end()) {
      auto stored = db_.Get(ColumnFamily::kCounts, key);
      if (stored.ok()) {
        auto decoded = DecodeCount(key, *stored);
        if (!decoded.ok()) return decoded.status();
        it = current.emplace(key, std::move(*decoded)).first;
      } else if (stored.status().code() != absl::StatusCode::kNotFound) {
        return stored.status();
      }
    }
    if (it == current.end()) {
      changed.insert(key);
      current.emplace(std::move(key), c);
      ++report.accepted;
    } else if (it->second == c) {
      ++report.duplicates;
    } else {
      it->second = c;
      changed.insert(it->first);
      ++report.updated;
    }
  }
  if (changed.empty()) return report;
  WriteBatch batch;
  for (const std::string& key : changed) {
    batch.Put(ColumnFamily::kCounts, key, EncodeCount(current.at(key)));
  }
  if (absl::Status st = db_.Write(batch); !st.ok()) return st;
  return report;
}

absl::StatusOr<CountPage> CountStore::Find(const CountQuery& query) const {
  CountPage page;
  std::string prefix;
  if (!query.site_id.empty()) {
    AppendTerminatedString(prefix, query.site_id);
    if (!query.species_id.empty()) AppendTerminatedString(prefix, query.species_id);
  }
  absl::Status decode_status = absl::OkStatus();
  bool more = false;
  absl::Status scan = db_.Scan(
      ColumnFamily::kCounts, prefix, [&](std::string_view key, std::string_view value) {
        if (!query.after_key.empty() && key <= query.after_key) return true;
        auto c = DecodeCount(key, value);
        if (!c.ok()) {
          decode_status = c.status();
          return false;
        }
        if (!query.species_id.empty() && c->species_id != query.species_id) return true;
        if (query.from_days && c->date_days < *query.from_days) return true;
        if (query.to_days && c->date_days > *query.to_days) return true;
        if (page.counts.size() == query.limit) {
          more = true;
          return false;
        }
        page.counts.push_back(std::move(*c));
        page.last_key = std::string(key);
        return true;
      });
  if (!scan.ok()) return scan;
  if (!decode_status.ok()) return decode_status;
  if (!more) page.last_key.clear();
  return page;
}

}  // namespace wetlink::store
