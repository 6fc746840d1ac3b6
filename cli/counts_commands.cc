// wetlink counts import|list: count surveys.
//
// `counts import` parses the file here with counts::CountCsvReader, so rows
// the parser refuses never travel, and sends the parsed rows with
// SubmitCounts in batches; the server validates and stores each record on
// its own. Refusals of both stages are reported together, in line order.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/commands.h"
#include "counts/count.h"
#include "counts/count_csv.h"
#include "counts/count_validation.h"
#include "telemetry/reject_reason.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace wetlink::cli {
namespace {

namespace fs = std::filesystem;

// Largest --batch-size: the server refuses requests of more counts.
constexpr int kMaxBatchSize = 100'000;

// A refused row of the file, by the parser (here) or by the server.
struct RefusedRow {
  std::size_t line = 0;  // 1-based line of the row in the file
  std::string field;     // count CSV column name; "" for the row as a whole
  std::string reason;    // a RejectReason code, e.g. "UNKNOWN_SITE"
  std::string message;
};

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

// Where refusals go: standard error ("wetlink: FILE line N, column FIELD:
// MESSAGE (REASON)"), or a CSV file "line,field,reason,message" written
// beside its target and renamed into place by Commit().
class RefusalReport {
 public:
  RefusalReport(std::string source_name, std::string rejects_path)
      : source_name_(std::move(source_name)), path_(std::move(rejects_path)) {}

  // Opens the rejects file, if any. False when it cannot be written.
  bool Open() {
    if (path_.empty()) return true;
    out_.open(path_ + ".part", std::ios::binary | std::ios::trunc);
    out_ << "line,field,reason,message\r\n";
    return static_cast<bool>(out_);
  }

  void Add(const RefusedRow& r) {
    ++count_;
    if (path_.empty()) {
      std::cerr << "wetlink: " << source_name_ << " line " << r.line
                << (r.field.empty() ? "" : ", column " + r.field) << ": " << r.message << " ("
                << r.reason << ")\n";
      return;
    }
    out_ << r.line << ',' << CsvField(r.field) << ',' << CsvField(r.reason) << ','
         << CsvField(r.message) << "\r\n";
  }

  // Closes the rejects file and renames it into place (or removes it when
  // `keep` is false). False when writing failed.
  bool Commit(bool keep) {
    if (path_.empty()) return true;
    out_.close();
    std::error_code ec;
    if (!keep || !out_) {
      fs::remove(path_ + ".part", ec);
      return !keep || static_cast<bool>(out_);
    }
    fs::rename(path_ + ".part", path_, ec);
    return !ec;
  }

  std::size_t count() const { return count_; }
  const std::string& path() const { return path_; }

