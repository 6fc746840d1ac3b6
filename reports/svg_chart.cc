#include "reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "reports/html_text.h"
#include "reports/render_cat.h"
#include "reports/render_text.h"

namespace wetlink::reports::internal {

namespace {

constexpr double kWidth = 720;
constexpr double kHeight = 270;
constexpr double kLeft = 70;
constexpr double kRight = 16;
constexpr double kTop = 22;
constexpr double kBottom = 58;
constexpr double kFontSize = 11;

std::string Px(double v) { return FormatFixed(v, 1); }

// A rough width of `text` at kFontSize, for deciding whether labels fit:
// CJK and Hangul take a full em, other characters about half of one.
double TextWidth(std::string_view text) {
  double width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte
    width += b >= 0xE0 ? kFontSize : kFontSize * 0.58;
  }
  return width;
}

}  // namespace

double NiceStep(double max, int ticks) {
  if (!(max > 0) || ticks < 1) return 1;
  const double raw = max / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (const double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (magnitude * factor >= raw) {
      step = magnitude * factor;
      break;
    }
  }
  return std::max(step, 1.0);
}

std::string BarChartSvg(const BarChart& chart) {
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  const double bottom = kTop + plot_h;

  double max = 0;
  for (const ChartBar& bar : chart.bars) {
    if (bar.value) max = std::max(max, static_cast<double>(*bar.value));
  }
  if (chart.line) max = std::max(max, *chart.line);
  const double step = NiceStep(max * 1.08, 4);
  const double top_value = std::max(step, std::ceil(max * 1.08 / step) * step);
  const auto y_of = [&](double v) { return bottom - v / top_value * plot_h; };

  std::string svg =
      Cat("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ", Px(kWidth),
          " ", Px(kHeight), "\" role=\"img\" aria-label=\"", HtmlEscape(chart.title),
          "\">\n<title>", HtmlEscape(chart.title), "</title>\n");

  // Grid and y axis.
  Append(&svg, "<g class=\"grid\">\n");
  for (double v = 0; v <= top_value + step / 2; v += step) {
    const double y = y_of(v);
    Append(&svg, "<line x1=\"", Px(kLeft), "\" y1=\"", Px(y), "\" x2=\"", Px(kLeft + plot_w),
           "\" y2=\"", Px(y), "\"/>\n", "<text x=\"", Px(kLeft - 6), "\" y=\"", Px(y + 4),
           "\" text-anchor=\"end\">", FormatInt(static_cast<std::int64_t>(std::llround(v))),
           "</text>\n");
  }
  Append(&svg, "</g>\n");

  // Bars with their values and labels.
  const std::size_t n = std::max<std::size_t>(chart.bars.size(), 1);
  const double band = plot_w / static_cast<double>(n);
  const double bar_w = std::min(band * 0.62, 56.0);
  double widest_label = 0;
  for (const ChartBar& bar : chart.bars)
    widest_label = std::max(widest_label, TextWidth(bar.label));
  const bool rotate = widest_label > band - 4;
  Append(&svg, "<g class=\"bars\">\n");
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const ChartBar& bar = chart.bars[i];
    const double cx = kLeft + band * (static_cast<double>(i) + 0.5);
    const std::string key =
        bar.data_key.empty() ? "" : Cat(" data-key=\"", HtmlEscape(bar.data_key), "\"");
    if (bar.value) {
      const double y = y_of(static_cast<double>(std::max<std::int64_t>(*bar.value, 0)));
      Append(&svg, "<rect class=\"bar\" x=\"", Px(cx - bar_w / 2), "\" y=\"", Px(y), "\" width=\"",
             Px(bar_w), "\" height=\"", Px(bottom - y), "\"><title>",
             HtmlEscape(bar.tooltip.empty() ? bar.label : bar.tooltip), ": ",
             HtmlEscape(bar.value_text), "</title></rect>\n");
      Append(&svg, "<text class=\"value\" x=\"", Px(cx), "\" y=\"", Px(y - 4),
             "\" text-anchor=\"middle\"", key, ">", HtmlEscape(bar.value_text), "</text>\n");
    } else {
      Append(&svg, "<text class=\"nodata\" x=\"", Px(cx), "\" y=\"", Px(bottom - 4),
             "\" text-anchor=\"middle\">", HtmlEscape(chart.no_data), "</text>\n");
    }
    const double ly = bottom + 15;
    if (rotate) {
      Append(&svg, "<text class=\"label\" x=\"", Px(cx), "\" y=\"", Px(ly),
             "\" text-anchor=\"end\" transform=\"rotate(-35 ", Px(cx), " ", Px(ly), ")\">",
             HtmlEscape(bar.label), "</text>\n");
    } else {
      Append(&svg, "<text class=\"label\" x=\"", Px(cx), "\" y=\"", Px(ly),
             "\" text-anchor=\"middle\">", HtmlEscape(bar.label), "</text>\n");
    }
  }
  Append(&svg, "</g>\n");

  // The reference line, over the bars.
  if (chart.line && *chart.line > 0) {
    const double y = y_of(*chart.line);
    Append(&svg, "<g class=\"threshold\">\n<line x1=\"", Px(kLeft), "\" y1=\"", Px(y), "\" x2=\"",
           Px(kLeft + plot_w), "\" y2=\"", Px(y), "\" stroke-dasharray=\"6 4\"/>\n<text x=\"",
           Px(kLeft + plot_w - 2), "\" y=\"", Px(y - 5), "\" text-anchor=\"end\">",
           HtmlEscape(chart.line_label), "</text>\n</g>\n");
  }

  // Axes and their titles.
  Append(&svg, "<g class=\"axis\">\n<line x1=\"", Px(kLeft), "\" y1=\"", Px(kTop), "\" x2=\"",
         Px(kLeft), "\" y2=\"", Px(bottom), "\"/>\n<line x1=\"", Px(kLeft), "\" y1=\"", Px(bottom),
         "\" x2=\"", Px(kLeft + plot_w), "\" y2=\"", Px(bottom), "\"/>\n");
  Append(&svg, "<text class=\"axis-title\" x=\"", Px(kLeft + plot_w / 2), "\" y=\"",
         Px(kHeight - 6), "\" text-anchor=\"middle\">", HtmlEscape(chart.x_axis), "</text>\n");
  const double ty = kTop + plot_h / 2;
  Append(&svg, "<text class=\"axis-title\" x=\"14\" y=\"", Px(ty),
         "\" text-anchor=\"middle\" transform=\"rotate(-90 14 ", Px(ty), ")\">",
         HtmlEscape(chart.y_axis), "</text>\n</g>\n</svg>\n");
  return svg;
}

}  // namespace wetlink::reports::internal
