#ifndef WETLINK_TESTS_TESTING_TEMP_FOLDER_H_
#define WETLINK_TESTS_TESTING_TEMP_FOLDER_H_

// A fresh, empty folder under GoogleTest's temporary directory, removed with
// everything in it when the object goes. mkdtemp makes the name unique
// across processes: ctest runs the tests of one executable in parallel
// processes, each starting its counters from 0.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>

namespace wetlink::testing {

class TempFolder {
 public:
  explicit TempFolder(const std::string& prefix = "wetlink-test") {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::string& path() const { return path_; }
  // `name` inside the folder.
  std::string File(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_TESTING_TEMP_FOLDER_H_
