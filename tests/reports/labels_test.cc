#include "reports/labels.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace wetlink::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The labels file of `lang` as it is in the source tree.
nlohmann::json LabelsFile(const std::string& lang) {
  std::ifstream in(std::string(WETLINK_SOURCE_DIR) + "/data/reports/labels/" + lang + ".json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

std::set<std::string> Placeholders(const std::string& text) {
  static const std::regex kPlaceholder(R"(\{[0-9]+\})");
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kPlaceholder);
       it != std::sregex_iterator(); ++it) {
    found.insert(it->str());
  }
  return found;
}

std::shared_ptr<const Labels> Bundled(const std::string& lang) {
  absl::StatusOr<std::shared_ptr<const Labels>> labels = Labels::Bundled(lang);
  EXPECT_TRUE(labels.ok()) << labels.status();
  return labels.ok() ? *labels : nullptr;
}

TEST(LabelsTest, EveryBundledLanguageParses) {
  for (const std::string_view lang : kReportLanguages) {
    const std::shared_ptr<const Labels> labels = Bundled(std::string(lang));
    ASSERT_NE(labels, nullptr) << lang;
    EXPECT_EQ(labels->language(), lang);
    EXPECT_TRUE(IsReportLanguage(lang));
  }
  EXPECT_FALSE(IsReportLanguage("fr"));
  EXPECT_FALSE(IsReportLanguage(""));
}

TEST(LabelsTest, EveryLanguageHasEveryEnglishKey) {
  for (const std::string_view lang : kReportLanguages) {
    const std::shared_ptr<const Labels> labels = Bundled(std::string(lang));
    ASSERT_NE(labels, nullptr);
    EXPECT_THAT(labels->MissingKeys(), IsEmpty()) << lang;
  }
}

TEST(LabelsTest, FilesHaveNoKeysEnglishLacksAndTheSamePlaceholders) {
  const nlohmann::json english = LabelsFile("en")["labels"];
  for (const std::string lang : {"zh", "ru", "ko"}) {
    const nlohmann::json file = LabelsFile(lang);
    EXPECT_EQ(file["language"], lang);
    for (const auto& [key, text] : file["labels"].items()) {
      ASSERT_TRUE(english.contains(key)) << lang << ": " << key << " is not an English key";
      EXPECT_EQ(Placeholders(text.get<std::string>()),
                Placeholders(english[key].get<std::string>()))
          << lang << ": " << key;
    }
  }
}

TEST(LabelsTest, BundledLabelsAreTheFilesText) {
  for (const std::string_view lang : kReportLanguages) {
    const std::shared_ptr<const Labels> labels = Bundled(std::string(lang));
    ASSERT_NE(labels, nullptr);
    // Named: a temporary in the range expression would die before the loop.
    const nlohmann::json file = LabelsFile(std::string(lang));
    for (const auto& [key, text] : file["labels"].items()) {
      const LocalText got = labels->Get(key);
      EXPECT_EQ(got.text, text.get<std::string>()) << lang << ": " << key;
      EXPECT_FALSE(got.fallback) << lang << ": " << key;
    }
  }
}

TEST(LabelsTest, TranslationsAreNotEnglishCopies) {
  // Keys whose text may rightly be the same as in English.
  const std::set<std::string> same = {"common.list_separator", "unit.ha", "unit.km_value",
                                      "tagged.season_year"};
  const nlohmann::json english = LabelsFile("en")["labels"];
  for (const std::string lang : {"zh", "ru", "ko"}) {
    const nlohmann::json file = LabelsFile(lang);
    for (const auto& [key, text] : file["labels"].items()) {
      if (!same.contains(key)) {
        EXPECT_NE(text, english[key]) << lang << ": " << key;
      }
    }
  }
}

TEST(LabelsTest, BundledIsCachedAndSharedAcrossThreads) {
  std::vector<std::shared_ptr<const Labels>> seen(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      absl::StatusOr<std::shared_ptr<const Labels>> labels =
          Labels::Bundled(kReportLanguages[i % kReportLanguages.size()]);
      if (labels.ok()) seen[i] = *labels;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t i = 0; i < seen.size(); ++i) {
    ASSERT_NE(seen[i], nullptr);
    EXPECT_EQ(seen[i], seen[i % kReportLanguages.size()]);
  }
}

