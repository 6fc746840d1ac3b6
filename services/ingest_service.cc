#include "services/ingest_service.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/escaping.h"
#include "counts/count.h"
#include "services/count_proto.h"
#include "services/fix_proto.h"
#include "services/status_mapping.h"
#include "telemetry/timestamp.h"

namespace wetlink::services {
namespace {

constexpr std::uint32_t kDefaultCountPage = 1000;
constexpr std::uint32_t kMaxCountPage = 10000;
constexpr std::size_t kMaxCountsPerRequest = 100'000;

absl::StatusOr<std::optional<std::int32_t>> DateFilter(const std::string& text,
                                                       const char* field) {
  if (text.empty()) return std::optional<std::int32_t>();
  auto days = counts::ParseSurveyDate(text);
  if (!days) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", text, "' is not a yyyy-MM-dd date"));
  }
  return std::optional<std::int32_t>(*days);
}

// What one stream did to one study, for the audit log.
struct StreamTally {
  std::uint64_t batches = 0;
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t updated = 0;
  std::uint64_t refused = 0;
  bool claimed = false;

  void Add(const v1::FixAck& ack) {
    ++batches;
    accepted += ack.accepted();
    duplicates += ack.duplicates();
    updated += ack.updated();
    refused += static_cast<std::uint64_t>(ack.rejected_size()) + (ack.has_batch_rejection() ? 1 : 0);
  }
  std::string Describe() const {
    return absl::StrCat("batches ", batches, ", fixes: ", accepted, " stored, ", duplicates,
                        " duplicates, ", updated, " updated, ", refused, " refused");
  }
};

}  // namespace

grpc::Status IngestService::SubmitCounts(grpc::ServerContext* ctx,
                                         const v1::SubmitCountsRequest* request,
                                         v1::SubmitCountsResponse* response) {
  constexpr std::string_view kRpc = "IngestService.SubmitCounts";
  auto who = guard_.Admit(*ctx, access::Action::kSubmitCounts, kRpc);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (static_cast<std::size_t>(request->counts_size()) > kMaxCountsPerRequest) {
    return ToGrpcStatus(absl::ResourceExhaustedError(
        absl::StrCat("the request holds ", request->counts_size(), " counts; at most ",
                     kMaxCountsPerRequest, " are accepted at once")));
  }
  std::vector<counts::RawCount> raw;
  raw.reserve(static_cast<std::size_t>(request->counts_size()));
  for (const v1::Count& c : request->counts()) raw.push_back(RawCountFromProto(c));
  const auto today =
      static_cast<std::int32_t>(telemetry::DayIndex(telemetry::SystemNowMs()));
  auto outcome = count_ingestor_.Submit(raw, today, request->dry_run());
  if (!request->dry_run() || !outcome.ok()) {
    guard_.Audit(*ctx, *who, kRpc, "", outcome.status(),
                 outcome.ok() ? absl::StrCat("counts: ", outcome->accepted, " accepted, ",
                                             outcome->updated, " updated, ", outcome->duplicates,
                                             " duplicates, ", outcome->rejected.size(), " refused")
                              : "");
  }
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  response->set_accepted(outcome->accepted);
  response->set_duplicates(outcome->duplicates);
  response->set_updated(outcome->updated);
  for (const auto& r : outcome->rejected) RejectionToProto(r, response->add_rejected());
  return grpc::Status::OK;
}

