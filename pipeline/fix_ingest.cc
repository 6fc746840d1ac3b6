#include "pipeline/fix_ingest.h"

#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "telemetry/deployment_index.h"
#include "telemetry/registry.h"
#include "telemetry/timestamp.h"

namespace wetlink::pipeline {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;

constexpr std::string_view kTagField = "tag-local-identifier";
constexpr std::string_view kIndividualField = "individual-local-identifier";

// What one batch needs to know about a tag, looked up once per tag.
struct TagInfo {
  const store::RegisteredTag* tag = nullptr;
  std::span<const telemetry::Deployment> deployments;
  // The last deployment resolved and its individual: consecutive fixes of
  // a tag nearly always share them.
  const telemetry::Deployment* deployment = nullptr;
  const store::RegisteredIndividual* individual = nullptr;
  int site_hint = -1;  // SiteAssigner hint for this tag's bird
};

std::string DescribeDeployments(std::span<const telemetry::Deployment> deployments) {
  std::string out;
  for (const telemetry::Deployment& d : deployments) {
    if (!out.empty()) out += ", ";
    absl::StrAppend(&out, "on '", d.individual_id, "' from ",
                    telemetry::FormatTimestamp(d.start_ms), " to ",
                    d.end_ms ? telemetry::FormatTimestamp(*d.end_ms) : std::string("now"));
  }
  return out;
}

std::optional<FieldProblem> CheckIndividualId(std::string_view id) {
  if (id.empty()) return std::nullopt;
  absl::Status st = telemetry::CheckExternalId(id, kIndividualField);
  if (st.ok()) return std::nullopt;
  return FieldProblem{.reason = id.size() > 128 ? RejectReason::kFieldTooLong
                                                : RejectReason::kMalformedRow,
                      .field = std::string(kIndividualField),
                      .message = std::string(st.message())};
}

// ValidateFix refuses empty and over-long tag ids; the registry also
// refuses control characters (telemetry::CheckExternalId). Checked here so
// that such a fix is refused on its own (MALFORMED_ROW) rather than failing
// the auto-registration of its whole batch. Runs for every fix: the common
// case is one scan of the id, without allocating.
std::optional<FieldProblem> CheckTagId(std::string_view id) {
  const bool clean = std::none_of(id.begin(), id.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
  if (clean) return std::nullopt;
  absl::Status st = telemetry::CheckExternalId(id, kTagField);
  if (st.ok()) return std::nullopt;
  return FieldProblem{.reason = RejectReason::kMalformedRow,
                      .field = std::string(kTagField),
                      .message = std::string(st.message())};
}

// Per individual, the time span of the committed fixes.
void NotifyCommitted(const std::vector<store::FixToCommit>& committed,
                     const FixCommitListener& listener) {
  std::map<std::uint32_t, std::pair<telemetry::TimestampMs, telemetry::TimestampMs>> spans;
  for (const store::FixToCommit& c : committed) {
    auto [it, inserted] =
        spans.try_emplace(c.fix.individual, c.fix.timestamp_ms, c.fix.timestamp_ms);
    if (!inserted) {
      it->second.first = std::min(it->second.first, c.fix.timestamp_ms);
      it->second.second = std::max(it->second.second, c.fix.timestamp_ms);
    }
  }
  for (const auto& [individual, span] : spans) listener(individual, span.first, span.second);
}

}  // namespace

FixIngestor::FixIngestor(store::CatalogStore& catalog, store::RegistryStore& registry,
                         store::FixStore& fixes, FixIngestOptions options)
    : catalog_(catalog), registry_(registry), fixes_(fixes), options_(options) {}

std::shared_ptr<const SiteAssigner> FixIngestor::Assigner() {
  std::shared_ptr<const catalog::Catalog> current = catalog_.Snapshot();
  std::lock_guard lock(assigner_mu_);
  if (!assigner_ || assigner_->catalog() != current) {
    assigner_ = std::make_shared<const SiteAssigner>(std::move(current));
  }
  return assigner_;
}

absl::StatusOr<FixBatchOutcome> FixIngestor::Ingest(std::string_view study_id, bool auto_register,
                                                    std::vector<FixInput>& fixes,
                                                    std::size_t batch_size,
                                                    telemetry::TimestampMs now_ms) {
  FixBatchOutcome out;
  if (batch_size > options_.max_fixes_per_batch) {
    out.batch_rejection = FieldProblem{
        .reason = RejectReason::kBatchTooLarge,
        .field = "",
        .message = absl::StrCat("the batch holds ", batch_size, " fixes; at most ",
                                options_.max_fixes_per_batch,
                                " are accepted at once: split it into smaller batches")};
    return out;
  }
  auto reject = [&out](const FixInput& in, FieldProblem problem) {
    out.rejected.push_back(RecordRejection{.index = in.index, .problem = std::move(problem)});
  };

  // 1. Each fix on its own.
  std::vector<FixInput*> valid;
  valid.reserve(fixes.size());
  for (FixInput& in : fixes) {
    if (auto problem = telemetry::ValidateFix(in.fix, now_ms, options_.limits)) {
      reject(in, std::move(*problem));
    } else if (auto bad_tag = CheckTagId(in.fix.tag_id)) {
      reject(in, std::move(*bad_tag));
    } else if (auto bad_id = CheckIndividualId(in.individual_id)) {
      reject(in, std::move(*bad_id));
    } else {
      valid.push_back(&in);
    }
  }

  // 2. The registry, extended first when the source registers itself.
  std::shared_ptr<const store::RegistrySnapshot> registry = registry_.Snapshot();
  if (auto_register) {
    std::map<std::pair<std::string_view, std::string_view>, std::string_view> pairs;
    for (const FixInput* in : valid) {
      if (!in->individual_id.empty()) pairs.try_emplace({in->fix.tag_id, in->individual_id}, in->taxon);
    }
    // Registry lookups once per (tag, individual) pair, not once per fix.
    bool missing = registry->FindStudy(study_id) == nullptr;
    for (const auto& [ids, taxon] : pairs) {
      missing = missing || registry->FindTag(study_id, ids.first) == nullptr ||
                registry->FindIndividual(study_id, ids.second) == nullptr ||
                registry->deployments().DeploymentsOf(study_id, ids.first).empty();
    }
    if (missing) {
      const auto catalog = catalog_.Snapshot();
      std::vector<store::ImpliedDeployment> implied;
      for (const auto& [ids, taxon] : pairs) {
        const catalog::Species* species = catalog->FindSpeciesByAnyName(taxon);
        implied.push_back(store::ImpliedDeployment{
            .tag_id = std::string(ids.first),
            .individual_id = std::string(ids.second),
            .taxon = std::string(taxon),
            .species_id = species != nullptr ? species->id : std::string()});
      }
      auto registered = registry_.AutoRegister(std::string(study_id), implied,
                                               options_.limits.earliest_ms);
      if (registered.status().code() == absl::StatusCode::kInvalidArgument) {
        out.rejected.clear();
        out.batch_rejection = FieldProblem{.reason = RejectReason::kUnknownStudy,
                                           .field = "study_id",
                                           .message = std::string(registered.status().message())};
        return out;
      }
      if (!registered.ok()) return registered.status();
      registry = *registered;
    }
  }
  if (registry->FindStudy(study_id) == nullptr) {
    out.rejected.clear();
    out.batch_rejection = FieldProblem{
        .reason = RejectReason::kUnknownStudy,
        .field = "study_id",
        .message = absl::StrCat("study '", std::string(study_id),
                                "' is not registered (create it first, or send with "
                                "auto-registration)")};
    return out;
  }

  // 3. Deployment, individual and site of each fix.
  const std::shared_ptr<const SiteAssigner> assigner = Assigner();
  std::unordered_map<std::string_view, TagInfo> tags;
  std::vector<store::FixToCommit> to_commit;
  to_commit.reserve(valid.size());
  for (const FixInput* in : valid) {
    const telemetry::Fix& fix = in->fix;
    auto [it, inserted] = tags.try_emplace(fix.tag_id);
    if (inserted) {
      it->second.tag = registry->FindTag(study_id, fix.tag_id);
      it->second.deployments = registry->deployments().DeploymentsOf(study_id, fix.tag_id);
    }
    TagInfo& tag = it->second;
    if (tag.tag == nullptr || tag.deployments.empty()) {
      reject(*in, FieldProblem{
                      .reason = RejectReason::kUnknownTag,
                      .field = std::string(kTagField),
                      .message = absl::StrCat("tag '", fix.tag_id,
                                              tag.tag == nullptr ? "' is not registered"
                                                                 : "' has no deployment",
                                              " in study '", std::string(study_id), "'")});
      continue;
    }
    auto resolved = telemetry::DeploymentCovering(tag.deployments, fix.timestamp_ms);
    if (!std::holds_alternative<const telemetry::Deployment*>(resolved)) {
      reject(*in, FieldProblem{
                      .reason = RejectReason::kOutsideDeployment,
                      .field = "timestamp",
                      .message = absl::StrCat("tag '", fix.tag_id, "' was on no animal at ",
                                              telemetry::FormatTimestamp(fix.timestamp_ms),
                                              "; its deployments: ",
                                              DescribeDeployments(tag.deployments))});
      continue;
    }
    const telemetry::Deployment& deployment = *std::get<const telemetry::Deployment*>(resolved);
    if (!in->individual_id.empty() && in->individual_id != deployment.individual_id) {
      reject(*in, FieldProblem{
                      .reason = RejectReason::kIndividualMismatch,
                      .field = std::string(kIndividualField),
                      .message = absl::StrCat(
                          "the fix names individual '", std::string(in->individual_id),
                          "' but tag '", fix.tag_id, "' was on '", deployment.individual_id,
                          "' at ", telemetry::FormatTimestamp(fix.timestamp_ms))});
      continue;
    }
    if (tag.deployment != &deployment) {
      tag.deployment = &deployment;
      tag.individual = registry->FindIndividual(study_id, deployment.individual_id);
    }
    const store::RegisteredIndividual* individual = tag.individual;
    if (individual == nullptr) {
      return absl::InternalError(absl::StrCat("deployment of tag '", fix.tag_id,
                                              "' names an unregistered individual '",
                                              deployment.individual_id, "'"));
    }
    store::FixToCommit& c = to_commit.emplace_back();
    c.index = in->index;
    c.fix.individual = individual->number;
    c.fix.tag = tag.tag->number;
    c.fix.timestamp_ms = fix.timestamp_ms;
    c.fix.lat = fix.lat;
    c.fix.lon = fix.lon;
    c.fix.height_m = fix.height_m;
    c.fix.hdop = fix.hdop;
    c.fix.satellites = fix.satellites;
    c.fix.ground_speed_mps = fix.ground_speed_mps;
    c.fix.heading_deg = fix.heading_deg;
    c.fix.event_id = fix.event_id;
    c.fix.visible = fix.visible;
    c.fix.manually_marked_outlier = fix.manually_marked_outlier;
    c.fix.manually_marked_valid = fix.manually_marked_valid;
    c.fix.site_id = assigner->Assign(fix.lat, fix.lon, &tag.site_hint);
  }

  // 4. One durable write.
  auto report = fixes_.Commit(to_commit);
  if (!report.ok()) return report.status();
  if (listener_ && report->accepted + report->updated > 0) NotifyCommitted(to_commit, listener_);
  out.accepted = report->accepted;
  out.duplicates = report->duplicates;
  out.updated = report->updated;
  for (auto& [index, message] : report->conflicts) {
    out.rejected.push_back(RecordRejection{
        .index = index,
        .problem = FieldProblem{.reason = RejectReason::kConflictingFix,
                                .field = "timestamp",
                                .message = std::move(message)}});
  }
  std::sort(out.rejected.begin(), out.rejected.end(),
            [](const RecordRejection& a, const RecordRejection& b) { return a.index < b.index; });
  return out;
}

}  // namespace wetlink::pipeline
