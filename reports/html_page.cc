#include "reports/html_page.h"

#include <string>

#include "reports/html_text.h"
#include "reports/render_cat.h"

namespace wetlink::reports::internal {

namespace {

constexpr std::string_view kCss = R"css(
:root { --ink: #1d232a; --muted: #5b6570; --line: #c9ced4; --head: #eef2f6;
        --accent: #2b5c8a; --cross: #c0392b; --site: #1f5c38; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 18px 22px 36px; max-width: 210mm; color: var(--ink);
       font-size: 10.5pt; line-height: 1.45; background: #fff; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 8px; margin-bottom: 6px; }
.kicker { margin: 0; color: var(--accent); font-weight: 700; letter-spacing: .02em; }
h1 { font-size: 19pt; line-height: 1.2; margin: 2px 0 4px; }
h2 { font-size: 13.5pt; margin: 26px 0 8px; padding-bottom: 3px;
     border-bottom: 1.5px solid var(--line); }
h3 { font-size: 11pt; margin: 16px 0 6px; }
p { margin: 4px 0 8px; }
.subtitle, .muted, .intro { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 9pt; }
th, td { border: 1px solid var(--line); padding: 3px 5px; vertical-align: top;
         text-align: left; }
thead th { background: var(--head); font-weight: 600; }
tbody th { font-weight: normal; background: #f8f9fb; }
table.facts th { width: 27%; background: var(--head); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.date { white-space: nowrap; }
td.num.threshold { white-space: normal; min-width: 8em; }
table.species tbody th { min-width: 9em; }
.nodata { color: #9aa2aa; text-align: center; }
.sub { display: block; color: var(--muted); font-size: 8pt; white-space: normal; }
.sci { font-style: italic; }
.name { font-weight: 600; }
.badge { display: inline-block; padding: 0 4px; border-radius: 3px; background: #fdf1d6;
         border: 1px solid #e3c77a; color: #6b4f00; }
.result { font-weight: 700; }
.result.met { color: #1e6b3a; }
.result.insufficient { color: var(--muted); }
tr.cross-border td, tr.cross-border th { background: #fbeeee; }
.cross-mark { color: var(--cross); font-weight: 700; }
.mark { color: #a33; font-weight: 700; padding-left: 1px; }
.fallback { text-decoration: underline dotted #a33; }
.unverified { text-decoration: underline dotted #777; }
ul.inline { list-style: none; margin: 0; padding: 0; }
ul.inline li { display: inline; }
ul.inline li + li::before { content: " · "; color: var(--muted); }
.lang-name { color: var(--muted); }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 3px 14px;
             margin: 6px 0 12px; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; }
.rule { background: #f5f8fb; border-left: 3px solid var(--accent); padding: 6px 10px;
        margin: 8px 0; }
figure { margin: 8px 0; }
figcaption { font-size: 8.5pt; color: var(--muted); margin-top: 4px; }
svg.map, svg.chart { display: block; width: 100%; height: auto; }
svg.chart { max-width: 170mm; }
svg text { font-size: 11px; fill: #333; }
svg .grid line { stroke: #e3e6ea; }
svg .axis line { stroke: #555; }
svg .axis-title { fill: var(--muted); }
svg rect.bar { fill: #5b8db8; }
svg .value { font-weight: 600; }
svg .nodata { fill: #9aa2aa; }
svg .threshold line { stroke: var(--cross); stroke-width: 1.5; }
svg .threshold text { fill: var(--cross); font-weight: 600; paint-order: stroke; stroke: #fff;
                      stroke-width: 3px; stroke-linejoin: round; }
svg .sea { fill: #dbe7f1; }
svg .no-background { fill: #f6f6f3; }
svg .country { fill: #f4f2e9; stroke: #8f8f80; stroke-width: .8; }
svg .country-code { font-size: 13px; font-weight: 700; fill: #8a8a7a; letter-spacing: 1px; }
svg .graticule line { stroke: #9fb0bd; stroke-width: .5; stroke-dasharray: 2 3; }
svg .graticule text { font-size: 9px; fill: #6b7780; }
svg .site-area { fill: rgba(46, 125, 79, .45); stroke: var(--site); stroke-width: 1.5; }
svg .site-marker { fill: none; stroke: var(--site); stroke-width: 2.5; }
svg circle.linked { fill: #fff; stroke: #222; stroke-width: 1.5; }
svg circle.linked.protected { fill: #2e7d4f; }
svg path.nearby { fill: #f39c12; stroke: #7a4a00; stroke-width: 1.2; }
svg .place-label { font-size: 11px; font-weight: 700; paint-order: stroke; stroke: #fff;
                   stroke-width: 3px; stroke-linejoin: round; }
svg .scale-bg { fill: rgba(255, 255, 255, .85); }
svg .scale-bar text { font-size: 10px; }
svg .frame { fill: none; stroke: #777; }
svg.legend-symbol { flex: none; }
ul.legend { list-style: none; margin: 6px 0; padding: 0; display: flex; flex-wrap: wrap;
            gap: 4px 18px; font-size: 8.5pt; }
ul.legend li { display: flex; align-items: center; gap: 5px; }
.chart-block { margin: 6px 0 14px; }
.chart-block h3 { margin-bottom: 2px; }
ul.caveats { margin: 4px 0; padding-left: 20px; }
ul.caveats li { margin: 2px 0; }
.footnotes { font-size: 8.5pt; border-top: 1px solid var(--line); margin-top: 22px;
             padding-top: 6px; }
footer { margin-top: 18px; border-top: 1px solid var(--line); padding-top: 8px;
         font-size: 8.5pt; color: var(--muted); }
footer ul { margin: 2px 0; padding-left: 18px; }
table.list { font-size: 8pt; }
table.list td, table.list th { padding: 2px 4px; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure, .chart-block, dl.summary, .rule { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8pt; }
  th, td { padding: 2px 4px; }
  svg.chart { max-width: 150mm; }
}
)css";

}  // namespace

std::string FontStack(std::string_view lang) {
  std::string stack;
  if (lang == "zh") stack = "\"Noto Sans CJK SC\", ";
  if (lang == "ko") stack = "\"Noto Sans CJK KR\", ";
  if (lang == "ja") stack = "\"Noto Sans CJK JP\", ";
  return Cat(stack, "\"Noto Sans\", \"DejaVu Sans\", sans-serif");
}

std::string HtmlPageStart(std::string_view lang, std::string_view title, bool landscape) {
  return Cat("<!doctype html>\n<html lang=\"", HtmlEscape(lang),
             "\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"generator\" content=\"Wetlink\">\n<title>",
             HtmlEscape(title), "</title>\n<style>\n@page { size: A4",
             landscape ? " landscape" : "",
             "; margin: 14mm 12mm 16mm; }\nhtml { font-family: ", FontStack(lang), "; }\n",
             // Names in another CJK language than the page's keep their own forms.
             ":lang(zh) { font-family: ", FontStack("zh"),
             "; }\n:lang(ko) { font-family: ", FontStack("ko"),
             "; }\n:lang(ja) { font-family: ", FontStack("ja"), "; }", kCss,
             "</style>\n</head>\n<body>\n");
}

std::string_view HtmlPageEnd() { return "</body>\n</html>\n"; }

}  // namespace wetlink::reports::internal
