#include "reports/html_text.h"

#include <cstddef>
#include <string>

#include "reports/render_cat.h"
#include "reports/render_text.h"

namespace wetlink::reports::internal {

std::string HtmlEscape(std::string_view text) {
  const std::string clean = SanitizeUtf8(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (const char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlLabels::Label(std::string_view key) { return Local(labels_.Get(key)); }

std::string HtmlLabels::LabelWith(std::string_view key, const std::vector<std::string>& html_args) {
  const LocalText label = labels_.Get(key);
  const std::string_view text = label.text;
  std::string html;
  std::size_t literal_from = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      std::size_t j = i + 1;
      std::size_t index = 0;
      while (j < text.size() && j - i <= 3 && text[j] >= '0' && text[j] <= '9') {
        index = index * 10 + static_cast<std::size_t>(text[j] - '0');
        ++j;
      }
      if (j > i + 1 && j < text.size() && text[j] == '}' && index < html_args.size()) {
        html += HtmlEscape(text.substr(literal_from, i - literal_from));
        html += html_args[index];
        i = j + 1;
        literal_from = i;
        continue;
      }
    }
    ++i;
  }
  html += HtmlEscape(text.substr(literal_from));
  if (!label.fallback) return html;
  return Cat("<span class=\"fallback\" lang=\"en\">", html, "</span>", Marks(true, false));
}

std::string HtmlLabels::Local(const LocalText& text) {
  const std::string escaped = HtmlEscape(text.text);
  if (!text.fallback && !text.unverified) return escaped;
  std::string classes;
  if (text.fallback) classes = "fallback";
  if (text.unverified) classes += classes.empty() ? "unverified" : " unverified";
  return Cat("<span class=\"", classes, "\"", text.fallback ? " lang=\"en\"" : "", ">", escaped,
             "</span>", Marks(text));
}

std::string HtmlLabels::Marks(const LocalText& text) {
  return Marks(text.fallback, text.unverified);
}

std::string HtmlLabels::Marks(bool fallback, bool unverified) {
  std::string marks;
  if (fallback) {
    used_fallback_ = true;
    Append(&marks, "<sup class=\"mark fallback-mark\" title=\"",
           HtmlEscape(labels_.Get("note.fallback").text), "\">", kFallbackMark, "</sup>");
  }
  if (unverified) {
    used_unverified_ = true;
    Append(&marks, "<sup class=\"mark unverified-mark\" title=\"",
           HtmlEscape(labels_.Get("note.unverified").text), "\">", kUnverifiedMark, "</sup>");
  }
  return marks;
}

std::string HtmlLabels::Plain(std::string_view key) const {
  return HtmlEscape(labels_.Get(key).text);
}

}  // namespace wetlink::reports::internal