 private:
  std::string source_name_;
  std::string path_;
  std::ofstream out_;
  std::size_t count_ = 0;
};

void ToProto(const counts::RawCount& raw, v1::Count* out) {
  out->set_survey_id(raw.survey_id);
  out->set_site_id(raw.site_id);
  out->set_date(raw.date);
  out->set_species(raw.species);
  if (raw.count) out->set_count(*raw.count);
  out->set_method(raw.method);
  out->set_observer(raw.observer);
  out->set_organisation(raw.organisation);
  out->set_notes(raw.notes);
}

// A cell that is not printable UTF-8 cannot travel in a protobuf string;
// the server refuses such text (MALFORMED_ROW naming the field) anyway.
std::optional<RefusedRow> CheckText(const counts::CountRow& row) {
  const std::pair<const char*, const std::string*> cells[] = {
      {"survey_id", &row.raw.survey_id},
      {"site_id", &row.raw.site_id},
      {"date", &row.raw.date},
      {"species", &row.raw.species},
      {"method", &row.raw.method},
      {"observer", &row.raw.observer},
      {"organisation", &row.raw.organisation},
      {"notes", &row.raw.notes}};
  for (const auto& [field, text] : cells) {
    if (counts::IsPrintableUtf8(*text)) continue;
    return RefusedRow{
        row.line, field,
        std::string(telemetry::RejectReasonCode(telemetry::RejectReason::kMalformedRow)),
        absl::StrCat(field, " ", counts::QuoteForMessage(*text),
                     " is not UTF-8 text or holds a control character")};
  }
  return std::nullopt;
}

struct ImportFlags {
  std::string file;
  bool dry_run = false;
  int batch_size = 5000;
  std::string rejects;
};

struct Totals {
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t updated = 0;
  std::uint64_t rejected = 0;  // by the parser and by the server
  std::size_t requests = 0;
};

// `s` as a JSON string literal.
std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      out += absl::StrFormat("\\u%04x", u);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

void PrintTotals(const GlobalOptions& g, const ImportFlags& flags, const Totals& t) {
  const std::uint64_t records = t.accepted + t.duplicates + t.updated + t.rejected;
  switch (g.format) {
    case OutputFormat::kJson:
      // Written here rather than through a message, to keep the keys in order.
      std::cout << "{\n \"file\": " << JsonString(flags.file)
                << ",\n \"dry_run\": " << (flags.dry_run ? "true" : "false")
                << ",\n \"records\": " << records << ",\n \"accepted\": " << t.accepted
                << ",\n \"duplicates\": " << t.duplicates << ",\n \"updated\": " << t.updated
                << ",\n \"rejected\": " << t.rejected << "\n}\n";
      break;
    case OutputFormat::kCsv:
      PrintFields({{"file", flags.file},
                   {"dry_run", flags.dry_run ? "true" : "false"},
                   {"records", std::to_string(records)},
                   {"accepted", std::to_string(t.accepted)},
                   {"duplicates", std::to_string(t.duplicates)},
                   {"updated", std::to_string(t.updated)},
                   {"rejected", std::to_string(t.rejected)}},
                  g.format, std::cout);
      break;
    case OutputFormat::kTable:
      std::cout << (flags.dry_run ? "dry run, nothing stored: " : "") << flags.file << ": "
                << records << " records: " << t.accepted << " accepted, " << t.duplicates
                << " duplicates, " << t.updated << " updated, " << t.rejected << " rejected\n";
      break;
  }
}

int ImportCounts(const GlobalOptions& g, const ImportFlags& flags) {
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) return FailLocal(absl::StrCat("cannot read '", flags.file, "'"), kExitLocalIo);
  absl::StatusOr<counts::CountCsvReader> reader = counts::CountCsvReader::Open(in);
  if (!reader.ok()) {
    return FailLocal(absl::StrCat(flags.file, ": ", reader.status().message()),
                     absl::IsDataLoss(reader.status()) ? kExitLocalIo : kExitInvalid);
  }
  const std::string source_name = fs::path(flags.file).filename().string();
  RefusalReport report(source_name, flags.rejects);
  if (!report.Open()) {
    return FailLocal(absl::StrCat("cannot write '", flags.rejects, "'"), kExitLocalIo);
  }

  Client client(g);
  auto stub = v1::IngestService::NewStub(client.channel());
  const auto batch_size = static_cast<std::size_t>(flags.batch_size);
  Totals totals;
  // Rows read but not yet sent (in line order), and the refusals of the
  // parser since the last request. Together they hold at most batch_size
  // entries, so memory stays bounded whatever the file's size.
  std::vector<counts::CountRow> pending;
  std::vector<RefusedRow> refused;
  std::size_t last_line_done = 0;

