#include "counts/count_validation.h"

#include <string>
#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/reject_reason.h"
#include "tests/counts/counts_testing.h"

namespace wetlink::counts {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;
using testing::BundledCatalog;
using testing::kToday;
using ::testing::AllOf;
using ::testing::HasSubstr;

// A count every check accepts: Hooded cranes at Rason in October.
RawCount Good() {
  RawCount raw;
  raw.survey_id = "TUM-2023-AUT-01";
  raw.site_id = "rason";
  raw.date = "2023-10-21";
  raw.species = "HC";
  raw.count = 120;
  raw.method = "ground";
  raw.observer = "Observer A";
  raw.organisation = "Example Survey Group";
  raw.notes = "Feeding on harvested rice fields";
  return raw;
}

std::variant<Count, FieldProblem> Validate(const RawCount& raw, const CountLimits& limits = {}) {
  return ValidateCount(raw, BundledCatalog(), kToday, limits);
}

// The count `raw` validates to; a test failure if it is refused.
Count Accepted(const RawCount& raw, const CountLimits& limits = {}) {
  auto result = Validate(raw, limits);
  if (const auto* problem = std::get_if<FieldProblem>(&result)) {
    ADD_FAILURE() << "refused: " << problem->field << ": " << problem->message;
    return {};
  }
  return std::get<Count>(result);
}

// The problem `raw` is refused with; a test failure if it is accepted.
FieldProblem Refused(const RawCount& raw, const CountLimits& limits = {}) {
  auto result = Validate(raw, limits);
  if (std::holds_alternative<Count>(result)) {
    ADD_FAILURE() << "accepted";
    return {};
  }
  return std::get<FieldProblem>(result);
}

// ---------------------------------------------------------------------------
// Accepted counts.

TEST(ValidateCountTest, AcceptsAGoodCountWithCatalogIds) {
  const Count count = Accepted(Good());
  Count expected;
  expected.survey_id = "TUM-2023-AUT-01";
  expected.site_id = "rason";
  expected.date_days = 19651;  // 2023-10-21
  expected.species_id = "grus_monacha";
  expected.count = 120;
  expected.method = SurveyMethod::kGround;
  expected.observer = "Observer A";
  expected.organisation = "Example Survey Group";
  expected.notes = "Feeding on harvested rice fields";
  EXPECT_EQ(count, expected);
}

TEST(ValidateCountTest, ZeroCountIsData) {
  RawCount raw = Good();
  raw.count = 0;
  EXPECT_EQ(Accepted(raw).count, 0);
}

TEST(ValidateCountTest, SpeciesByIdCodeOrScientificName) {
  for (const char* species : {"grus_monacha", "HC", "hc", "Grus monacha", "grus MONACHA"}) {
    RawCount raw = Good();
    raw.species = species;
    EXPECT_EQ(Accepted(raw).species_id, "grus_monacha") << species;
  }
  RawCount spoonbill = Good();
  spoonbill.species = "Platalea minor";
  EXPECT_EQ(Accepted(spoonbill).species_id, "platalea_minor");
  RawCount white_naped = Good();
  white_naped.species = "WNC";
  EXPECT_EQ(Accepted(white_naped).species_id, "antigone_vipio");
}

TEST(ValidateCountTest, MethodIgnoresCaseAndMayBeEmpty) {
  RawCount raw = Good();
  raw.method = "Aerial";
  EXPECT_EQ(Accepted(raw).method, SurveyMethod::kAerial);
  raw.method = "";
  EXPECT_EQ(Accepted(raw).method, SurveyMethod::kUnspecified);
}

TEST(ValidateCountTest, OptionalTextMayBeEmptyOrAnyScript) {
  RawCount raw = Good();
  raw.observer = "";
  raw.organisation = "";
  raw.notes = "";
  EXPECT_EQ(Accepted(raw).notes, "");
  raw.observer = "김 관찰자";
  raw.organisation = "珲春自然保护区";
  raw.notes = "Журавли на рисовых полях 🐦";
  const Count count = Accepted(raw);
  EXPECT_EQ(count.observer, "김 관찰자");
  EXPECT_EQ(count.organisation, "珲春自然保护区");
  EXPECT_EQ(count.notes, "Журавли на рисовых полях 🐦");
}

TEST(ValidateCountTest, BoundariesAreInclusive) {
  RawCount raw = Good();
  raw.date = "1900-01-01";
  EXPECT_EQ(Accepted(raw).date_days, -25567);
  raw.date = "2025-01-02";  // today plus the one day of time-zone tolerance
  EXPECT_EQ(Accepted(raw).date_days, kToday + 1);
  raw.count = 10'000'000;
  EXPECT_EQ(Accepted(raw).count, 10'000'000);
  raw.survey_id = std::string(128, 's');
  raw.observer = std::string(256, 'o');
  raw.organisation = std::string(256, 'g');
  raw.notes = std::string(2000, 'n');
  EXPECT_EQ(Accepted(raw).notes.size(), 2000u);
}

TEST(ValidateCountTest, LimitsComeFromTheCaller) {
  CountLimits limits;
  limits.max_count = 100;
  limits.future_tolerance_days = 0;
  RawCount raw = Good();
  raw.count = 101;
  EXPECT_EQ(Refused(raw, limits).reason, RejectReason::kCountOutOfRange);
  raw.count = 100;
  raw.date = "2025-01-02";
  EXPECT_EQ(Refused(raw, limits).reason, RejectReason::kDateOutOfRange);
}

// ---------------------------------------------------------------------------
// One test per reject reason, in the documented check order.

TEST(ValidateCountTest, SurveyIdEmpty) {
  RawCount raw = Good();
  raw.survey_id = "";
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kMissingField, "survey_id",
                                        "survey_id is empty"}));
}

