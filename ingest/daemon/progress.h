#ifndef WETLINK_INGEST_DAEMON_PROGRESS_H_
#define WETLINK_INGEST_DAEMON_PROGRESS_H_

// Progress of an upload: on a terminal one line redrawn in place (rows sent
// and acknowledged, fixes/s, % of the input bytes and ETA); otherwise a plain
// log line (spdlog, info) every interval. Not thread-safe.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <string>

namespace wetlink::ingest::daemon {

struct ProgressCounters {
  std::string file;               // the file being read, "" between files
  std::uint64_t rows_sent = 0;    // source rows handed to the uploader (this run)
  std::uint64_t rows_acked = 0;   // ... of which acknowledged
  std::uint64_t fixes_acked = 0;  // fixes acknowledged (any outcome)
  std::uint64_t bytes_done = 0;   // input bytes read (skipped rows included)
  std::uint64_t bytes_total = 0;  // input bytes to read; 0 when unknown (watch)
};

enum class ProgressMode {
  kAuto,      // kTerminal when stderr is a terminal, else kLog
  kTerminal,  // one line on stderr, redrawn at most 4 times a second
  kLog,       // spdlog info line every interval
  kOff,
};

// "1,234,567"
std::string GroupThousands(std::uint64_t n);

// "h:mm:ss" (or "m:ss" under an hour).
std::string FormatDuration(std::chrono::seconds duration);

// The progress text, e.g.
//   "fixes.csv: sent 120,000 rows, acked 110,000 | 25,300 fixes/s | 45.2 % | ETA 0:12"
// The percentage and ETA appear only when bytes_total is known, the ETA
// only when the byte rate is positive.
std::string FormatProgress(const ProgressCounters& counters, double fixes_per_s,
                           double bytes_per_s);

class ProgressReporter {
 public:
  using Clock = std::chrono::steady_clock;

  // `terminal` is where kTerminal draws (stderr by default). `now` is the
  // clock (tests inject one).
  explicit ProgressReporter(ProgressMode mode,
                            std::chrono::milliseconds log_interval = std::chrono::seconds(10),
                            std::FILE* terminal = stderr,
                            std::function<Clock::time_point()> now = {});

  // The mode after resolving kAuto.
  ProgressMode mode() const { return mode_; }

  // Records `counters`; draws or logs when due.
  void Update(const ProgressCounters& counters);
  // Draws `counters` one last time on a terminal and ends the line, so
  // other output starts on a line of its own.
  void Finish(const ProgressCounters& counters);

  // Rates over the last ten seconds of updates.
  double fixes_per_s() const;
  double bytes_per_s() const;

 private:
  struct Sample {
    Clock::time_point at;
    std::uint64_t fixes;
    std::uint64_t bytes;
  };

  ProgressMode mode_;
  std::chrono::milliseconds log_interval_;
  std::FILE* terminal_;
  std::function<Clock::time_point()> now_;
  std::deque<Sample> samples_;
  Clock::time_point last_output_{};
  bool drawn_ = false;  // the terminal line is on screen
};

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_PROGRESS_H_
