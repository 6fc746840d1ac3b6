#include "services/flyway_service.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "catalog/site.h"
#include "geo/gdal_io.h"
#include "graph/country_flows.h"
#include "graph/flyway_export.h"
#include "graph/importance.h"
#include "graph/migratory_connectivity.h"
#include "graph/protection_gaps.h"
#include "graph/routes.h"
#include "services/flyway_proto.h"
#include "services/status_mapping.h"

namespace wetlink::services {
namespace {

constexpr int kDefaultRoutes = 3;
constexpr int kMaxRoutes = 100;
constexpr std::uint32_t kDefaultPermutations = 999;
constexpr std::uint32_t kMaxPermutations = 99'999;
constexpr std::uint32_t kDefaultStopoverLimit = 10'000;
constexpr std::size_t kExportChunkBytes = 1 << 20;
// What waits in the background queue, as its refusals name it.
constexpr char kSlowWork[] = "long flyway computations";

grpc::Status Fail(const absl::Status& status) { return ToGrpcStatus(status); }

grpc::Status Busy() {
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "too many long flyway computations are waiting; try again shortly");
}

// Any segmentation parameter set: computed on demand, which takes seconds.
bool OnDemand(const v1::FlywayQuery& query) { return query.params().ByteSizeLong() > 0; }

grpc::Status Invalid(const std::string& message) {
  return ToGrpcStatus(absl::InvalidArgumentError(message));
}

bool ByIndividualsThenIds(const graph::FlywaySnapshot& s, const graph::Link& a,
                          const graph::Link& b) {
  if (a.individuals != b.individuals) return a.individuals > b.individuals;
  if (a.transitions != b.transitions) return a.transitions > b.transitions;
  return std::pair(s.nodes()[static_cast<std::size_t>(a.from_node)].id,
                   s.nodes()[static_cast<std::size_t>(a.to_node)].id) <
         std::pair(s.nodes()[static_cast<std::size_t>(b.from_node)].id,
                   s.nodes()[static_cast<std::size_t>(b.to_node)].id);
}

}  // namespace

FlywayService::FlywayService(AccessGuard& guard, graph::LiveFlyway& live,
                             const graph::SeasonTable& seasons, FlywayServiceLimits limits)
    : guard_(guard),
      live_(live),
      queries_(live, seasons),
      background_(limits.background_threads, limits.max_queued, limits.max_queue_wait) {
  // The answers made of many messages.
  SetMessageAllocatorFor_ListLinks(&links_allocator_);
  SetMessageAllocatorFor_GetNeighbours(&neighbours_allocator_);
  SetMessageAllocatorFor_FindRoutes(&routes_allocator_);
  SetMessageAllocatorFor_RankSites(&rank_allocator_);
  SetMessageAllocatorFor_ListStopovers(&stopovers_allocator_);
}

absl::StatusOr<access::Principal> FlywayService::AdmitQuery(const grpc::CallbackServerContext& ctx,
                                                            access::Action action,
                                                            const v1::FlywayQuery* query,
                                                            std::string_view rpc) {
  absl::StatusOr<access::Principal> who = guard_.Admit(ctx, action, rpc);
  if (!who.ok() || query == nullptr) return who;
  for (const std::string& study : query->filter().study_ids()) {
    if (auto level = guard_.CheckRead(*who, study); !level.ok()) return level.status();
  }
  return who;
}

absl::StatusOr<std::shared_ptr<const graph::PreparedQuery>> FlywayService::Prepare(
    const v1::FlywayQuery& query) const {
  auto params = ParamsFromProto(query.params(), live_.options().params);
  if (!params.ok()) return params.status();
  return queries_.Prepare(FilterFromProto(query.filter()), *params, "query.filter.");
}

void FlywayService::FillInfo(const graph::PreparedQuery& q, v1::AnswerInfo* info) const {
  info->set_snapshot_version(q.on_demand ? 0 : q.snapshot->version());
  info->set_on_demand(q.on_demand);
  ParamsToProto(q.snapshot->params(), info->mutable_params());
}

