#include "reports/labels.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "reports/render_cat.h"

namespace wetlink::reports {

// Defined in the generated report_labels_text.cc (reports/CMakeLists.txt
// embeds data/reports/labels/<lang>.json).
namespace embedded {
std::string_view Labels_en_json();
std::string_view Labels_zh_json();
std::string_view Labels_ru_json();
std::string_view Labels_ko_json();
}  // namespace embedded

namespace {

constexpr std::string_view kEnglish = "en";

using LabelsOrError = absl::StatusOr<std::shared_ptr<const Labels>>;

std::string_view BundledText(std::string_view lang) {
  if (lang == "zh") return embedded::Labels_zh_json();
  if (lang == "ru") return embedded::Labels_ru_json();
  if (lang == "ko") return embedded::Labels_ko_json();
  return embedded::Labels_en_json();
}

LabelsOrError ParseBundled(std::string_view lang, std::shared_ptr<const Labels> english) {
  const std::string file_name = internal::Cat("data/reports/labels/", lang, ".json");
  absl::StatusOr<Labels> labels = Labels::FromJson(BundledText(lang), file_name, english);
  if (!labels.ok()) return labels.status();
  if (labels->language() != lang) {
    return absl::InvalidArgumentError(
        internal::Cat(file_name, ": language: '", labels->language(), "' is not '", lang, "'"));
  }
  return std::make_shared<const Labels>(*std::move(labels));
}

// Every bundled language, in kReportLanguages order, English first.
std::array<LabelsOrError, kReportLanguages.size()> ParseAllBundled() {
  std::array<LabelsOrError, kReportLanguages.size()> all;
  all[0] = ParseBundled(kEnglish, nullptr);
  for (std::size_t i = 1; i < kReportLanguages.size(); ++i) {
    if (!all[0].ok()) {
      all[i] = all[0].status();
      continue;
    }
    all[i] = ParseBundled(kReportLanguages[i], *all[0]);
  }
  return all;
}

// Replaces "{n}" with args[n]; anything else (a brace without a valid index,
// an index past the arguments) stays as written.
std::string Substitute(std::string_view text, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      std::size_t j = i + 1;
      std::size_t index = 0;
      while (j < text.size() && j - i <= 3 && text[j] >= '0' && text[j] <= '9') {
        index = index * 10 + static_cast<std::size_t>(text[j] - '0');
        ++j;
      }
      if (j > i + 1 && j < text.size() && text[j] == '}' && index < args.size()) {
        out += args[index];
        i = j + 1;
        continue;
      }
    }
    out += text[i];
    ++i;
  }
  return out;
}

}  // namespace

bool IsReportLanguage(std::string_view lang) {
  return std::find(kReportLanguages.begin(), kReportLanguages.end(), lang) !=
         kReportLanguages.end();
}

absl::StatusOr<std::shared_ptr<const Labels>> Labels::Bundled(std::string_view lang,
                                                              std::string_view field) {
  const auto it = std::find(kReportLanguages.begin(), kReportLanguages.end(), lang);
  if (it == kReportLanguages.end()) {
    return absl::InvalidArgumentError(internal::Cat(field, ": '", lang,
                                                    "' is not a report language (",
                                                    internal::Join(kReportLanguages, ", "), ")"));
  }
  // A function-local static is initialised once, thread-safely; the parsed
  // labels are immutable and shared by every caller.
  static const std::array<LabelsOrError, kReportLanguages.size()> kAll = ParseAllBundled();
  return kAll[static_cast<std::size_t>(it - kReportLanguages.begin())];
}

absl::StatusOr<Labels> Labels::FromJson(std::string_view text, std::string_view file_name,
                                        std::shared_ptr<const Labels> english) {
  // nlohmann::json throws; no exception leaves this module.
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(internal::Cat(file_name, ": not JSON: ", e.what()));
  }
  if (!json.is_object()) {
    return absl::InvalidArgumentError(internal::Cat(file_name, ": not a JSON object"));
  }
  const auto language = json.find("language");
  if (language == json.end() || !language->is_string() ||
      language->get_ref<const std::string&>().empty()) {
    return absl::InvalidArgumentError(
        internal::Cat(file_name, ": language: missing or not a non-empty string"));
  }
  const auto entries = json.find("labels");
  if (entries == json.end() || !entries->is_object()) {
    return absl::InvalidArgumentError(
        internal::Cat(file_name, ": labels: missing or not an object"));
  }
  Labels labels;
  labels.language_ = language->get<std::string>();
  for (const auto& [key, value] : entries->items()) {
    if (key.empty()) {
      return absl::InvalidArgumentError(internal::Cat(file_name, ": labels: an empty key"));
    }
    if (!value.is_string()) {
      return absl::InvalidArgumentError(
          internal::Cat(file_name, ": labels.", key, ": not a string"));
    }
    labels.labels_.emplace(key, value.get<std::string>());
  }
  labels.english_ = std::move(english);
  return labels;
}

LocalText Labels::Get(std::string_view key) const {
  if (const auto it = labels_.find(key); it != labels_.end()) return {.text = it->second};
  if (english_ != nullptr) {
    if (const auto it = english_->labels_.find(key); it != english_->labels_.end()) {
      return {.text = it->second, .fallback = true};
    }
  }
  return {.text = std::string(key), .fallback = true};
}

LocalText Labels::Format(std::string_view key, const std::vector<std::string>& args) const {
  LocalText text = Get(key);
  text.text = Substitute(text.text, args);
  return text;
}

LocalText Labels::Name(const std::map<std::string, std::string>& names,
                       const std::vector<std::string>& unverified) const {
  auto is_unverified = [&](std::string_view lang) {
    return std::find(unverified.begin(), unverified.end(), lang) != unverified.end();
  };
  if (const auto it = names.find(language_); it != names.end() && !it->second.empty()) {
    return {.text = it->second, .unverified = is_unverified(language_)};
  }
  if (const auto it = names.find(std::string(kEnglish)); it != names.end() && !it->second.empty()) {
    return {.text = it->second,
            .fallback = language_ != kEnglish,
            .unverified = is_unverified(kEnglish)};
  }
  // No English name either: any name there is, marked as not in the language.
  for (const auto& [lang, name] : names) {
    if (!name.empty()) return {.text = name, .fallback = true, .unverified = is_unverified(lang)};
  }
  return {};
}

LocalText Labels::Country(std::string_view code) const {
  if (code.empty()) return Get("country.unknown");
  const std::string key = internal::Cat("country.", code);
  if (labels_.find(key) == labels_.end() &&
      (english_ == nullptr || english_->labels_.find(key) == english_->labels_.end())) {
    return {.text = std::string(code)};
  }
  return Get(key);
}

std::vector<std::string> Labels::MissingKeys() const {
  std::vector<std::string> missing;
  if (english_ == nullptr) return missing;
  for (const auto& [key, text] : english_->labels_) {
    if (labels_.find(key) == labels_.end()) missing.push_back(key);
  }
  return missing;
}

}  // namespace wetlink::reports
