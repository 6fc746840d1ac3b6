#ifndef WETLINK_REPORTS_HTML_TEXT_H_
#define WETLINK_REPORTS_HTML_TEXT_H_

// Internal to the report renderers: text into HTML and SVG. Every string
// that reaches a page goes through HtmlEscape (names, notes and ids come
// from user imports), and every label through HtmlLabels, which marks the
// labels and names shown in English for want of a translation (class
// "fallback", a dagger) and names without a cited source (class
// "unverified", a double dagger), and remembers which marks it used so the
// page can explain them in footnotes.

#include <string>
#include <string_view>
#include <vector>

#include "reports/labels.h"

namespace wetlink::reports::internal {

// SanitizeUtf8, then & < > " ' as character references: safe in element
// content and in quoted attribute values.
std::string HtmlEscape(std::string_view text);

inline constexpr std::string_view kFallbackMark = "\xE2\x80\xA0";    // U+2020 dagger
inline constexpr std::string_view kUnverifiedMark = "\xE2\x80\xA1";  // U+2021 double dagger

class HtmlLabels {
 public:
  explicit HtmlLabels(const Labels& labels) : labels_(labels) {}

  const Labels& labels() const { return labels_; }

  // The escaped label, marked when it is a fallback.
  std::string Label(std::string_view key);
  // The label with "{n}" replaced by html_args[n] (already HTML), the rest
  // of the label escaped; marked when it is a fallback.
  std::string LabelWith(std::string_view key, const std::vector<std::string>& html_args);
  // Any text in the language (a name, a formatted label), escaped and marked.
  std::string Local(const LocalText& text);
  // The marks for `text` alone ("" when none), to follow a value that is
  // printed on its own (a data-key cell).
  std::string Marks(const LocalText& text);
  std::string Marks(bool fallback, bool unverified);
  // Plain (escaped, unmarked) label text, for attributes and SVG titles.
  std::string Plain(std::string_view key) const;

  bool used_fallback() const { return used_fallback_; }
  bool used_unverified() const { return used_unverified_; }

 private:
  const Labels& labels_;
  bool used_fallback_ = false;
  bool used_unverified_ = false;
};

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_HTML_TEXT_H_
