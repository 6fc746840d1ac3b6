#include "sim/count_surveys.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "sim/random.h"
#include "telemetry/timestamp.h"

namespace wetlink::sim {
namespace {

// Count streams live beside the track streams, far from their keys.
constexpr std::uint64_t kCountStream = 0x636f756e7473;  // "counts"

// FNV-1a: stable across platforms and library versions, unlike std::hash.
std::uint64_t Key(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Survey dates of a season: evenly over 15 September .. 15 April, jittered
// by up to a week.
std::vector<std::int32_t> SurveyDates(int season, int surveys, KeyedRng& rng) {
  const auto first = static_cast<std::int32_t>(telemetry::DaysFromCivil(season, 9, 15));
  const auto last = static_cast<std::int32_t>(telemetry::DaysFromCivil(season + 1, 4, 15));
  std::vector<std::int32_t> dates;
  for (int i = 0; i < surveys; ++i) {
    const double at = surveys == 1 ? 0.5 : static_cast<double>(i) / (surveys - 1);
    const auto jitter = static_cast<std::int32_t>(UniformIndex(rng, 15)) - 7;
    dates.push_back(
        std::clamp(first + static_cast<std::int32_t>(at * (last - first)) + jitter, first, last));
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

}  // namespace

std::vector<counts::Count> SimulateCountSurveys(const catalog::Catalog& catalog,
                                                const CountSurveyParams& params) {
  std::vector<const catalog::Site*> sites;
  if (params.site_ids.empty()) {
    for (const catalog::Site& s : catalog.sites()) sites.push_back(&s);
  } else {
    for (const std::string& id : params.site_ids) {
      if (const catalog::Site* s = catalog.FindSite(id)) sites.push_back(s);
    }
  }
  const int surveys = std::clamp(params.surveys_per_season, 1, 12);
  std::vector<counts::Count> out;
  for (const catalog::Site* site : sites) {
    for (int k = 0; k < params.seasons; ++k) {
      const int season = params.first_season + k;
      KeyedRng season_rng =
          MakeKeyedRng(params.seed, RngStream::kPlan, kCountStream ^ Key(site->id),
                       static_cast<std::uint64_t>(season));
      if (Bernoulli(season_rng, params.skipped_season_rate)) continue;
      const std::vector<std::int32_t> dates = SurveyDates(season, surveys, season_rng);
      for (const catalog::Species& species : catalog.species()) {
        KeyedRng level_rng = MakeKeyedRng(params.seed, RngStream::kPlan,
                                          kCountStream ^ Key(site->id), Key(species.id));
        const bool holds = !Bernoulli(level_rng, 1.0 / 3);
        const double level = holds ? Uniform(level_rng, 0, 0.03) * species.population.estimate : 0;
        for (std::int32_t date : dates) {
          KeyedRng rng = MakeKeyedRng(params.seed, RngStream::kPositions,
                                      kCountStream ^ Key(site->id) ^ Key(species.id),
                                      static_cast<std::uint64_t>(date));
          // Highest in mid-winter (mid-January), a third of it at the ends.
          const double days_from_peak =
              std::abs(date - static_cast<double>(telemetry::DaysFromCivil(season + 1, 1, 15)));
          const double phase = 1.0 - (2.0 / 3) * std::min(1.0, days_from_peak / 120.0);
          const double noise = std::exp(0.3 * StandardNormal(rng));
          const auto count = static_cast<std::int64_t>(std::llround(level * phase * noise));
          const telemetry::CivilDate civil = telemetry::CivilFromDays(date);
          counts::Count c;
          c.survey_id = site->id + "-" + counts::FormatSurveyDate(date);
          c.site_id = site->id;
          c.date_days = date;
          c.species_id = species.id;
          c.count = count;
          c.method =
              civil.month == 1 ? counts::SurveyMethod::kAerial : counts::SurveyMethod::kGround;
          c.observer = "simulated";
          c.organisation = "wetlink-sim";
          out.push_back(std::move(c));
        }
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const counts::Count& a, const counts::Count& b) {
    return std::tie(a.site_id, a.species_id, a.date_days) <
           std::tie(b.site_id, b.species_id, b.date_days);
  });
  return out;
}

void WriteCountCsv(const std::vector<counts::Count>& counts, std::ostream& out) {
  out << "survey_id,site_id,date,species,count,method,observer,organisation\n";
  for (const counts::Count& c : counts) {
    out << c.survey_id << ',' << c.site_id << ',' << counts::FormatSurveyDate(c.date_days) << ','
        << c.species_id << ',' << c.count << ',' << counts::SurveyMethodName(c.method) << ','
        << c.observer << ',' << c.organisation << '\n';
  }
}

}  // namespace wetlink::sim
