#ifndef WETLINK_REPORTS_LABELS_H_
#define WETLINK_REPORTS_LABELS_H_

// Every word a report prints, in the report languages. Labels live in data
// files a person can review (data/reports/labels/<lang>.json, embedded in
// the binary); a label or name missing in a language falls back to English
// and says so (LocalText::fallback), and the renderers mark it.

#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace wetlink::reports {

inline constexpr std::array<std::string_view, 4> kReportLanguages = {"en", "zh", "ru", "ko"};

bool IsReportLanguage(std::string_view lang);

struct LocalText {
  std::string text;
  bool fallback = false;    // shown in English: no translation in the language
  bool unverified = false;  // a name the catalog marks as without a source
};

class Labels {
 public:
  // The bundled labels of `lang`. InvalidArgument naming `field` and the
  // value for a language that is not one of kReportLanguages.
  static absl::StatusOr<std::shared_ptr<const Labels>> Bundled(std::string_view lang,
                                                               std::string_view field = "lang");

  // Parses a labels file: {"language": "ru", "labels": {"key": "text", ...}}.
  // `english` (nullptr for English itself) supplies fallbacks.
  // InvalidArgument naming the file and key for malformed content.
  static absl::StatusOr<Labels> FromJson(std::string_view text, std::string_view file_name,
                                         std::shared_ptr<const Labels> english);

  const std::string& language() const { return language_; }

  // The label `key`; English (fallback) when missing; the key itself
  // (fallback) when missing in English too.
  LocalText Get(std::string_view key) const;
  // Get(key) with "{0}", "{1}"... replaced by `args`.
  LocalText Format(std::string_view key, const std::vector<std::string>& args) const;
  // A catalog name in this language, else English (fallback).
  LocalText Name(const std::map<std::string, std::string>& names,
                 const std::vector<std::string>& unverified) const;
  // "country.<code>"; the code itself when unknown; "" code: "country.unknown".
  LocalText Country(std::string_view code) const;

  // Keys present in English but missing here (for the review of a file).
  std::vector<std::string> MissingKeys() const;

 private:
  std::string language_;
  std::map<std::string, std::string, std::less<>> labels_;
  std::shared_ptr<const Labels> english_;
};

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_LABELS_H_
