#include "data/bundled_countries.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "geo/country_index.h"
#include "geo/gdal_io.h"

namespace wetlink::data {

// Defined in the generated bundled_countries_text.cc.
std::string_view Bundled_countries_topojson();
std::string_view Bundled_country_codes_json();

namespace {

constexpr char kCodeTableName[] = "iso3166_numeric_alpha2.json";

// The "numeric_to_alpha2" object of the code table. Values are checked by
// CountryIndex (two letters A-Z) when a feature uses them.
absl::StatusOr<std::map<std::string, std::string, std::less<>>> ParseCodeTable(
    std::string_view text) {
  // nlohmann::json throws; no exception leaves this module.
  try {
    const nlohmann::json json = nlohmann::json::parse(text);
    const nlohmann::json& table = json.at("numeric_to_alpha2");
    std::map<std::string, std::string, std::less<>> codes;
    for (const auto& [numeric, alpha2] : table.items()) {
      codes.emplace(numeric, alpha2.get<std::string>());
    }
    if (codes.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(kCodeTableName, ": no codes"));
    }
    return codes;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(kCodeTableName, ": ", e.what()));
  }
}

absl::StatusOr<std::shared_ptr<const geo::CountryIndex>> LoadBundledCountries() {
  absl::StatusOr<std::map<std::string, std::string, std::less<>>> codes =
      ParseCodeTable(CountryCodeTableJson());
  if (!codes.ok()) return codes.status();
  absl::StatusOr<geo::CountryIndex> index =
      geo::CountryIndex::FromText(CountryBoundariesJson(), {.name = "countries-50m.json",
                                                            .layer = "countries",
                                                            .code_attribute = "id",
                                                            .code_table = *std::move(codes)});
  if (!index.ok()) return index.status();
  return std::make_shared<const geo::CountryIndex>(*std::move(index));
}

absl::StatusOr<std::shared_ptr<const CountryOutlines>> LoadCountryOutlines() {
  absl::StatusOr<std::map<std::string, std::string, std::less<>>> codes =
      ParseCodeTable(CountryCodeTableJson());
  if (!codes.ok()) return codes.status();
  absl::StatusOr<geo::ReadResult> read = geo::ReadPolygonFeaturesFromBlobs(
      {geo::NamedBlob{.name = "countries-50m.json", .content = std::string(CountryBoundariesJson())}},
      {.layer = "countries", .repair_invalid = true});
  if (!read.ok()) return read.status();
  auto outlines = std::make_shared<CountryOutlines>();
  for (geo::ReadFeature& feature : read->features) {
    auto id = feature.attributes.find("id");
    if (id == feature.attributes.end()) continue;
    auto code = codes->find(id->second);
    if (code == codes->end()) continue;
    outlines->emplace_back(code->second, std::move(feature.geometry));
  }
  return std::shared_ptr<const CountryOutlines>(std::move(outlines));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const CountryOutlines>> BundledCountryOutlines() {
  static const absl::StatusOr<std::shared_ptr<const CountryOutlines>> kOutlines =
      LoadCountryOutlines();
  return kOutlines;
}

std::string_view CountryBoundariesJson() { return Bundled_countries_topojson(); }

std::string_view CountryCodeTableJson() { return Bundled_country_codes_json(); }

absl::StatusOr<std::shared_ptr<const geo::CountryIndex>> BundledCountries() {
  // A function-local static is initialised once, thread-safely.
  static const absl::StatusOr<std::shared_ptr<const geo::CountryIndex>> kIndex =
      LoadBundledCountries();
  return kIndex;
}

}  // namespace wetlink::data