grpc::Status FlywayService::DoListLinks(const v1::ListLinksRequest& request,
                                        v1::ListLinksResponse* response) {
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  graph::LinkFilter filter;
  filter.min_individuals = std::max<std::uint32_t>(1, request.min_individuals());
  if (!request.site_id().empty()) {
    auto node = graph::FlywayQueries::ResolveSite(s, request.site_id(), "site_id");
    if (!node.ok()) return Fail(node.status());
    filter.node = *node;
  }
  if (!request.country().empty()) {
    if (!catalog::IsCountryCode(request.country())) {
      return Invalid(absl::StrCat("country: '", request.country(),
                                  "' is not an ISO 3166-1 alpha-2 code such as KP"));
    }
    filter.country = request.country();
  }
  filter.cross_border_only = request.cross_border_only();
  // The API orders links by (from_id, to_id); node order puts discovered
  // sites ("cand_...") after every catalogued one.
  std::vector<graph::Link> links = graph::FilterLinks(s, (*q)->links, filter);
  auto id = [&](std::int32_t n) -> const std::string& {
    return s.nodes()[static_cast<std::size_t>(n)].id;
  };
  std::sort(links.begin(), links.end(), [&](const graph::Link& a, const graph::Link& b) {
    return std::tie(id(a.from_node), id(a.to_node)) < std::tie(id(b.from_node), id(b.to_node));
  });
  NodeCollector nodes(s);
  for (const graph::Link& link : links) {
    LinkToProto(s, link, response->add_links());
    nodes.Add(link.from_node);
    nodes.Add(link.to_node);
  }
  nodes.WriteTo(response->mutable_nodes());
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoGetNeighbours(const v1::GetNeighboursRequest& request,
                                            v1::GetNeighboursResponse* response) {
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  auto node = graph::FlywayQueries::ResolveSite(s, request.site_id(), "site_id");
  if (!node.ok()) return Fail(node.status());
  std::vector<graph::Link> incoming;
  std::vector<graph::Link> outgoing;
  for (const graph::Link& link : (*q)->links) {
    if (link.to_node == *node) incoming.push_back(link);
    if (link.from_node == *node) outgoing.push_back(link);
  }
  auto order = [&](const graph::Link& a, const graph::Link& b) {
    return ByIndividualsThenIds(s, a, b);
  };
  std::sort(incoming.begin(), incoming.end(), order);
  std::sort(outgoing.begin(), outgoing.end(), order);
  NodeCollector nodes(s);
  nodes.Add(*node);
  for (const graph::Link& link : incoming) {
    LinkToProto(s, link, response->add_incoming());
    nodes.Add(link.from_node);
  }
  for (const graph::Link& link : outgoing) {
    LinkToProto(s, link, response->add_outgoing());
    nodes.Add(link.to_node);
  }
  NodeToProto(s.nodes()[static_cast<std::size_t>(*node)], response->mutable_site());
  nodes.WriteTo(response->mutable_nodes());
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoFindRoutes(const v1::FindRoutesRequest& request,
                                         v1::FindRoutesResponse* response) {
  const int k = request.has_k() ? request.k() : kDefaultRoutes;
  if (k < 1 || k > kMaxRoutes) {
    return Invalid(absl::StrCat("k: the number of routes must be 1 to ", kMaxRoutes, ", got ", k));
  }
  if (!request.from_site_id().empty() && request.from_site_id() == request.to_site_id()) {
    return Invalid(absl::StrCat("to_site_id: '", request.to_site_id(),
                                "' is also the start (from_site_id); a route joins two sites"));
  }
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  auto from = graph::FlywayQueries::ResolveSite(s, request.from_site_id(), "from_site_id");
  if (!from.ok()) return Fail(from.status());
  auto to = graph::FlywayQueries::ResolveSite(s, request.to_site_id(), "to_site_id");
  if (!to.ok()) return Fail(to.status());
  NodeCollector nodes(s);
  auto id = [&](std::int32_t n) -> const std::string& {
    nodes.Add(n);
    return s.nodes()[static_cast<std::size_t>(n)].id;
  };
  if (auto best = graph::MostProbableRoute((*q)->links, *from, *to)) {
    v1::ProbableRoute* out = response->mutable_most_probable();
    for (std::int32_t n : best->nodes) out->add_site_ids(id(n));
    for (double p : best->hop_probability) out->add_hop_probabilities(p);
    out->set_probability(best->probability);
  }
  for (const graph::UsedRoute& route : graph::MostUsedRoutes(s, (*q)->selection, *from, *to, k)) {
    v1::UsedRoute* out = response->add_most_used();
    for (std::int32_t n : route.nodes) out->add_site_ids(id(n));
    out->set_individuals(route.individuals);
    out->set_journeys(route.journeys);
    out->set_median_duration_ms(route.median_duration_ms);
  }
  nodes.WriteTo(response->mutable_nodes());
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoRankSites(const v1::RankSitesRequest& request,
                                        v1::RankSitesResponse* response) {
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  NodeCollector nodes(s);
  std::vector<graph::NodeImportance> ranked =
      graph::RankSiteImportance(s, (*q)->selection, (*q)->links);
  if (request.limit() > 0 && ranked.size() > request.limit()) ranked.resize(request.limit());
  for (const graph::NodeImportance& imp : ranked) {
    v1::SiteImportance* out = response->add_sites();
    out->set_site_id(s.nodes()[static_cast<std::size_t>(imp.node)].id);
    out->set_betweenness(imp.betweenness);
    out->set_betweenness_normalized(imp.betweenness_normalized);
    out->set_individuals(imp.individuals);
    out->set_individual_share(imp.individual_share);
    out->set_transitions_in(imp.transitions_in);
    out->set_transitions_out(imp.transitions_out);
    out->set_links_in(imp.links_in);
    out->set_links_out(imp.links_out);
    nodes.Add(imp.node);
  }
  nodes.WriteTo(response->mutable_nodes());
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoSiteLoss(const v1::SiteLossRequest& request,
                                       v1::SiteLossResponse* response) {
  if (request.site_ids().empty()) return Invalid("site_ids: name at least one site");
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  std::vector<std::int32_t> removed;
  for (int i = 0; i < request.site_ids_size(); ++i) {
    auto node = graph::FlywayQueries::ResolveSite(s, request.site_ids(i),
                                                  absl::StrCat("site_ids[", i, "]"));
    if (!node.ok()) return Fail(node.status());
    removed.push_back(*node);
  }
  const graph::LossImpact impact =
      graph::SiteLossImpact(s, (*q)->selection, (*q)->links, std::move(removed));
  for (std::int32_t n : impact.removed) {
    response->add_site_ids(s.nodes()[static_cast<std::size_t>(n)].id);
  }
  response->set_reachable_pairs_before(impact.reachable_pairs_before);
  response->set_reachable_pairs_after(impact.reachable_pairs_after);
  response->set_connectivity_lost(impact.connectivity_lost);
  response->set_links_lost(impact.links_lost);
  response->set_transitions_lost(impact.transitions_lost);
  response->set_individuals_affected(impact.individuals_affected);
  response->set_individual_share_affected(impact.individual_share_affected);
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoCountryFlows(const v1::CountryFlowsRequest& request,
                                           v1::CountryFlowsResponse* response) {
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  for (const graph::CountryFlow& flow : graph::CountryFlows(*(*q)->snapshot, (*q)->selection)) {
    v1::CountryFlow* out = response->add_flows();
    out->set_from_country(flow.from_country);
    out->set_to_country(flow.to_country);
    out->set_individuals(flow.individuals);
    out->set_transitions(flow.transitions);
  }
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoMigratoryConnectivity(const v1::MigratoryConnectivityRequest& request,
                                                    v1::MigratoryConnectivityResponse* response) {
  const std::uint32_t permutations =
      request.has_permutations() ? request.permutations() : kDefaultPermutations;
  if (permutations > kMaxPermutations) {
    return Invalid(
        absl::StrCat("permutations: at most ", kMaxPermutations, ", got ", permutations));
  }
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  auto result = graph::MantelConnectivity(s, queries_.seasons(), (*q)->filter, (*q)->selection,
                                          permutations, request.has_seed() ? request.seed() : 1);
  if (!result.ok()) return Fail(result.status());
  response->set_r_m(result->r_m);
  response->set_p_value(result->p_value);
  response->set_permutations(result->permutations);
  for (const graph::IndividualEnds& ends : result->individuals) {
    const graph::IndividualInfo& info = s.individuals()[ends.individual]->info;
    v1::IndividualEnds* out = response->add_individuals();
    out->set_study_id(info.study_id);
    out->set_individual_id(info.individual_id);
    out->set_breeding_site_id(s.nodes()[static_cast<std::size_t>(ends.breeding_node)].id);
    out->set_non_breeding_site_id(s.nodes()[static_cast<std::size_t>(ends.non_breeding_node)].id);
    out->set_breeding_lat(ends.breeding.lat);
    out->set_breeding_lon(ends.breeding.lon);
    out->set_non_breeding_lat(ends.non_breeding.lat);
    out->set_non_breeding_lon(ends.non_breeding.lon);
  }
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoProtectionGaps(const v1::ProtectionGapsRequest& request,
                                             v1::ProtectionGapsResponse* response) {
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  graph::ProtectionGaps gaps = graph::FindProtectionGaps(s, (*q)->selection);
  for (const graph::GapRow& row : gaps.rows) {
    v1::ProtectionGapRow* out = response->add_rows();
    out->set_species_id(row.species_id);
    out->set_country(row.country);
    out->set_stopovers(row.stopovers);
    out->set_stopover_days(row.stopover_days);
    out->set_unprotected_stopovers(row.unprotected_stopovers);
    out->set_unprotected_days(row.unprotected_days);
    out->set_unprotected_individuals(row.unprotected_individuals);
  }
  if (request.candidate_limit() > 0 && gaps.candidates.size() > request.candidate_limit()) {
    gaps.candidates.resize(request.candidate_limit());
  }
  for (const graph::CandidateSiteUse& use : gaps.candidates) {
    v1::CandidateSite* out = response->add_candidates();
    NodeToProto(s.nodes()[static_cast<std::size_t>(use.node)], out->mutable_node());
    out->set_individuals(use.individuals);
    out->set_stopovers(use.stopovers);
    out->set_stopover_days(use.stopover_days);
    for (const std::string& sp : use.species) out->add_species(sp);
  }
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoListStopovers(const v1::ListStopoversRequest& request,
                                            LocationFilter& filter,
                                            v1::ListStopoversResponse* response) {
  if (request.include_visits() && request.individual_id().empty()) {
    return Invalid("include_visits: visits are listed for one individual (set individual_id)");
  }
  if (!request.individual_id().empty() && request.study_id().empty()) {
    return Invalid("study_id: required with individual_id");
  }
  auto q = Prepare(request.query());
  if (!q.ok()) return Fail(q.status());
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  std::optional<std::uint32_t> individual;
  if (!request.individual_id().empty()) {
    for (std::uint32_t i = 0; i < s.individuals().size(); ++i) {
      const graph::IndividualInfo& info = s.individuals()[i]->info;
      if (info.study_id == request.study_id() && info.individual_id == request.individual_id()) {
        individual = i;
      }
    }
    if (!individual) {
      return Fail(absl::NotFoundError(absl::StrCat("individual_id: study '", request.study_id(),
                                                   "' has no individual '", request.individual_id(),
                                                   "' with fixes")));
    }
  }
  std::optional<std::int32_t> node;
  if (!request.site_id().empty()) {
    auto n = graph::FlywayQueries::ResolveSite(s, request.site_id(), "site_id");
    if (!n.ok()) return Fail(n.status());
    node = *n;
  }
  const std::uint32_t limit = request.limit() == 0 ? kDefaultStopoverLimit : request.limit();
  for (const graph::StopoverRef& ref : (*q)->selection.stopovers) {
    if (individual && ref.individual != *individual) continue;
    if (node && ref.node != *node) continue;
    const graph::SegmentedIndividual& ind = *s.individuals()[ref.individual];
    const graph::Stopover& stop = ind.segmentation.stopovers[ref.stop];
    std::optional<access::LatLon> place = filter.Place(
        ind.info.study_id, ind.info.species_id, stop.departure_ms, stop.lat, stop.lon);
    if (!place) continue;
    if (static_cast<std::uint32_t>(response->stopovers_size()) == limit) {
      response->set_truncated(true);
      break;
    }
    const graph::Node& n = s.nodes()[static_cast<std::size_t>(ref.node)];
    v1::Stopover* out = response->add_stopovers();
    out->set_study_id(ind.info.study_id);
    out->set_individual_id(ind.info.individual_id);
    out->set_species_id(ind.info.species_id);
    out->set_site_id(n.id);
    out->set_catalogued(n.catalogued());
    out->set_arrival_ms(stop.arrival_ms);
    out->set_departure_ms(stop.departure_ms);
    out->set_lat(place->lat);
    out->set_lon(place->lon);
    out->set_fixes(stop.fixes);
  }
  if (request.include_visits()) {
    const graph::FlywayFilter& f = (*q)->filter;
    const graph::IndividualInfo& info = s.individuals()[*individual]->info;
    for (const graph::Visit& v : s.individuals()[*individual]->segmentation.visits) {
      if (f.window && (v.departure_ms < f.window->from_ms || v.arrival_ms >= f.window->to_ms)) {
        continue;
      }
      // A visit names a catalogued site: public at that scale, but not while
      // under embargo.
      if (!filter.Place(info.study_id, info.species_id, v.departure_ms, 0, 0)) continue;
      const auto site = static_cast<std::size_t>(v.site);
      if (node && static_cast<std::int32_t>(site) != *node) continue;
      v1::Visit* out = response->add_visits();
      out->set_site_id(s.nodes()[site].id);
      out->set_arrival_ms(v.arrival_ms);
      out->set_departure_ms(v.departure_ms);
      out->set_fixes(v.fixes);
    }
  }
  FillInfo(**q, response->mutable_info());
  return grpc::Status::OK;
}

absl::StatusOr<std::string> FlywayService::BuildExport(const v1::ExportFlywayRequest& request,
                                                       LocationFilter& locations) {
  const bool geojson = request.format() == v1::FLYWAY_EXPORT_GEOJSON;
  const std::string layer = request.layer().empty() ? graph::kLinksLayer : request.layer();
  if (!geojson && !request.layer().empty()) {
    return absl::InvalidArgumentError(
        "layer: a GeoPackage holds every layer; choose one only for GeoJSON");
  }
  if (layer != graph::kLinksLayer && layer != graph::kNodesLayer &&
      layer != graph::kStopoversLayer) {
    return absl::InvalidArgumentError(
        absl::StrCat("layer: '", layer, "' is not links, nodes or stopovers"));
  }
  auto q = Prepare(request.query());
  if (!q.ok()) return q.status();
  const graph::FlywaySnapshot& s = *(*q)->snapshot;
  graph::LinkFilter filter;
  filter.min_individuals = std::max<std::uint32_t>(1, request.min_individuals());
  const std::vector<graph::Link> links = graph::FilterLinks(s, (*q)->links, filter);
  std::vector<geo::LayerToWrite> layers;
  if (!geojson || layer == graph::kNodesLayer) {
    layers.push_back(graph::NodesLayer(s, links, (*q)->selection));
  }
  if (!geojson || layer == graph::kLinksLayer) layers.push_back(graph::LinksLayer(s, links));
  if (!geojson || layer == graph::kStopoversLayer) {
    layers.push_back(graph::StopoversLayer(
        s, (*q)->selection,
        [&locations](const graph::SegmentedIndividual& ind, const graph::Stopover& stop)
            -> std::optional<std::pair<double, double>> {
          std::optional<access::LatLon> place = locations.Place(
              ind.info.study_id, ind.info.species_id, stop.departure_ms, stop.lat, stop.lon);
          if (!place) return std::nullopt;
          return std::pair(place->lat, place->lon);
        }));
  }
  return geo::WriteLayersToBytes(
      geojson ? geo::VectorFormat::kGeoJson : geo::VectorFormat::kGeoPackage, layers);
}

// Builds the document on a background thread, then writes it in chunks,
// one write in flight at a time.
class FlywayService::ExportReactor final : public grpc::ServerWriteReactor<v1::FlywayExportChunk> {
 public:
  // Ends the call at once with `refused`.
  explicit ExportReactor(const grpc::Status& refused) { Finish(refused); }

  ExportReactor(FlywayService& service, grpc::CallbackServerContext* ctx,
                const v1::ExportFlywayRequest* request, std::shared_ptr<LocationFilter> filter) {
    auto build = [this, &service, request, filter] {
      absl::StatusOr<std::string> bytes = service.BuildExport(*request, *filter);
      if (!bytes.ok()) {
        Finish(ToGrpcStatus(bytes.status()));
        return;
      }
      bytes_ = std::move(*bytes);
      WriteNext();
    };
    auto refuse = [this](grpc::Status status) { Finish(status); };
    if (!service.background_.SubmitCall(*ctx, kSlowWork, std::move(build), std::move(refuse))) {
      Finish(Busy());
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the export"));
      return;
    }
    WriteNext();
  }
  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    if (at_ >= bytes_.size()) {
      Finish(grpc::Status::OK);
      return;
    }
    chunk_.set_data(bytes_.substr(at_, kExportChunkBytes));
    at_ += kExportChunkBytes;
    StartWrite(&chunk_);
  }

  std::string bytes_;
  std::size_t at_ = 0;
  v1::FlywayExportChunk chunk_;
};

grpc::Status FlywayService::DoGetFlywayStatus(v1::FlywayStatus* response) {
  const std::shared_ptr<const graph::FlywaySnapshot> s = live_.Snapshot();
  std::uint32_t stopovers = 0;
  for (const auto& ind : s->individuals()) {
    stopovers += static_cast<std::uint32_t>(ind->segmentation.stopovers.size());
  }
  response->set_snapshot_version(s->version());
  response->set_individuals(static_cast<std::uint32_t>(s->individuals().size()));
  response->set_stopovers(stopovers);
  response->set_transitions(static_cast<std::uint32_t>(s->transitions().size()));
  response->set_nodes(static_cast<std::uint32_t>(s->nodes().size()));
  response->set_discovered_sites(
      static_cast<std::uint32_t>(s->nodes().size() - s->catalog().sites().size()));
  ParamsToProto(s->params(), response->mutable_params());
  response->set_last_error(live_.LastError());
  return grpc::Status::OK;
}

grpc::Status FlywayService::DoRebuildFlyway(v1::RebuildFlywayResponse* response) {
  auto stats = live_.Rebuild();
  if (!stats.ok()) return Fail(stats.status());
  response->set_individuals(stats->individuals);
  response->set_fixes(stats->fixes);
  response->set_seconds(stats->seconds);
  response->set_snapshot_version(live_.Snapshot()->version());
  return grpc::Status::OK;
}

template <typename Answer>
grpc::ServerUnaryReactor* FlywayService::Reply(grpc::CallbackServerContext* ctx, bool slow,
                                               Answer answer) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (!slow) {
    reactor->Finish(answer());
  } else if (!background_.SubmitCall(
                 *ctx, kSlowWork, [reactor, answer] { reactor->Finish(answer()); },
                 [reactor](grpc::Status status) { reactor->Finish(status); })) {
    reactor->Finish(Busy());
  }
  return reactor;
}

grpc::ServerUnaryReactor* FlywayService::ListLinks(grpc::CallbackServerContext* ctx,
                                                   const v1::ListLinksRequest* request,
                                                   v1::ListLinksResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.ListLinks");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (OnDemand(request->query())) {
    return Reply(ctx, /*slow=*/true,
                 [this, request, response] { return DoListLinks(*request, response); });
  }
  // The most asked question: answered from the cache while the snapshot
  // lasts.
  return Reply(ctx, /*slow=*/false, [this, request, response] {
    std::string key = request->SerializeAsString();
    if (auto cached = links_cache_.Find(live_.Snapshot()->version(), key)) {
      response->CopyFrom(*cached);
      return grpc::Status::OK;
    }
    grpc::Status status = DoListLinks(*request, response);
    if (status.ok())
      links_cache_.Put(response->info().snapshot_version(), std::move(key), *response);
    return status;
  });
}

grpc::ServerUnaryReactor* FlywayService::GetNeighbours(grpc::CallbackServerContext* ctx,
                                                       const v1::GetNeighboursRequest* request,
                                                       v1::GetNeighboursResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.GetNeighbours");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, OnDemand(request->query()),
               [this, request, response] { return DoGetNeighbours(*request, response); });
}

grpc::ServerUnaryReactor* FlywayService::FindRoutes(grpc::CallbackServerContext* ctx,
                                                    const v1::FindRoutesRequest* request,
                                                    v1::FindRoutesResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.FindRoutes");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, OnDemand(request->query()),
               [this, request, response] { return DoFindRoutes(*request, response); });
}

grpc::ServerUnaryReactor* FlywayService::RankSites(grpc::CallbackServerContext* ctx,
                                                   const v1::RankSitesRequest* request,
                                                   v1::RankSitesResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.RankSites");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, OnDemand(request->query()),
               [this, request, response] { return DoRankSites(*request, response); });
}

grpc::ServerUnaryReactor* FlywayService::SiteLoss(grpc::CallbackServerContext* ctx,
                                                  const v1::SiteLossRequest* request,
                                                  v1::SiteLossResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.SiteLoss");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, OnDemand(request->query()),
               [this, request, response] { return DoSiteLoss(*request, response); });
}

grpc::ServerUnaryReactor* FlywayService::CountryFlows(grpc::CallbackServerContext* ctx,
                                                      const v1::CountryFlowsRequest* request,
                                                      v1::CountryFlowsResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.CountryFlows");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, OnDemand(request->query()),
               [this, request, response] { return DoCountryFlows(*request, response); });
}

