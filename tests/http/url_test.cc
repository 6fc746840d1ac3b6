#include "http/url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(UrlTest, PercentDecodeDecodesEscapesInEitherCase) {
  EXPECT_EQ(*PercentDecode("rason"), "rason");
  EXPECT_EQ(*PercentDecode("%41%62%2f%2F"), "Ab//");
  EXPECT_EQ(*PercentDecode("%D0%A0%D0%B0%D1%81%D0%BE%D0%BD"), "Расон");
  EXPECT_EQ(*PercentDecode("caf%c3%a9"), "café");
  EXPECT_EQ(*PercentDecode(""), "");
}

TEST(UrlTest, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(*PercentDecode("a+b%2Bc"), "a+b+c");
  EXPECT_EQ(*PercentDecode("a+b%2Bc", /*plus_as_space=*/true), "a b+c");
}

TEST(UrlTest, MalformedEscapesAreRefusedWithAMessage) {
  for (const char* bad : {"%", "%4", "abc%", "%zz", "%4g", "%%41", "a%x1b"}) {
    absl::StatusOr<std::string> decoded = PercentDecode(bad);
    ASSERT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(Message(decoded.status()), HasSubstr("two hex digits")) << bad;
  }
}

TEST(UrlTest, NulIsRefused) {
  absl::StatusOr<std::string> decoded = PercentDecode("site%00.html");
  ASSERT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(decoded.status()), HasSubstr("NUL"));
  EXPECT_FALSE(PercentDecode(std::string_view("a\0b", 3)).ok());
}

TEST(UrlTest, LongInputIsShortenedInTheMessage) {
  const std::string long_text = std::string(5000, 'a') + "%";
  absl::StatusOr<std::string> decoded = PercentDecode(long_text);
  ASSERT_FALSE(decoded.ok());
  EXPECT_LT(decoded.status().message().size(), 400u);
}

TEST(UrlTest, ParseQueryKeepsOrderRepeatsAndDecodes) {
  EXPECT_THAT(*ParseQuery("lang=ru&format=html"),
              ElementsAre(Pair("lang", "ru"), Pair("format", "html")));
  EXPECT_THAT(*ParseQuery("a=1&a=2"), ElementsAre(Pair("a", "1"), Pair("a", "2")));
  EXPECT_THAT(*ParseQuery("q=black-faced+spoonbill%2C+2024&x%20y=%3D"),
              ElementsAre(Pair("q", "black-faced spoonbill, 2024"), Pair("x y", "=")));
  EXPECT_THAT(*ParseQuery("flag&=v&k="),
              ElementsAre(Pair("flag", ""), Pair("", "v"), Pair("k", "")));
  EXPECT_THAT(*ParseQuery("a=b=c"), ElementsAre(Pair("a", "b=c")));
  EXPECT_THAT(*ParseQuery("&&a=1&&"), ElementsAre(Pair("a", "1")));
  EXPECT_THAT(*ParseQuery(""), IsEmpty());
}

TEST(UrlTest, ParseQueryRefusesMalformedEscapesAndNul) {
  EXPECT_EQ(ParseQuery("lang=%G1").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery("%=1").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery("a=%00").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UrlTest, SplitPathDecodesEachSegmentAfterSplitting) {
  EXPECT_THAT(*SplitPath("/"), IsEmpty());
  EXPECT_THAT(*SplitPath("/reports/sites/rason"), ElementsAre("reports", "sites", "rason"));
  EXPECT_THAT(*SplitPath("/a/b%2Fc"), ElementsAre("a", "b/c"));
  EXPECT_THAT(*SplitPath("/a/"), ElementsAre("a", ""));
  EXPECT_THAT(*SplitPath("//a"), ElementsAre("", "a"));
  EXPECT_THAT(*SplitPath("/a+b%20c"), ElementsAre("a+b c"));
}

TEST(UrlTest, SplitPathRefusesRelativeAndMalformedPaths) {
  EXPECT_EQ(SplitPath("a/b").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SplitPath("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SplitPath("/a/%zz").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SplitPath("/a%00").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UrlTest, RawPathDropsQueryAndAbsoluteFormPrefix) {
  EXPECT_EQ(RawPath("/a/b?x=1"), "/a/b");
  EXPECT_EQ(RawPath("/a%3Fb?x"), "/a%3Fb");
  EXPECT_EQ(RawPath("/"), "/");
  EXPECT_EQ(RawPath("http://localhost:8080/healthz?x"), "/healthz");
  EXPECT_EQ(RawPath("HTTP://localhost:8080"), "/");
  EXPECT_EQ(RawPath("http://localhost?x=1"), "/");
  EXPECT_EQ(RawPath("*"), "");
}

TEST(UrlTest, ParseTargetFillsPathAndQuery) {
  HttpRequest request;
  ASSERT_TRUE(ParseTarget("/reports/sites/ras%6Fn?lang=ru&format=html", request).ok());
  EXPECT_EQ(request.target, "/reports/sites/ras%6Fn?lang=ru&format=html");
  EXPECT_EQ(request.path, "/reports/sites/rason");
  EXPECT_THAT(request.query, ElementsAre(Pair("lang", "ru"), Pair("format", "html")));
  EXPECT_EQ(request.QueryValue("lang"), "ru");
  EXPECT_EQ(request.QueryValue("missing"), std::nullopt);

  ASSERT_TRUE(ParseTarget("http://127.0.0.1/a%20b", request).ok());
  EXPECT_EQ(request.path, "/a b");
  EXPECT_THAT(request.query, IsEmpty());
}

TEST(UrlTest, ParseTargetRefusesBadTargets) {
  HttpRequest request;
  for (const char* bad : {"*", "reports", "/a%2", "/a?b=%", "/%00", "ftp://x/y"}) {
    absl::Status status = ParseTarget(bad, request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_FALSE(status.message().empty());
  }
}

TEST(HttpMessageTest, TextAddsANewlineAndHtmlSetsTheType) {
  HttpResponse text = HttpResponse::Text(404, "not here");
  EXPECT_EQ(text.status, 404);
  EXPECT_EQ(text.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(text.body, "not here\n");
  EXPECT_EQ(HttpResponse::Text(200, "ok\n").body, "ok\n");
  HttpResponse html = HttpResponse::Html(200, "<p>x</p>");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(html.body, "<p>x</p>");
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(HttpMessageTest, HeaderLooksUpLowerCaseNames) {
  HttpRequest request;
  request.headers["accept-language"] = "ru";
  EXPECT_EQ(request.Header("accept-language"), "ru");
  EXPECT_EQ(request.Header("accept"), std::nullopt);
}

}  // namespace
}  // namespace wetlink::http