TEST(ValidateCountTest, SurveyIdTooLong) {
  RawCount raw = Good();
  raw.survey_id = std::string(129, 's');
  const FieldProblem problem = Refused(raw);
  EXPECT_EQ(problem.reason, RejectReason::kFieldTooLong);
  EXPECT_EQ(problem.field, "survey_id");
  EXPECT_THAT(problem.message, HasSubstr("survey_id is 129 bytes long, more than 128"));
}

TEST(ValidateCountTest, SurveyIdWithControlCharacter) {
  RawCount raw = Good();
  raw.survey_id = "TUM\t01";
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kMalformedRow, "survey_id",
                                        "survey_id 'TUM\\x0901' has invalid UTF-8 or a control "
                                        "character at byte 3"}));
}

TEST(ValidateCountTest, SiteIdEmpty) {
  RawCount raw = Good();
  raw.site_id = "";
  EXPECT_EQ(Refused(raw),
            (FieldProblem{RejectReason::kMissingField, "site_id", "site_id is empty"}));
}

TEST(ValidateCountTest, SiteIdUnknown) {
  RawCount raw = Good();
  raw.site_id = "atlantis";
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kUnknownSite, "site_id",
                                        "site_id 'atlantis' is not a site in the catalog"}));
  raw.site_id = "Rason";  // ids are exact
  EXPECT_EQ(Refused(raw).reason, RejectReason::kUnknownSite);
}

TEST(ValidateCountTest, DateEmpty) {
  RawCount raw = Good();
  raw.date = "";
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kMissingField, "date", "date is empty"}));
}

TEST(ValidateCountTest, DateNotACalendarDate) {
  RawCount raw = Good();
  raw.date = "2023-02-29";
  EXPECT_EQ(Refused(raw),
            (FieldProblem{RejectReason::kBadDate, "date",
                          "date '2023-02-29' is not a calendar date written yyyy-MM-dd"}));
  for (const char* date : {"21.10.2023", "2023-10-21 08:00", "2023-10-1", "yesterday"}) {
    raw.date = date;
    const FieldProblem problem = Refused(raw);
    EXPECT_EQ(problem.reason, RejectReason::kBadDate) << date;
    EXPECT_THAT(problem.message, HasSubstr(date));
  }
}