  // Sends `pending` (if any), then reports its refusals merged with the
  // parser's in line order. A non-OK status when the request failed.
  auto flush = [&]() -> grpc::Status {
    std::vector<RefusedRow> by_server;
    if (!pending.empty()) {
      v1::SubmitCountsRequest req;
      req.set_dry_run(flags.dry_run);
      for (const counts::CountRow& row : pending) ToProto(row.raw, req.add_counts());
      v1::SubmitCountsResponse resp;
      auto ctx = client.NewContext();
      grpc::Status status = stub->SubmitCounts(ctx.get(), req, &resp);
      if (!status.ok()) return status;
      ++totals.requests;
      totals.accepted += resp.accepted();
      totals.duplicates += resp.duplicates();
      totals.updated += resp.updated();
      for (const v1::Rejection& r : resp.rejected()) {
        const std::size_t line = r.index() < pending.size() ? pending[r.index()].line : 0;
        by_server.push_back({line, r.field(), r.reason(), r.message()});
      }
      last_line_done = std::max(last_line_done, pending.back().line);
    }
    std::vector<RefusedRow> all;
    all.reserve(refused.size() + by_server.size());
    std::stable_sort(refused.begin(), refused.end(),
                     [](const RefusedRow& a, const RefusedRow& b) { return a.line < b.line; });
    std::merge(std::make_move_iterator(refused.begin()), std::make_move_iterator(refused.end()),
               std::make_move_iterator(by_server.begin()), std::make_move_iterator(by_server.end()),
               std::back_inserter(all),
               [](const RefusedRow& a, const RefusedRow& b) { return a.line < b.line; });
    for (const RefusedRow& r : all) {
      report.Add(r);
      last_line_done = std::max(last_line_done, r.line);
    }
    totals.rejected += all.size();
    pending.clear();
    refused.clear();
    return grpc::Status::OK;
  };

  // When a request fails midway the earlier ones are stored, and their
  // refusals reported (the rejects file keeps those); sending the file again
  // is harmless: its stored rows come back as duplicates.
  auto fail = [&](const grpc::Status& status) {
    report.Commit(/*keep=*/totals.requests > 0 || report.count() > 0);
    if (totals.requests > 0) {
      std::cerr << "wetlink: " << source_name << ": stopped after line " << last_line_done << " ("
                << totals.requests << " requests sent: " << totals.accepted << " accepted, "
                << totals.duplicates << " duplicates, " << totals.updated << " updated, "
                << totals.rejected << " rejected); "
                << "importing the file again is harmless\n";
    }
    return client.Fail(status, absl::StrCat("importing counts from '", flags.file, "'"));
  };

  counts::CountRowBatch batch;
  while (reader->Next(batch, batch_size - pending.size() - refused.size())) {
    for (const ingest::RowRejection& r : batch.rejections) {
      refused.push_back(
          {r.line, r.field, std::string(telemetry::RejectReasonCode(r.reason)), r.message});
    }
    for (counts::CountRow& row : batch.rows) {
      if (std::optional<RefusedRow> bad = CheckText(row)) {
        refused.push_back(std::move(*bad));
      } else {
        pending.push_back(std::move(row));
      }
    }
    if (pending.size() + refused.size() >= batch_size || pending.empty()) {
      if (grpc::Status s = flush(); !s.ok()) return fail(s);
    }
  }
  if (grpc::Status s = flush(); !s.ok()) return fail(s);
  if (!reader->status().ok()) {
    report.Commit(/*keep=*/true);
    return FailLocal(absl::StrCat("reading '", flags.file, "' after line ", last_line_done, ": ",
                                  reader->status().message()),
                     kExitLocalIo);
  }
  if (!report.Commit(/*keep=*/true)) {
    return FailLocal(absl::StrCat("cannot write '", flags.rejects, "'"), kExitLocalIo);
  }
  PrintTotals(g, flags, totals);
  if (!flags.rejects.empty() && totals.rejected > 0) {
    std::cerr << "wetlink: " << totals.rejected << " rejected records listed in " << flags.rejects
              << "\n";
  }
  return totals.rejected > 0 ? kExitSomeRejected : kExitOk;
}

struct ListFlags {
  std::string site;
  std::string species;
  std::string from;
  std::string to;
  int page_size = 0;
};

