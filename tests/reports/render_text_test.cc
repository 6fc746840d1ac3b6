#include "reports/render_text.h"

#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <limits>
#include <locale>
#include <string>
#include <vector>

#include "reports/csv_report.h"
#include "reports/html_text.h"
#include "reports/render.h"
#include "reports/render_cat.h"
#include "reports/svg_chart.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports::internal {
namespace {

TEST(RenderTextTest, IntegersAndFixedDecimals) {
  EXPECT_EQ(FormatInt(0), "0");
  EXPECT_EQ(FormatInt(-20000), "-20000");
  EXPECT_EQ(FormatInt(1234567), "1234567");
  EXPECT_EQ(FormatFixed(812.5, 1), "812.5");
  EXPECT_EQ(FormatFixed(2.0 / 3.0 * 100, 1), "66.7");
  EXPECT_EQ(FormatFixed(3, 1), "3.0");
  EXPECT_EQ(FormatFixed(-0.04, 1), "0.0");  // no "-0.0"
  EXPECT_EQ(FormatFixed(-0.0, 1), "0.0");
  EXPECT_EQ(FormatFixed(-1.25, 1), "-1.2");  // ties to even on the binary value
  EXPECT_EQ(FormatFixed(42.33333, 4), "42.3333");
  EXPECT_EQ(FormatFixed(std::numeric_limits<double>::quiet_NaN(), 1), "");
  EXPECT_EQ(FormatFixed(std::numeric_limits<double>::infinity(), 1), "");
  EXPECT_EQ(FormatPercent(12.345), "12.3");
  EXPECT_EQ(FormatDays(4.25), "4.2");
}

// A decimal comma and digit grouping, as in much of Europe.
class CommaNumpunct : public std::numpunct<char> {
 protected:
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

TEST(RenderTextTest, NumbersIgnoreTheLocale) {
  const std::locale previous =
      std::locale::global(std::locale(std::locale::classic(), new CommaNumpunct));
  // The C locale too, where the host has one with a decimal comma.
  const bool c_locale = std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr ||
                        std::setlocale(LC_ALL, "ru_RU.UTF-8") != nullptr;
  EXPECT_EQ(FormatFixed(1234.5, 1), "1234.5");
  EXPECT_EQ(FormatInt(20000), "20000");
  EXPECT_EQ(Cat(20000), "20000");
  std::setlocale(LC_ALL, "C");
  std::locale::global(previous);
  RecordProperty("c_locale_with_decimal_comma", c_locale ? "yes" : "no");
}

TEST(RenderTextTest, DatesAndTimestamps) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(telemetry::DaysFromCivil(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDateOfMs(telemetry::TimestampFromCivil(2023, 3, 14, 23, 59, 59)), "2023-03-14");
  EXPECT_EQ(FormatIsoUtc(telemetry::TimestampFromCivil(2024, 5, 1, 6, 30, 0, 7)),
            "2024-05-01T06:30:00.007Z");
}

TEST(RenderTextTest, TaggedSeasons) {
  EXPECT_EQ(TaggedSeasonKey("spring", 2023), "spring 2023");
  EXPECT_EQ(TaggedSeasonKey("", 2023), "other 2023");
}

TEST(RenderTextTest, Utf8IsSanitised) {
  EXPECT_EQ(SanitizeUtf8("Ханка 兴凯湖 한강"), "Ханка 兴凯湖 한강");
  EXPECT_EQ(SanitizeUtf8("a\tb\r\nc"), "a\tb\r\nc");
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(SanitizeUtf8("end\xE4\xB8"), "end\xEF\xBF\xBD\xEF\xBF\xBD");            // cut short
}

TEST(RenderTextTest, HtmlEscapeCoversContentAndAttributes) {
  EXPECT_EQ(HtmlEscape(R"(<script>alert("x")</script> & 'y')"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
  EXPECT_EQ(HtmlEscape("Jingxin 敬信"), "Jingxin 敬信");
}

TEST(RenderTextTest, CsvFieldsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvRecord({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(RenderTextTest, NiceSteps) {
  EXPECT_EQ(NiceStep(20000, 4), 5000);
  EXPECT_EQ(NiceStep(450, 4), 200);
  EXPECT_EQ(NiceStep(90, 4), 25);
  EXPECT_EQ(NiceStep(3, 4), 1);  // never a fraction of a bird
  EXPECT_EQ(NiceStep(0, 4), 1);
  for (const double max : {1.0, 7.0, 99.0, 1234.0, 56789.0}) {
    const double step = NiceStep(max, 4);
    EXPECT_GE(step * 4, max) << max;
    EXPECT_LE(step * 4, max * 5 + 4) << max;
  }
}

TEST(RenderTextTest, FileNameParts) {
  EXPECT_EQ(FileNamePart("rason"), "rason");
  EXPECT_EQ(FileNamePart("../etc/passwd"), "_.._etc_passwd");
  EXPECT_EQ(FileNamePart("a b/c"), "a_b_c");
  EXPECT_EQ(FileNamePart(""), "_");
}

TEST(RenderTextTest, CatJoinReplace) {
  const std::string_view view = "view";
  EXPECT_EQ(Cat("a", view, std::string("s"), 42, -7, std::uint64_t{18446744073709551615u}),
            "aviews42-718446744073709551615");
  EXPECT_EQ(Join(std::vector<std::string>{"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(Join(std::vector<std::string>{}, ", "), "");
  EXPECT_EQ(ReplaceAll("{0} km, {0}", "{0}", "50"), "50 km, 50");
}

TEST(RenderTextTest, ReportFormats) {
  for (const std::string name : {"html", "HTML", "csv", "Json", "geojson", "GeoJSON"}) {
    EXPECT_TRUE(ParseReportFormat(name, "format").ok()) << name;
  }
  EXPECT_EQ(*ParseReportFormat("GeoJSON", "format"), ReportFormat::kGeoJson);
  EXPECT_EQ(ReportFormatName(ReportFormat::kCsv), "csv");
  const absl::StatusOr<ReportFormat> pdf = ParseReportFormat("pdf", "request.format");
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(pdf.status().message().find("request.format: 'pdf'"), std::string::npos);
}

}  // namespace
}  // namespace wetlink::reports::internal
