#include "ingest/daemon/summary.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ingest/daemon/progress.h"

namespace wetlink::ingest::daemon {
namespace {

// "CODE n, CODE n, ...", most frequent first (then by code), wrapped
// after about 100 characters onto lines indented by `indent`.
std::string ReasonList(const std::map<std::string, std::uint64_t>& counts, std::size_t indent) {
  std::vector<std::pair<std::string, std::uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  std::size_t line_length = indent;
  for (const auto& [code, n] : sorted) {
    const std::string item = absl::StrCat(code, " ", GroupThousands(n));
    if (!out.empty()) {
      if (line_length + item.size() + 2 > 100) {
        absl::StrAppend(&out, ",\n", std::string(indent, ' '));
        line_length = indent;
      } else {
        out += ", ";
        line_length += 2;
      }
    }
    out += item;
    line_length += item.size();
  }
  return out;
}

void AppendRow(const std::string& name, std::size_t name_width, const IngestCounts& c,
               const std::string& note, std::string* out) {
  absl::StrAppend(out, absl::StrFormat("%-*s %10s %10s %10s %8s %9s %8s", name_width, name,
                                       GroupThousands(c.rows), GroupThousands(c.accepted),
                                       GroupThousands(c.duplicates), GroupThousands(c.updated),
                                       GroupThousands(c.rejected_total()),
                                       GroupThousands(c.refused_fixes)));
  if (!note.empty()) absl::StrAppend(out, "  ", note);
  out->push_back('\n');
  if (!c.rejected.empty()) {
    absl::StrAppend(out, "    rejected: ", ReasonList(c.rejected, 14), "\n");
  }
  if (!c.refused_batches.empty()) {
    absl::StrAppend(out, "    batches refused whole: ", ReasonList(c.refused_batches, 27), "\n");
  }
}

}  // namespace

IngestCounts RunSummary::Total() const {
  IngestCounts total;
  for (const FileSummary& f : files) total.Add(f.counts);
  return total;
}

absl::Status RunSummary::FirstFileError() const {
  for (const FileSummary& f : files) {
    if (!f.error.ok()) return f.error;
  }
  return absl::OkStatus();
}

std::string FormatSummary(const RunSummary& summary, const std::string& rejects_path) {
  std::size_t width = std::string_view("total").size();
  for (const FileSummary& f : summary.files) width = std::max(width, f.path.size());
  width = std::min<std::size_t>(width, 60);

  std::string out = absl::StrFormat("%-*s %10s %10s %10s %8s %9s %8s\n", width, "file", "rows",
                                    "accepted", "duplicates", "updated", "rejected", "refused");
  for (const FileSummary& f : summary.files) {
    std::string note;
    if (!f.error.ok()) {
      note = absl::StrCat("FAILED: ", f.error.message());
    } else if (f.up_to_date) {
      note = "up to date";
    } else if (f.rows_skipped > 0) {
      note = absl::StrCat("resumed after ", GroupThousands(f.rows_skipped), " rows");
    }
    AppendRow(f.path, width, f.counts, note, &out);
  }
  const IngestCounts total = summary.Total();
  AppendRow("total", width, total, "", &out);
  if (total.rejected_total() > 0 || total.refused_batches_total() > 0) {
    absl::StrAppend(&out, "rejected records: ", rejects_path, "\n");
  }
  return out;
}

}  // namespace wetlink::ingest::daemon
