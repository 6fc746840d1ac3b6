#ifndef WETLINK_TESTS_INGEST_DAEMON_DAEMON_TESTING_H_
#define WETLINK_TESTS_INGEST_DAEMON_DAEMON_TESTING_H_

// Helpers of the wetlink-ingest tests: temporary folders and small Movebank
// CSV files written on the fly.

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "telemetry/timestamp.h"

namespace wetlink::ingest::daemon::testing {

// A fresh folder under the test temp dir, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "wetlink-ingest-daemon") {
    std::random_device random;
    path_ = std::filesystem::path(::testing::TempDir()) /
            (prefix + "-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  ASSERT_TRUE(out.good()) << path;
}

inline void AppendFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << content;
  ASSERT_TRUE(out.good()) << path;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline constexpr char kMovebankHeader[] =
    "event-id,timestamp,location-long,location-lat,tag-local-identifier,"
    "individual-local-identifier,individual-taxon-canonical-name\n";

// One Movebank row of tag `tag` (individual "bird-<tag>"), `minute` minutes
// after 2024-03-10 00:00 UTC, near the Tumen estuary.
inline std::string MovebankRow(int tag, int minute) {
  const telemetry::TimestampMs t =
      telemetry::TimestampFromCivil(2024, 3, 10) + std::int64_t{minute} * 60'000;
  std::ostringstream row;
  row.precision(10);
  row << (tag * 1'000'000 + minute) << "," << telemetry::FormatTimestamp(t) << ","
      << 130.6 + 0.0001 * minute << "," << 42.3 + 0.00005 * tag << ",T" << tag << ",bird-" << tag
      << ",Grus monacha\n";
  return row.str();
}

// `tags` x `per_tag` distinct fixes, interleaved by time.
inline std::string MovebankFile(int tags, int per_tag, int first_minute = 0) {
  std::string out = kMovebankHeader;
  for (int m = first_minute; m < first_minute + per_tag; ++m) {
    for (int t = 1; t <= tags; ++t) out += MovebankRow(t, m);
  }
  return out;
}

}  // namespace wetlink::ingest::daemon::testing

#endif  // WETLINK_TESTS_INGEST_DAEMON_DAEMON_TESTING_H_