TEST(ValidateCountTest, DateBeforeEarliest) {
  RawCount raw = Good();
  raw.date = "1899-12-31";
  EXPECT_EQ(Refused(raw),
            (FieldProblem{RejectReason::kDateOutOfRange, "date",
                          "date 1899-12-31 is before the earliest accepted survey date "
                          "1900-01-01"}));
}

TEST(ValidateCountTest, DateInTheFuture) {
  RawCount raw = Good();
  raw.date = "2025-01-03";
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kDateOutOfRange, "date",
                                        "date 2025-01-03 is in the future: today is 2025-01-01 "
                                        "and at most 1 day(s) ahead are accepted"}));
}

TEST(ValidateCountTest, SpeciesEmpty) {
  RawCount raw = Good();
  raw.species = "";
  EXPECT_EQ(Refused(raw),
            (FieldProblem{RejectReason::kMissingField, "species", "species is empty"}));
}

TEST(ValidateCountTest, SpeciesUnknown) {
  RawCount raw = Good();
  raw.species = "Grus grus";  // Common crane: real, but not in the catalog
  EXPECT_EQ(Refused(raw),
            (FieldProblem{RejectReason::kUnknownSpecies, "species",
                          "species 'Grus grus' is not a catalog species id, code or scientific "
                          "name"}));
  raw.species = "Grus";  // no prefix matching
  EXPECT_EQ(Refused(raw).reason, RejectReason::kUnknownSpecies);
  raw.species = "Hooded Crane";  // common names are not identifiers
  EXPECT_EQ(Refused(raw).reason, RejectReason::kUnknownSpecies);
}

TEST(ValidateCountTest, CountAbsent) {
  RawCount raw = Good();
  raw.count.reset();
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kMissingField, "count", "count is empty"}));
}

TEST(ValidateCountTest, CountNegative) {
  RawCount raw = Good();
  raw.count = -4;
  EXPECT_EQ(Refused(raw),
            (FieldProblem{RejectReason::kNegativeCount, "count", "count -4 is negative"}));
}

TEST(ValidateCountTest, CountAboveMaximum) {
  RawCount raw = Good();
  raw.count = 10'000'001;
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kCountOutOfRange, "count",
                                        "count 10000001 is more than the maximum 10000000"}));
}

TEST(ValidateCountTest, MethodUnknown) {
  RawCount raw = Good();
  raw.method = "estimate";
  EXPECT_EQ(Refused(raw),
            (FieldProblem{RejectReason::kUnknownMethod, "method",
                          "method 'estimate' is not a survey method; accepted: ground, aerial, "
                          "boat, roost, other (any case), or empty"}));
}

TEST(ValidateCountTest, ObserverOrganisationNotesTooLong) {
  RawCount raw = Good();
  raw.observer = std::string(257, 'o');
  FieldProblem problem = Refused(raw);
  EXPECT_EQ(problem.reason, RejectReason::kFieldTooLong);
  EXPECT_EQ(problem.field, "observer");
  EXPECT_THAT(problem.message,
              AllOf(HasSubstr("observer is 257 bytes long, more than 256"), HasSubstr("...")));

  raw = Good();
  raw.organisation = std::string(257, 'g');
  problem = Refused(raw);
  EXPECT_EQ(problem.reason, RejectReason::kFieldTooLong);
  EXPECT_EQ(problem.field, "organisation");
  EXPECT_THAT(problem.message, HasSubstr("organisation is 257 bytes long, more than 256"));

  raw = Good();
  raw.notes = std::string(2001, 'n');
  problem = Refused(raw);
  EXPECT_EQ(problem.reason, RejectReason::kFieldTooLong);
  EXPECT_EQ(problem.field, "notes");
  EXPECT_THAT(problem.message, HasSubstr("notes is 2001 bytes long, more than 2000"));
}

TEST(ValidateCountTest, TextWithInvalidUtf8OrControlCharacters) {
  RawCount raw = Good();
  raw.notes = "mud\xC3(flats";  // a cut two-byte sequence
  EXPECT_EQ(Refused(raw), (FieldProblem{RejectReason::kMalformedRow, "notes",
                                        "notes 'mud\\xC3(flats' has invalid UTF-8 or a control "
                                        "character at byte 3"}));
  raw = Good();
  raw.observer = "A\nB";
  EXPECT_EQ(Refused(raw).field, "observer");
  raw = Good();
  raw.organisation = "Group\x7F";
  EXPECT_EQ(Refused(raw).field, "organisation");
}

