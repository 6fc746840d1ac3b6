#include "ingest/daemon/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wetlink::ingest::daemon {
namespace {

constexpr auto kRateWindow = std::chrono::seconds(10);
constexpr auto kRedrawInterval = std::chrono::milliseconds(250);
constexpr std::size_t kMaxSamples = 4096;

}  // namespace

std::string GroupThousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, lead);
  for (std::size_t i = lead; i < digits.size(); i += 3) {
    out.push_back(',');
    out.append(digits, i, 3);
  }
  return out;
}

std::string FormatDuration(std::chrono::seconds duration) {
  const long long total = std::max<long long>(0, duration.count());
  const long long h = total / 3600;
  const long long m = (total / 60) % 60;
  const long long s = total % 60;
  if (h > 0) return absl::StrFormat("%d:%02d:%02d", h, m, s);
  return absl::StrFormat("%d:%02d", m, s);
}

std::string FormatProgress(const ProgressCounters& c, double fixes_per_s, double bytes_per_s) {
  std::string out;
  if (!c.file.empty()) absl::StrAppend(&out, c.file, ": ");
  absl::StrAppend(&out, "sent ", GroupThousands(c.rows_sent), " rows, acked ",
                  GroupThousands(c.rows_acked), " | ",
                  GroupThousands(static_cast<std::uint64_t>(std::llround(std::max(0.0, fixes_per_s)))),
                  " fixes/s");
  if (c.bytes_total > 0) {
    const double done = std::min<double>(static_cast<double>(c.bytes_done),
                                         static_cast<double>(c.bytes_total));
    absl::StrAppend(&out, " | ",
                    absl::StrFormat("%.1f %%", 100.0 * done / static_cast<double>(c.bytes_total)));
    if (bytes_per_s > 0) {
      const double left = static_cast<double>(c.bytes_total) - done;
      absl::StrAppend(&out, " | ETA ",
                      FormatDuration(std::chrono::seconds(std::llround(left / bytes_per_s))));
    }
  }
  return out;
}

ProgressReporter::ProgressReporter(ProgressMode mode, std::chrono::milliseconds log_interval,
                                   std::FILE* terminal, std::function<Clock::time_point()> now)
    : mode_(mode),
      log_interval_(log_interval),
      terminal_(terminal),
      now_(now ? std::move(now) : [] { return Clock::now(); }) {
  if (mode_ == ProgressMode::kAuto) {
    mode_ = ::isatty(::fileno(terminal_)) ? ProgressMode::kTerminal : ProgressMode::kLog;
  }
  last_output_ = now_();
}

void ProgressReporter::Update(const ProgressCounters& counters) {
  if (mode_ == ProgressMode::kOff) return;
  const Clock::time_point now = now_();
  samples_.push_back({now, counters.fixes_acked, counters.bytes_done});
  while (samples_.size() > 2 &&
         (now - samples_.front().at > kRateWindow || samples_.size() > kMaxSamples)) {
    samples_.pop_front();
  }

  if (mode_ == ProgressMode::kTerminal) {
    if (drawn_ && now - last_output_ < kRedrawInterval) return;
    std::string line = FormatProgress(counters, fixes_per_s(), bytes_per_s());
    // A line wider than the terminal wraps, and "\r" would redraw only its
    // last part.
    struct winsize size {};
    if (::ioctl(::fileno(terminal_), TIOCGWINSZ, &size) == 0 && size.ws_col > 1 &&
        line.size() >= size.ws_col) {
      line.resize(size.ws_col - 1u);
    }
    std::fprintf(terminal_, "\r\033[K%s", line.c_str());
    std::fflush(terminal_);
    drawn_ = true;
  } else {
    if (now - last_output_ < log_interval_) return;
    spdlog::info("{}", FormatProgress(counters, fixes_per_s(), bytes_per_s()));
  }
  last_output_ = now;
}

void ProgressReporter::Finish(const ProgressCounters& counters) {
  if (mode_ == ProgressMode::kTerminal && drawn_) {
    last_output_ = {};  // draw now, however recent the last drawing
    Update(counters);
    std::fputs("\n", terminal_);
    std::fflush(terminal_);
    drawn_ = false;
  }
}

double ProgressReporter::fixes_per_s() const {
  if (samples_.size() < 2) return 0;
  const double dt = std::chrono::duration<double>(samples_.back().at - samples_.front().at).count();
  if (dt <= 0) return 0;
  return static_cast<double>(samples_.back().fixes - samples_.front().fixes) / dt;
}

double ProgressReporter::bytes_per_s() const {
  if (samples_.size() < 2) return 0;
  const double dt = std::chrono::duration<double>(samples_.back().at - samples_.front().at).count();
  if (dt <= 0) return 0;
  const auto front = samples_.front().bytes;
  const auto back = samples_.back().bytes;
  return back > front ? static_cast<double>(back - front) / dt : 0;
}

}  // namespace wetlink::ingest::daemon