grpc::ServerUnaryReactor* FlywayService::MigratoryConnectivity(
    grpc::CallbackServerContext* ctx, const v1::MigratoryConnectivityRequest* request,
    v1::MigratoryConnectivityResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.MigratoryConnectivity");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  // The permutation test is quadratic in individuals: always in the background.
  return Reply(ctx, /*slow=*/true,
               [this, request, response] { return DoMigratoryConnectivity(*request, response); });
}

grpc::ServerUnaryReactor* FlywayService::ProtectionGaps(grpc::CallbackServerContext* ctx,
                                                        const v1::ProtectionGapsRequest* request,
                                                        v1::ProtectionGapsResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.ProtectionGaps");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, OnDemand(request->query()),
               [this, request, response] { return DoProtectionGaps(*request, response); });
}

grpc::ServerUnaryReactor* FlywayService::ListStopovers(grpc::CallbackServerContext* ctx,
                                                       const v1::ListStopoversRequest* request,
                                                       v1::ListStopoversResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(), "FlywayService.ListStopovers");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (!request->study_id().empty()) {
    if (auto level = guard_.CheckRead(*who, request->study_id()); !level.ok()) {
      return FinishUnary(ctx, level.status());
    }
  }
  auto filter = std::make_shared<LocationFilter>(guard_, *who);
  return Reply(ctx, OnDemand(request->query()),
               [this, request, response, filter] {
                 return DoListStopovers(*request, *filter, response);
               });
}