grpc::Status IngestService::ListCounts(grpc::ServerContext* ctx,
                                       const v1::ListCountsRequest* request,
                                       v1::ListCountsResponse* response) {
  auto who = guard_.Admit(*ctx, access::Action::kReadCounts, "IngestService.ListCounts");
  if (!who.ok()) return ToGrpcStatus(who.status());
  store::CountQuery query;
  if (!request->site_id().empty()) {
    if (catalog_.Snapshot()->FindSite(request->site_id()) == nullptr) {
      return ToGrpcStatus(absl::NotFoundError(
          absl::StrCat("site_id: site '", request->site_id(), "' not found")));
    }
    query.site_id = request->site_id();
  }
  if (!request->species().empty()) {
    const catalog::Species* species =
        catalog_.Snapshot()->FindSpeciesByAnyName(request->species());
    if (species == nullptr) {
      return ToGrpcStatus(absl::NotFoundError(
          absl::StrCat("species: '", request->species(), "' is not in the catalog")));
    }
    query.species_id = species->id;
  }
  auto from = DateFilter(request->from_date(), "from_date");
  if (!from.ok()) return ToGrpcStatus(from.status());
  auto to = DateFilter(request->to_date(), "to_date");
  if (!to.ok()) return ToGrpcStatus(to.status());
  query.from_days = *from;
  query.to_days = *to;
  if (!request->page_token().empty()) {
    std::string key;
    if (!absl::WebSafeBase64Unescape(request->page_token(), &key)) {
      return ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("page_token: '", request->page_token(), "' was not issued by this server")));
    }
    query.after_key = std::move(key);
  }
  query.limit = request->page_size() == 0 ? kDefaultCountPage
                                          : std::min(request->page_size(), kMaxCountPage);
  auto page = counts_.Find(query);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const counts::Count& c : page->counts) CountToProto(c, response->add_counts());
  if (!page->last_key.empty()) {
    response->set_next_page_token(absl::WebSafeBase64Escape(page->last_key));
  }
  return grpc::Status::OK;
}

grpc::Status IngestService::StreamFixes(
    grpc::ServerContext* ctx, grpc::ServerReaderWriter<v1::FixAck, v1::FixBatch>* stream) {
  constexpr std::string_view kRpc = "IngestService.StreamFixes";
  auto who = guard_.Admit(*ctx, access::Action::kWriteStudies, kRpc);
  if (!who.ok()) return ToGrpcStatus(who.status());
  // Held until the stream ends; refused before anything is read.
  absl::StatusOr<StreamLimiter::Slot> slot = streams_.Acquire(who->token_id);
  if (!slot.ok()) {
    guard_.AuditRefused(*ctx, *who, kRpc, slot.status());
    return ToGrpcStatus(slot.status());
  }
  // One audit event per study the stream wrote to, when it ends.
  std::map<std::string, StreamTally> tallies;
  auto finish = [&](grpc::Status status) {
    for (const auto& [study, tally] : tallies) {
      guard_.Audit(*ctx, *who, kRpc, study,
                   absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                                status.error_message()),
                   tally.Describe());
    }
    return status;
  };
  v1::FixBatch batch;
  v1::FixAck ack;
  std::vector<pipeline::FixInput> inputs;
  std::vector<pipeline::RecordRejection> shape_rejections;
  while (stream->Read(&batch)) {
    if (ctx->IsCancelled()) {
      return finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled"));
    }
    if (absl::Status st = guard_.CheckWrite(*who, batch.study_id()); !st.ok()) {
      guard_.Audit(*ctx, *who, kRpc, batch.study_id(), st);
      return finish(ToGrpcStatus(st));
    }
    StreamTally& tally = tallies[batch.study_id()];
    shape_rejections.clear();
    FixInputsFromProto(batch, inputs, shape_rejections);
    auto outcome = fixes_.Ingest(batch.study_id(), batch.auto_register(), inputs,
                                 static_cast<std::size_t>(batch.fixes_size()), telemetry::SystemNowMs());
    if (!outcome.ok()) {
      // Nothing of this batch is stored; the client resends it after
      // reconnecting, which is harmless.
      return finish(ToGrpcStatus(absl::Status(
          outcome.status().code(),
          absl::StrCat("batch ", batch.sequence(), ": ", std::string(outcome.status().message())))));
    }
    // The holder of the ingest token whose stream registers a study owns it.
    if (batch.auto_register() && who->role == access::Role::kIngest && !tally.claimed) {
      if (absl::Status st = guard_.access().ClaimStudy(batch.study_id(), who->holder); !st.ok()) {
        return finish(ToGrpcStatus(st));
      }
      tally.claimed = true;
    }
    ack.Clear();
    FixAckFromOutcome(batch, std::move(*outcome), std::move(shape_rejections), &ack);
    shape_rejections = {};
    tally.Add(ack);
    if (!stream->Write(ack)) {
      return finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the client went away"));
    }
  }
  return finish(grpc::Status::OK);
}

}  // namespace wetlink::services