TEST(ValidateCountTest, FirstFailureInCheckOrderWins) {
  RawCount raw;  // everything empty or absent
  raw.method = "estimate";
  EXPECT_EQ(Refused(raw).field, "survey_id");
  raw.survey_id = "S1";
  EXPECT_EQ(Refused(raw).field, "site_id");
  raw.site_id = "rason";
  EXPECT_EQ(Refused(raw).field, "date");
  raw.date = "2023-10-21";
  EXPECT_EQ(Refused(raw).field, "species");
  raw.species = "HC";
  EXPECT_EQ(Refused(raw).field, "count");
  raw.count = 1;
  EXPECT_EQ(Refused(raw).field, "method");
  raw.method = "";
  raw.notes = std::string(2001, 'n');
  raw.observer = "A\tB";
  EXPECT_EQ(Refused(raw).field, "observer");
}

// ---------------------------------------------------------------------------
// The text helpers.

TEST(PrintableUtf8Test, AcceptsWellFormedTextWithoutControls) {
  EXPECT_TRUE(IsPrintableUtf8(""));
  EXPECT_TRUE(IsPrintableUtf8("Rason Migratory Bird Reserve"));
  EXPECT_TRUE(IsPrintableUtf8("흑두루미 / 白头鹤 / ナベヅル"));
  EXPECT_TRUE(IsPrintableUtf8("\xF0\x9F\x90\xA6"));  // U+1F426 BIRD
  EXPECT_TRUE(IsPrintableUtf8("\xC2\xA0"));          // U+00A0, just past the C1 controls
}

TEST(PrintableUtf8Test, RefusesMalformedSequencesAndControls) {
  for (const char* text : {
           "\xC0\xAF",          // overlong '/'
           "\xE0\x80\xAF",      // overlong, three bytes
           "\xF0\x80\x80\xAF",  // overlong, four bytes
           "\xED\xA0\x80",      // UTF-16 surrogate
           "\xF4\x90\x80\x80",  // above U+10FFFF
           "\xE2\x82",          // cut short
           "\x80",              // continuation byte alone
           "\xFF",              // never valid
           "\t", "\r", "\x1B", "\x7F",
           "\xC2\x85",  // U+0085, a C1 control (NEXT LINE)
       }) {
    EXPECT_FALSE(IsPrintableUtf8(text)) << ::testing::PrintToString(std::string(text));
  }
  EXPECT_FALSE(IsPrintableUtf8(std::string("a\0b", 3)));
}

TEST(QuoteForMessageTest, EscapesWhatIsNotPrintableUtf8) {
  EXPECT_EQ(QuoteForMessage(""), "''");
  EXPECT_EQ(QuoteForMessage("Grus grus"), "'Grus grus'");
  EXPECT_EQ(QuoteForMessage("백조\tswan"), "'백조\\x09swan'");
  EXPECT_EQ(QuoteForMessage("a\xC2\x85z\xFF"), "'a\\xC2\\x85z\\xFF'");
  EXPECT_TRUE(IsPrintableUtf8(QuoteForMessage("\xED\xA0\x80\xC3")));
}

TEST(QuoteForMessageTest, CutsLongTextAtACharacterBoundary) {
  EXPECT_EQ(QuoteForMessage(std::string(64, 'x')), "'" + std::string(64, 'x') + "'");
  EXPECT_EQ(QuoteForMessage(std::string(65, 'x')), "'" + std::string(64, 'x') + "...'");
  // A two-byte character straddling byte 64 is kept whole, never split.
  const std::string text = std::string(63, 'x') + "é" + "tail";
  EXPECT_EQ(QuoteForMessage(text), "'" + std::string(63, 'x') + "é...'");
}

}  // namespace
}  // namespace wetlink::counts
