#ifndef WETLINK_REPORTS_HTML_PAGE_H_
#define WETLINK_REPORTS_HTML_PAGE_H_

// Internal to the report renderers: the frame of a printable report page,
// shared by the site report and the species list. One self-contained
// document: UTF-8, inline CSS with an A4 print set-up, no script, no
// external resource. The font stack starts with the Noto CJK face of the
// language (Simplified Chinese for zh, Korean for ko) so that Han
// characters take the forms the reader expects.

#include <string>
#include <string_view>

namespace wetlink::reports::internal {

// The CSS font-family list for `lang`.
std::string FontStack(std::string_view lang);

// "<!doctype html>" up to and including "<body>". `title` is plain text.
std::string HtmlPageStart(std::string_view lang, std::string_view title, bool landscape);

// "</body></html>".
std::string_view HtmlPageEnd();

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_HTML_PAGE_H_