grpc::ServerWriteReactor<v1::FlywayExportChunk>* FlywayService::ExportFlyway(
    grpc::CallbackServerContext* ctx, const v1::ExportFlywayRequest* request) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, &request->query(),
                        "FlywayService.ExportFlyway");
  if (!who.ok()) return new ExportReactor(ToGrpcStatus(who.status()));
  return new ExportReactor(*this, ctx, request, std::make_shared<LocationFilter>(guard_, *who));
}

grpc::ServerUnaryReactor* FlywayService::GetFlywayStatus(grpc::CallbackServerContext* ctx,
                                                         const v1::GetFlywayStatusRequest*,
                                                         v1::FlywayStatus* response) {
  auto who = AdmitQuery(*ctx, access::Action::kReadFlyway, nullptr, "FlywayService.GetFlywayStatus");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, /*slow=*/false, [this, response] { return DoGetFlywayStatus(response); });
}

grpc::ServerUnaryReactor* FlywayService::RebuildFlyway(grpc::CallbackServerContext* ctx,
                                                       const v1::RebuildFlywayRequest*,
                                                       v1::RebuildFlywayResponse* response) {
  auto who = AdmitQuery(*ctx, access::Action::kRebuildFlyway, nullptr, "FlywayService.RebuildFlyway");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, /*slow=*/true, [this, ctx, response, who = *who] {
    grpc::Status status = DoRebuildFlyway(response);
    guard_.Audit(*ctx, who, "FlywayService.RebuildFlyway", "",
                 absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                              status.error_message()));
    return status;
  });
}

}  // namespace wetlink::services
