#include "store/audit_store.h"

#include <limits>

#include <rocksdb/db.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store/column_families.h"
#include "store/key_codec.h"
#include "wetlink/store/v1/records.pb.h"

namespace wetlink::store {
namespace {

namespace pb = ::wetlink::store::v1;

std::string AuditKey(std::int64_t time_ms, std::uint64_t sequence) {
  std::string key;
  AppendInt64(key, time_ms);
  AppendUint64(key, sequence);
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditStore>> AuditStore::Open(Database& db) {
  std::uint64_t next = 0;
  absl::StatusOr<std::string> stored = db.Get(ColumnFamily::kMeta, kAuditNextSequenceKey);
  if (stored.ok()) {
    std::string_view value = *stored;
    std::optional<std::uint64_t> decoded = ConsumeUint64(value);
    if (!decoded || !value.empty()) {
      return absl::DataLossError(
          absl::StrCat("data folder '", db.path(), "': the audit sequence record is corrupt"));
    }
    next = *decoded;
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  return std::unique_ptr<AuditStore>(new AuditStore(db, next));
}

absl::Status AuditStore::Append(const access::AuditEvent& e) {
  pb::AuditRecord r;
  r.set_time_ms(e.time_ms);
  r.set_token_id(e.token_id);
  r.set_holder(e.holder);
  r.set_role(e.role);
  r.set_peer(e.peer);
  r.set_action(e.action);
  r.set_target(e.target);
  r.set_outcome(e.outcome);
  r.set_detail(e.detail);
  std::lock_guard<std::mutex> lock(mu_);
  std::string next;
  AppendUint64(next, next_sequence_ + 1);
  WriteBatch batch;
  batch.Put(ColumnFamily::kAudit, AuditKey(e.time_ms, next_sequence_), r.SerializeAsString());
  batch.Put(ColumnFamily::kMeta, kAuditNextSequenceKey, next);
  if (absl::Status st = db_.Write(batch); !st.ok()) return st;
  ++next_sequence_;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<access::AuditEvent>> AuditStore::List(
    const access::AuditQuery& query) const {
  std::vector<access::AuditEvent> events;
  std::unique_ptr<rocksdb::Iterator> it(
      db_.rocks()->NewIterator(rocksdb::ReadOptions(), db_.handle(ColumnFamily::kAudit)));
  // Newest first: from just before `to` backwards.
  if (query.to_ms) {
    it->SeekForPrev(AuditKey(*query.to_ms, 0));
    if (it->Valid() && it->key().ToString() == AuditKey(*query.to_ms, 0)) it->Prev();
  } else {
    it->SeekToLast();
  }
  const std::string from_key =
      AuditKey(query.from_ms.value_or(std::numeric_limits<std::int64_t>::min()), 0);
  for (; it->Valid() && events.size() < query.limit; it->Prev()) {
    if (it->key().ToString() < from_key) break;
    pb::AuditRecord r;
    if (!r.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat(
          "audit event '", absl::CHexEscape(it->key().ToString()), "' does not decode"));
    }
    if (!query.holder.empty() && r.holder() != query.holder) continue;
    events.push_back(access::AuditEvent{.time_ms = r.time_ms(),
                                        .token_id = r.token_id(),
                                        .holder = r.holder(),
                                        .role = r.role(),
                                        .peer = r.peer(),
                                        .action = r.action(),
                                        .target = r.target(),
                                        .outcome = r.outcome(),
                                        .detail = r.detail()});
  }
  if (!it->status().ok()) {
    return absl::InternalError(
        absl::StrCat("audit log of '", db_.path(), "': ", it->status().ToString()));
  }
  return events;
}

}  // namespace wetlink::store
