#ifndef WETLINK_TESTS_INTEGRATION_WETLINKD_PROCESS_H_
#define WETLINK_TESTS_INTEGRATION_WETLINKD_PROCESS_H_

// Test harness for the end-to-end tests: runs the real wetlinkd binary on a
// free loopback port with its own temporary data folder, and runs the real
// wetlink CLI against it, capturing its output and exit code.
//
// Every wait is bounded, every child is killed and reaped and every temporary
// folder removed when the owning object goes away.

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace wetlink::testing {

// A fresh folder under the system temp dir, removed (recursively) on
// destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "wetlink-it");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string.
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `content` to `path` (binary, truncating). Returns false on failure.
bool WriteFile(const std::string& path, const std::string& content);
// The whole file, or "" if it cannot be read.
std::string ReadFile(const std::string& path);

// How a child process ended.
struct ExitStatus {
  bool exited = false;     // ended by exit(); `code` is valid
  int code = -1;
  int signal = 0;          // ended by this signal
  bool timed_out = false;  // had to be killed after the time limit

  bool ok() const { return exited && code == 0 && !timed_out; }
  std::string Describe() const;
};

struct RunResult {
  ExitStatus status;
  std::string out;  // everything the child wrote to stdout
  std::string err;  // ... and to stderr

  // The exit code, or -1 if the child did not exit normally.
  int code() const { return status.exited ? status.code : -1; }
  // For assertion messages.
  std::string Describe() const;
};

// Runs `program` with `args` (no shell involved), stdin from /dev/null,
// capturing stdout and stderr. Kills the child with SIGKILL once `timeout`
// has passed.
RunResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Path of the wetlink CLI and the wetlinkd server under test.
std::string WetlinkCliPath();
std::string WetlinkdPath();

// Runs the wetlink CLI with `args`, exactly as given.
RunResult RunCli(const std::vector<std::string>& args,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A wetlinkd process on 127.0.0.1:<free port> with a data folder of its own.
class WetlinkdProcess {
 public:
  // Creates the temporary folder holding the data folder, port file and log.
  // Does not start the server.
  WetlinkdProcess();
  // Kills the server if it still runs (SIGKILL) and removes the folder.
  ~WetlinkdProcess();
  WetlinkdProcess(const WetlinkdProcess&) = delete;
  WetlinkdProcess& operator=(const WetlinkdProcess&) = delete;

  // Starts wetlinkd on the data folder (new or kept from a previous run) and
  // waits at most `timeout` for its port file. On failure returns false,
  // sets `error` (including the server's log) and leaves no process behind.
  bool Start(std::string* error,
             std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // Sends `signal_number` (SIGTERM by default) and waits at most `timeout` for the
  // server to exit; kills it with SIGKILL if it does not (status.timed_out is
  // then set).
  ExitStatus Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                  int signal_number = SIGTERM);

  // SIGKILL and reap, if running.
  void Kill();

  // Use `dir` as the data folder instead of the private one (e.g. another
  // server's, to share it). Takes effect at the next Start().
  void set_data_dir(std::string dir) { data_dir_override_ = std::move(dir); }
  // Serve HTTP on 127.0.0.1:<free port> from the next Start() on (see
  // http_port()). Off by default, so that servers started side by side never
  // contend for wetlinkd's default HTTP port.
  void set_http(bool on) { http_ = on; }
  // More wetlinkd flags for the next Start(), after the harness's own.
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // The host gRPC and HTTP listen on from the next Start() (port 0 either
  // way); default 127.0.0.1. address() stays 127.0.0.1:<port>.
  void set_listen_host(std::string host) { listen_host_ = std::move(host); }

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  // The HTTP port while running with set_http(true), else 0.
  int http_port() const { return http_port_; }
  // "127.0.0.1:<port>", for --server.
  std::string address() const;
  std::string data_dir() const {
    return data_dir_override_.empty() ? (dir_.path() / "data").string() : data_dir_override_;
  }
  // The scratch folder beside the data folder, for test files.
  const TempDir& scratch() const { return dir_; }
  // wetlinkd's stdout and stderr so far (all runs).
  std::string log() const;

  // The admin token wetlinkd writes into a new data folder.
  std::string admin_token_file() const { return data_dir() + "/admin.token"; }
  // The admin token itself ("" before the first Start()).
  std::string admin_token() const;

  // RunCli with "--server <address()> --token-file <admin_token_file()>"
  // prepended: as the admin.
  RunResult Cli(const std::vector<std::string>& args,
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
  // RunCli with "--server <address()>" and, unless "", "--token-file
  // <token_file>" prepended.
  RunResult CliWithToken(const std::string& token_file, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
  // Issues a token with `wetlink token create` (as the admin) and writes it
  // to a file in the scratch folder; returns the file, or "" on failure
  // (reported through `error`).
  std::string IssueToken(const std::string& holder, const std::string& role,
                         const std::vector<std::string>& studies, std::string* error) const;

 private:
  TempDir dir_;
  std::string data_dir_override_;
  std::vector<std::string> extra_args_;
  std::string listen_host_ = "127.0.0.1";
  pid_t pid_ = -1;
  int port_ = 0;
  bool http_ = false;
  int http_port_ = 0;
};

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_INTEGRATION_WETLINKD_PROCESS_H_
