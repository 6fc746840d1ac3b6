#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/html_page.h"
#include "reports/html_report.h"
#include "reports/html_text.h"
#include "reports/render_cat.h"
#include "reports/render_text.h"

namespace wetlink::reports::internal {

namespace {

constexpr std::string_view kDash = "\xE2\x80\x93";  // U+2013 en dash

std::string SpeciesListTitle(const SpeciesList& list, const Labels& labels) {
  std::string title = labels.Get("list.title").text;
  if (list.complex) Append(&title, ": ", ComplexName(*list.complex, labels).text);
  return title;
}

}  // namespace

std::string SpeciesListHtml(const SpeciesList& list, const Labels& labels) {
  HtmlLabels html(labels);
  auto L = [&](std::string_view key) { return html.Label(key); };
  std::string out;

  // Header: what the list covers.
  Append(&out, "<header>\n<p class=\"kicker\">", L("list.title"), "</p>\n<h1>");
  if (list.complex) {
    Append(&out, html.Local(ComplexName(*list.complex, labels)));
  } else {
    Append(&out, L("list.title"));
  }
  Append(&out, "</h1>\n<p class=\"subtitle\">", L("report.period"), ": ",
         html.LabelWith("report.period_range",
                        {Cat("<time>", FormatDate(list.period.from_days), "</time>"),
                         Cat("<time>", FormatDate(list.period.to_days), "</time>")}),
         "</p>\n<p>", L("list.sites"), ":</p>\n<ul class=\"sites\">\n");
  for (const SpeciesListSite& site : list.sites) {
    LocalText name = labels.Name(site.names, site.names_unverified);
    if (name.text.empty()) name.text = site.id;
    Append(&out, "<li data-site=\"", HtmlEscape(site.id), "\">", html.Local(name), " (",
           html.Local(labels.Country(site.country)), ")</li>\n");
  }
  Append(&out, "</ul>\n</header>\n");

  Append(&out, "<section id=\"list\">\n<p class=\"intro\">", L("list.intro"), "</p>\n");
  if (list.entries.empty()) {
    Append(&out, "<p class=\"muted\">", L("list.no_species"), "</p>\n");
  }
  const std::size_t seasons = list.seasons.size();
  Append(&out, "<table id=\"species-list\" class=\"list\">\n<thead>\n<tr>");
  for (const std::string_view key : {"list.species", "list.scientific_name", "lang.en", "lang.zh",
                                     "lang.ru", "lang.ko", "list.iucn", "list.threshold"}) {
    Append(&out, "<th rowspan=\"2\">", L(key), "</th>");
  }
  for (const SpeciesListSite& site : list.sites) {
    LocalText name = labels.Name(site.names, site.names_unverified);
    if (name.text.empty()) name.text = site.id;
    Append(&out, "<th colspan=\"", std::max<std::size_t>(seasons, 1), "\" data-site=\"",
           HtmlEscape(site.id), "\">", html.Local(name), " (", HtmlEscape(site.country), ")</th>");
  }
  Append(&out, "</tr>\n<tr>");
  for (std::size_t s = 0; s < list.sites.size(); ++s) {
    if (seasons == 0) Append(&out, "<th>", kDash, "</th>");
    for (const int season : list.seasons) {
      Append(&out, "<th class=\"num\">", HtmlEscape(CountSeasonLabel(season)), "</th>");
    }
  }
  Append(&out, "</tr>\n</thead>\n<tbody>\n");

  for (std::size_t i = 0; i < list.entries.size(); ++i) {
    const SpeciesListEntry& entry = list.entries[i];
    const catalog::Species* species = nullptr;
    for (const catalog::Species& s : list.species) {
      if (s.id == entry.species_id) species = &s;
    }
    Append(&out, "<tr data-species=\"", HtmlEscape(entry.species_id),
           "\"><th scope=\"row\" class=\"name\">");
    if (species == nullptr) {
      Append(&out, HtmlEscape(entry.species_id), "</th><td colspan=\"7\"></td>");
    } else {
      Append(&out, html.Local(SpeciesName(*species, labels)), "</th><td class=\"sci\">",
             HtmlEscape(species->scientific_name), "</td>");
      for (const std::string_view lang : kReportLanguages) {
        const auto name = species->names.find(std::string(lang));
        if (name == species->names.end() || name->second.empty()) {
          Append(&out, "<td class=\"nodata\">", kDash, "</td>");
          continue;
        }
        const bool weak = std::find(species->weak_names.begin(), species->weak_names.end(), lang) !=
                          species->weak_names.end();
        Append(&out, "<td lang=\"", lang, "\">", HtmlEscape(name->second), html.Marks(false, weak),
               "</td>");
      }
      Append(&out, "<td>");
      if (!species->iucn_category.empty()) {
        Append(&out, html.Local(labels.Get(Cat("iucn.", species->iucn_category))), " (",
               HtmlEscape(species->iucn_category), ")");
      }
      const catalog::OnePercentThreshold one = species->OnePercent();
      Append(&out, "</td><td class=\"num\">");
      if (one.value > 0) {
        Append(&out, FormatInt(one.value));
        if (one.derived) {
          Append(&out, "<span class=\"sub badge\">", L("list.derived"), "</span>");
        }
      } else {
        Append(&out, kDash);
      }
      Append(&out, "</td>");
    }
    for (std::size_t s = 0; s < list.sites.size(); ++s) {
      if (seasons == 0) Append(&out, "<td class=\"nodata\">", kDash, "</td>");
      for (std::size_t k = 0; k < seasons; ++k) {
        const std::optional<std::int64_t> count =
            s < entry.max_by_site_season.size() && k < entry.max_by_site_season[s].size()
                ? entry.max_by_site_season[s][k]
                : std::nullopt;
        if (!count) {
          Append(&out, "<td class=\"nodata\" title=\"", html.Plain("list.not_counted"), "\">",
                 kDash, "</td>");
          continue;
        }
        Append(&out, "<td class=\"num\" data-key=\"", HtmlEscape(entry.species_id), "|",
               HtmlEscape(list.sites[s].id), "|", CountSeasonLabel(list.seasons[k]), "\">",
               FormatInt(*count), "</td>");
      }
    }
    Append(&out, "</tr>\n");
  }
  Append(&out, "</tbody>\n</table>\n<p class=\"muted\">", L("list.legend"), "</p>\n", "<p>",
         html.LabelWith("list.counts_used", {FormatInt(list.counts)}), "</p>\n</section>\n");

  if (html.used_fallback() || html.used_unverified()) {
    Append(&out, "<aside id=\"footnotes\" class=\"footnotes\">\n");
    if (html.used_fallback()) {
      Append(&out, "<p><span class=\"mark\">", kFallbackMark, "</span> ",
             html.Plain("note.fallback"), "</p>\n");
    }
    if (html.used_unverified()) {
      Append(&out, "<p><span class=\"mark\">", kUnverifiedMark, "</span> ",
             html.Plain("note.unverified"), "</p>\n");
    }
    Append(&out, "</aside>\n");
  }
  Append(&out, "<footer>\n<p>", L("list.sources_note"), "</p>\n</footer>\n");
  return Cat(HtmlPageStart(labels.language(), SpeciesListTitle(list, labels), true), out,
             HtmlPageEnd());
}

}  // namespace wetlink::reports::internal