TEST(LabelsTest, UnsupportedLanguageNamesTheFieldAndValue) {
  const absl::StatusOr<std::shared_ptr<const Labels>> labels = Labels::Bundled("fr");
  ASSERT_FALSE(labels.ok());
  EXPECT_EQ(labels.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(labels.status().message(), HasSubstr("lang: 'fr'"));
  const absl::StatusOr<std::shared_ptr<const Labels>> named = Labels::Bundled("EN", "report.lang");
  ASSERT_FALSE(named.ok());
  EXPECT_THAT(named.status().message(), HasSubstr("report.lang: 'EN'"));
}

TEST(LabelsTest, MissingKeyFallsBackToEnglishThenToTheKey) {
  const std::shared_ptr<const Labels> english = Bundled("en");
  absl::StatusOr<Labels> partial = Labels::FromJson(
      R"({"language": "ru", "labels": {"common.yes": "да", "facts.designation_year": "с {0} г."}})",
      "partial.json", english);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(partial->language(), "ru");

  const LocalText yes = partial->Get("common.yes");
  EXPECT_EQ(yes.text, "да");
  EXPECT_FALSE(yes.fallback);
  const LocalText no = partial->Get("common.no");
  EXPECT_EQ(no.text, "no");
  EXPECT_TRUE(no.fallback);
  const LocalText unknown = partial->Get("no.such.key");
  EXPECT_EQ(unknown.text, "no.such.key");
  EXPECT_TRUE(unknown.fallback);

  EXPECT_EQ(partial->Format("facts.designation_year", {"2018"}).text, "с 2018 г.");
  const LocalText formatted = partial->Format("facts.designation_number", {"2343"});
  EXPECT_EQ(formatted.text, "no. 2343");
  EXPECT_TRUE(formatted.fallback);

  const std::vector<std::string> missing = partial->MissingKeys();
  EXPECT_THAT(missing, ::testing::Contains("common.no"));
  EXPECT_THAT(missing, ::testing::Not(::testing::Contains("common.yes")));
  EXPECT_THAT(english->MissingKeys(), IsEmpty());
}

TEST(LabelsTest, FormatReplacesOnlyIndexedPlaceholdersItHasArgumentsFor) {
  absl::StatusOr<Labels> labels = Labels::FromJson(
      R"({"language": "en", "labels": {"k": "{1} and {0}, {2} {x} {} {"}})", "k.json", nullptr);
  ASSERT_TRUE(labels.ok());
  EXPECT_EQ(labels->Format("k", {"a", "b"}).text, "b and a, {2} {x} {} {");
}

TEST(LabelsTest, NamesInTheLanguageElseEnglishMarked) {
  const std::shared_ptr<const Labels> ru = Bundled("ru");
  const std::shared_ptr<const Labels> ko = Bundled("ko");
  const std::map<std::string, std::string> names = {{"en", "Rason Migratory Bird Reserve"},
                                                    {"ko", "라선철새보호구"}};
  const LocalText in_ko = ko->Name(names, {"ko"});
  EXPECT_EQ(in_ko.text, "라선철새보호구");
  EXPECT_FALSE(in_ko.fallback);
  EXPECT_TRUE(in_ko.unverified);
  const LocalText in_ru = ru->Name(names, {"ko"});
  EXPECT_EQ(in_ru.text, "Rason Migratory Bird Reserve");
  EXPECT_TRUE(in_ru.fallback);
  EXPECT_FALSE(in_ru.unverified);
  const LocalText only_ja = ru->Name({{"ja", "出水"}}, {});
  EXPECT_EQ(only_ja.text, "出水");
  EXPECT_TRUE(only_ja.fallback);
  EXPECT_EQ(ru->Name({}, {}).text, "");
}

TEST(LabelsTest, CountriesByCode) {
  const std::shared_ptr<const Labels> ko = Bundled("ko");
  EXPECT_EQ(ko->Country("KP").text, "조선민주주의인민공화국");
  EXPECT_EQ(ko->Country("KR").text, "대한민국");
  EXPECT_EQ(ko->Country("").text, "국가 미상");
  const LocalText unknown_code = ko->Country("ZZ");
  EXPECT_EQ(unknown_code.text, "ZZ");
  EXPECT_FALSE(unknown_code.fallback);
  for (const std::string_view lang : kReportLanguages) {
    const std::shared_ptr<const Labels> labels = Bundled(std::string(lang));
    for (const std::string code : {"KP", "CN", "RU", "MN", "KR", "JP", "HK", "TW"}) {
      EXPECT_FALSE(labels->Country(code).fallback) << lang << " " << code;
      EXPECT_NE(labels->Country(code).text, code) << lang << " " << code;
    }
  }
}

TEST(LabelsTest, MalformedFilesNameTheFileAndKey) {
  const absl::StatusOr<Labels> not_json = Labels::FromJson("{", "broken.json", nullptr);
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_json.status().message(), HasSubstr("broken.json"));

  const absl::StatusOr<Labels> not_string =
      Labels::FromJson(R"({"language": "zh", "labels": {"common.yes": 1}})", "zh.json", nullptr);
  ASSERT_FALSE(not_string.ok());
  EXPECT_THAT(not_string.status().message(), HasSubstr("zh.json"));
  EXPECT_THAT(not_string.status().message(), HasSubstr("common.yes"));

  const absl::StatusOr<Labels> no_language =
      Labels::FromJson(R"({"labels": {}})", "nolang.json", nullptr);
  ASSERT_FALSE(no_language.ok());
  EXPECT_THAT(no_language.status().message(), HasSubstr("nolang.json: language"));

  const absl::StatusOr<Labels> no_labels =
      Labels::FromJson(R"({"language": "en", "labels": []})", "list.json", nullptr);
  ASSERT_FALSE(no_labels.ok());
  EXPECT_THAT(no_labels.status().message(), HasSubstr("list.json: labels"));
}

}  // namespace
}  // namespace wetlink::reports
