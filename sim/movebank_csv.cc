#include "sim/movebank_csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "sim/civil_time.h"
#include "telemetry/timestamp.h"

namespace wetlink::sim {
namespace {

constexpr size_t kFlushBytes = 1 << 20;
constexpr size_t kMaxHeadBytes = 256;  // PutHead writes at most ~200 bytes
constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

char* PutInt(std::int64_t v, char* p) { return std::to_chars(p, p + 24, v).ptr; }

// `v` with exactly `decimals` digits after the point, via a scaled integer.
char* PutFixed(double v, int decimals, char* p) {
  const std::int64_t scale = kPow10[decimals];
  // Clamped so that no value can overflow the integer; simulated values are
  // far inside this range.
  const double x = std::clamp(v * static_cast<double>(scale), -9e15, 9e15);
  std::int64_t n = static_cast<std::int64_t>(x < 0 ? x - 0.5 : x + 0.5);  // round half away, like llround
  if (n < 0) {
    *p++ = '-';
    n = -n;
  }
  p = PutInt(n / scale, p);
  *p++ = '.';
  std::int64_t frac = n % scale;
  for (int i = decimals - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  return p + decimals;
}

char* PutOptFixed(const std::optional<double>& v, int decimals, char* p) {
  if (v) p = PutFixed(*v, decimals, p);
  *p++ = ',';
  return p;
}

char* PutStr(std::string_view s, char* p) {
  for (char c : s) *p++ = c;
  return p;
}

// Everything up to and including the manually-marked-outlier column.
// Needs at most ~200 bytes at `p`.
char* PutHead(const SimFix& s, char* p) {
  const telemetry::Fix& f = s.fix;
  if (f.event_id) p = PutInt(*f.event_id, p);
  *p++ = ',';
  p = PutStr(f.visible ? "true," : "false,", p);
  p = telemetry::FormatTimestampTo(f.timestamp_ms, p);
  *p++ = ',';
  p = PutFixed(f.lon, 7, p);
  *p++ = ',';
  p = PutFixed(f.lat, 7, p);
  *p++ = ',';
  p = PutOptFixed(f.height_m, 1, p);
  p = PutOptFixed(f.hdop, 1, p);
  if (f.satellites) p = PutInt(*f.satellites, p);
  *p++ = ',';
  p = PutOptFixed(f.ground_speed_mps, 2, p);
  p = PutOptFixed(f.heading_deg, 1, p);
  if (f.manually_marked_outlier) p = PutStr(*f.manually_marked_outlier ? "true" : "false", p);
  return p;
}

std::string Tail(const SimIndividual& ind, std::string_view study_name) {
  std::string t = ",gps,";
  t += CsvField(ind.taxon);
  t += ',';
  t += CsvField(ind.tag_id);
  t += ',';
  t += CsvField(ind.individual_id);
  t += ',';
  t += CsvField(study_name);
  t += '\n';
  return t;
}

}  // namespace

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

void AppendMovebankEventRow(const SimFix& fix, const SimIndividual& ind, std::string_view study_name,
                            std::string* out) {
  char buf[kMaxHeadBytes];
  out->append(buf, PutHead(fix, buf));
  out->append(Tail(ind, study_name));
}

MovebankEventWriter::MovebankEventWriter(std::ostream& out, const SimPlan& plan,
                                         std::string_view study_name)
    : out_(out) {
  size_t longest = 0;
  for (const SimIndividual& ind : plan.individuals) {
    tails_.push_back(Tail(ind, study_name));
    longest = std::max(longest, tails_.back().size());
  }
  // Room for a full buffer plus one more row of any length.
  buf_.resize(kFlushBytes + kMaxHeadBytes + longest + kMovebankEventHeader.size() + 1);
  char* p = PutStr(kMovebankEventHeader, buf_.data());
  *p++ = '\n';
  used_ = static_cast<size_t>(p - buf_.data());
}

MovebankEventWriter::~MovebankEventWriter() { Flush(); }

void MovebankEventWriter::Write(const SimFix& fix) {
  char* p = PutHead(fix, buf_.data() + used_);
  p = PutStr(tails_[fix.individual], p);
  used_ = static_cast<size_t>(p - buf_.data());
  if (used_ >= kFlushBytes) Flush();
}

void MovebankEventWriter::Flush() {
  out_.write(buf_.data(), static_cast<std::streamsize>(used_));
  used_ = 0;
}

void WriteMovebankReference(const SimPlan& plan, std::ostream& out) {
  std::string s(kMovebankReferenceHeader);
  s += '\n';
  for (const SimIndividual& ind : plan.individuals) {
    char buf[64];
    s += CsvField(ind.tag_id) + ',' + CsvField(ind.individual_id) + ',' + CsvField(ind.taxon) + ',' +
         ind.sex + ",adult,";
    s += telemetry::FormatTimestamp(ind.deploy_on_ms);
    s += ',';
    s += telemetry::FormatTimestamp(ind.deploy_off_ms);
    s += ',';
    const geo::LatLon first = ind.stays.empty() ? geo::LatLon{} : ind.stays.front().roost;
    s.append(buf, PutFixed(first.lat, 7, buf));
    s += ',';
    s.append(buf, PutFixed(first.lon, 7, buf));
    s += ',';
    s += CsvField(ind.wintering_site);
    s += '\n';
  }
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

}  // namespace wetlink::sim
