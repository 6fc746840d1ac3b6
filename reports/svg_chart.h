#ifndef WETLINK_REPORTS_SVG_CHART_H_
#define WETLINK_REPORTS_SVG_CHART_H_

// Internal to the report renderers: a bar chart as inline SVG (no script,
// no external resource), sized by its viewBox so it scales with the page
// and prints sharp. Text is given plain and escaped here; it inherits the
// page's font.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wetlink::reports::internal {

struct ChartBar {
  std::string label{};                  // under the bar
  std::string tooltip{};                // the bar's <title>; "" for `label`
  std::optional<std::int64_t> value{};  // nullopt: no data (drawn as a dash)
  std::string value_text{};             // printed over the bar
  std::string data_key{};               // data-key of the printed value, "" for none
};

struct BarChart {
  std::string title{};  // the chart's accessible name
  std::string x_axis{};
  std::string y_axis{};
  std::vector<ChartBar> bars{};
  // A dashed reference line (a threshold) at this value, labelled.
  std::optional<double> line{};
  std::string line_label{};
  std::string no_data{};  // printed for a bar without a value, e.g. "–"
};

std::string BarChartSvg(const BarChart& chart);

// A "nice" step (1, 2, 2.5 or 5 times a power of ten, at least 1) so that
// about `ticks` steps cover `max`.
double NiceStep(double max, int ticks);

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_SVG_CHART_H_