int ListCounts(const GlobalOptions& g, const ListFlags& flags) {
  v1::ListCountsRequest req;
  for (auto [text, option] : {std::pair{&flags.from, "--from"}, std::pair{&flags.to, "--to"}}) {
    if (!text->empty() && !counts::ParseSurveyDate(*text)) {
      return FailLocal(absl::StrCat(option, ": '", *text, "' is not a yyyy-MM-dd date"),
                       kExitUsage);
    }
  }
  req.set_site_id(flags.site);
  req.set_species(flags.species);
  req.set_from_date(flags.from);
  req.set_to_date(flags.to);
  req.set_page_size(static_cast<std::uint32_t>(flags.page_size));

  Client client(g);
  auto stub = v1::IngestService::NewStub(client.channel());
  v1::ListCountsResponse all;
  while (true) {
    v1::ListCountsResponse page;
    auto ctx = client.NewContext();
    grpc::Status status = stub->ListCounts(ctx.get(), req, &page);
    if (!status.ok()) return client.Fail(status, "listing counts");
    all.mutable_counts()->MergeFrom(page.counts());
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  if (g.format == OutputFormat::kJson) {
    PrintJson(all, std::cout);
    return kExitOk;
  }
  // The count CSV column names, so the CSV output imports back.
  Table t{{"survey_id", "site_id", "date", "species", "count", "method", "observer", "organisation",
           "notes"},
          {}};
  for (const v1::Count& c : all.counts()) {
    t.rows.push_back({c.survey_id(), c.site_id(), c.date(), c.species(),
                      c.has_count() ? std::to_string(c.count()) : std::string(), c.method(),
                      c.observer(), c.organisation(), c.notes()});
  }
  PrintRows(t, g.format, std::cout);
  if (g.format == OutputFormat::kTable) std::cout << all.counts_size() << " counts\n";
  return kExitOk;
}

}  // namespace

void AddCountsCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* counts_cmd =
      app.add_subcommand("counts", "Count surveys: import a count CSV, list stored counts");
  counts_cmd->require_subcommand(1);

  auto import_flags = std::make_shared<ImportFlags>();
  auto* import = counts_cmd->add_subcommand(
      "import", "Import a count CSV; good rows are stored, bad rows reported by line");
  import
      ->add_option("file", import_flags->file,
                   "the CSV: survey_id, site_id, date, species, count [, method, observer, "
                   "organisation, notes]")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_flag("--dry-run", import_flags->dry_run, "validate on the server; store nothing");
  import->add_option("--batch-size", import_flags->batch_size, "rows per SubmitCounts request")
      ->check(CLI::Range(1, kMaxBatchSize))
      ->capture_default_str();
  import->add_option("--rejects", import_flags->rejects,
                     "write refused rows to this CSV (line,field,reason,message) instead of "
                     "standard error");
  import->callback(
      [&global, &exit_code, import_flags] { exit_code = ImportCounts(global, *import_flags);
});

auto list_flags = std::make_shared<ListFlags>();
auto* list = counts_cmd->add_subcommand(
    "list", "List stored counts ordered by site, species, date and survey (all pages)");
list->add_option("--site", list_flags->site, "catalog site id, e.g. rason");
list->add_option("--species", list_flags->species, "species id, code or scientific name, e.g. HC");
list->add_option("--from", list_flags->from, "first date, inclusive: yyyy-MM-dd");
list->add_option("--to", list_flags->to, "last date, inclusive: yyyy-MM-dd");
list->add_option("--page-size", list_flags->page_size,
                 "counts per request (default: the server's, 1000); every page is fetched")
    ->check(CLI::Range(1, 10'000));
list->callback([&global, &exit_code, list_flags] { exit_code = ListCounts(global, *list_flags); });
}  // namespace wetlink::cli

}  // namespace wetlink::cli
