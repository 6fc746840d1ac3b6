#include "tests/integration/wetlinkd_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

extern char** environ;

namespace wetlink::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ExitStatus FromWaitStatus(int wstatus) {
  ExitStatus s;
  if (WIFEXITED(wstatus)) {
    s.exited = true;
    s.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    s.signal = WTERMSIG(wstatus);
  }
  return s;
}

// Waits until `pid` ends or `deadline` passes. True (and `status` set) once
// the child is reaped.
bool WaitUntil(pid_t pid, Clock::time_point deadline, ExitStatus& status) {
  while (true) {
    int wstatus = 0;
    const pid_t r = waitpid(pid, &wstatus, WNOHANG);
    if (r == pid) {
      status = FromWaitStatus(wstatus);
      return true;
    }
    if (r < 0 && errno != EINTR) {
      // Not our child any more (cannot happen unless reaped elsewhere).
      status = ExitStatus{};
      return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

// SIGKILL and reap; SIGKILL cannot be ignored, so the blocking wait ends.
ExitStatus KillAndReap(pid_t pid) {
  kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  ExitStatus s = FromWaitStatus(wstatus);
  s.timed_out = true;
  return s;
}

std::vector<char*> Argv(const std::string& program, const std::vector<std::string>& args,
                        std::vector<std::string>& storage) {
  storage.clear();
  storage.push_back(program);
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  return argv;
}

// posix_spawn file actions, destroyed on every path.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::string CompileTimePath(const char* value, const char* env_name) {
  if (const char* env = std::getenv(env_name); env != nullptr && *env != '\0') return env;
  return value;
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  return static_cast<bool>(out);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ExitStatus::Describe() const {
  std::ostringstream s;
  if (exited) {
    s << "exit code " << code;
  } else if (signal != 0) {
    s << "killed by signal " << signal << " (" << strsignal(signal) << ")";
  } else {
    s << "unknown end";
  }
  if (timed_out) s << " after timing out";
  return s.str();
}

std::string RunResult::Describe() const {
  return "[" + status.Describe() + "]\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
}

RunResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     milliseconds timeout) {
  RunResult result;
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category());
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::system_error(errno, std::generic_category());
  }
  FileActions actions;
  posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(actions.get(), err_pipe[1], 2);
  std::vector<std::string> storage;
  std::vector<char*> argv = Argv(program, args, storage);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), actions.get(), nullptr, argv.data(), environ);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    result.err = "posix_spawn " + program + ": " + std::strerror(rc);
    return result;
  }

  const Clock::time_point deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    const int n = poll(fds, 2, static_cast<int>(left));
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (pollfd& p : fds) {
    if (p.fd >= 0) close(p.fd);
  }
  if (timed_out || !WaitUntil(pid, deadline, result.status)) {
    result.status = KillAndReap(pid);
  }
  return result;
}

std::string WetlinkCliPath() { return CompileTimePath(WETLINK_CLI_PATH, "WETLINK_CLI_PATH"); }
std::string WetlinkdPath() { return CompileTimePath(WETLINKD_PATH, "WETLINKD_PATH"); }

RunResult RunCli(const std::vector<std::string>& args, milliseconds timeout) {
  return RunProgram(WetlinkCliPath(), args, timeout);
}

WetlinkdProcess::WetlinkdProcess() : dir_("wetlinkd-it") {}

WetlinkdProcess::~WetlinkdProcess() { Kill(); }

std::string WetlinkdProcess::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string WetlinkdProcess::log() const { return ReadFile(dir_.File("wetlinkd.log")); }

bool WetlinkdProcess::Start(std::string* error, milliseconds timeout) {
  if (running()) {
    *error = "wetlinkd is already running";
    return false;
  }
  const std::string port_file = dir_.File("port");
  const std::string http_port_file = dir_.File("http-port");
  std::error_code ec;
  fs::remove(port_file, ec);
  fs::remove(http_port_file, ec);
  port_ = 0;
  http_port_ = 0;

  FileActions actions;
  const std::string log_file = dir_.File("wetlinkd.log");
  posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), 1, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
  std::vector<std::string> args = {"--listen",   listen_host_ + ":0", "--port-file", port_file,
                                   "--data-dir", data_dir(),          "--log-level", "info"};
  if (http_) {
    args.insert(args.end(),
                {"--http-listen", listen_host_ + ":0", "--http-port-file", http_port_file});
  } else {
    args.insert(args.end(), {"--http-listen", ""});
  }
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<std::string> storage;
  std::vector<char*> argv = Argv(WetlinkdPath(), args, storage);
  const int rc =
      posix_spawn(&pid_, WetlinkdPath().c_str(), actions.get(), nullptr, argv.data(), environ);
  if (rc != 0) {
    pid_ = -1;
    *error = "posix_spawn " + WetlinkdPath() + ": " + std::strerror(rc);
    return false;
  }

  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    if (fs::exists(port_file, ec)) {
      // Written beside and renamed into place, so it is complete once seen.
      std::istringstream in(ReadFile(port_file));
      int port = 0;
      if (!(in >> port && port > 0 && port < 65536)) {
        *error = "wetlinkd wrote a bad port file: '" + ReadFile(port_file) + "'";
        break;
      }
      port_ = port;
      if (!http_) return true;
      // wetlinkd writes the HTTP port file before the gRPC one.
      std::istringstream http_in(ReadFile(http_port_file));
      if (http_in >> port && port > 0 && port < 65536) {
        http_port_ = port;
        return true;
      }
      *error = "wetlinkd wrote a bad or no HTTP port file: '" + ReadFile(http_port_file) + "'";
      break;
    }
    ExitStatus ended;
    if (WaitUntil(pid_, Clock::now(), ended)) {
      pid_ = -1;
      *error = "wetlinkd ended before listening: " + ended.Describe();
      break;
    }
    if (Clock::now() >= deadline) {
      *error = "wetlinkd wrote no port file within " + std::to_string(timeout.count()) + " ms";
      break;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  Kill();
  *error += "\n--- wetlinkd log ---\n" + log();
  return false;
}

ExitStatus WetlinkdProcess::Stop(milliseconds timeout, int signal_number) {
  if (!running()) return ExitStatus{};
  kill(pid_, signal_number);
  ExitStatus status;
  if (!WaitUntil(pid_, Clock::now() + timeout, status)) status = KillAndReap(pid_);
  pid_ = -1;
  port_ = 0;
  http_port_ = 0;
  return status;
}

void WetlinkdProcess::Kill() {
  if (!running()) return;
  KillAndReap(pid_);
  pid_ = -1;
  port_ = 0;
  http_port_ = 0;
}

std::string WetlinkdProcess::admin_token() const {
  std::string token = ReadFile(admin_token_file());
  while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) token.pop_back();
  return token;
}

RunResult WetlinkdProcess::Cli(const std::vector<std::string>& args, milliseconds timeout) const {
  return CliWithToken(admin_token_file(), args, timeout);
}

RunResult WetlinkdProcess::CliWithToken(const std::string& token_file,
                                        const std::vector<std::string>& args,
                                        milliseconds timeout) const {
  std::vector<std::string> full = {"--server", address()};
  if (!token_file.empty()) full.insert(full.end(), {"--token-file", token_file});
  full.insert(full.end(), args.begin(), args.end());
  return RunCli(full, timeout);
}

std::string WetlinkdProcess::IssueToken(const std::string& holder, const std::string& role,
                                        const std::vector<std::string>& studies,
                                        std::string* error) const {
  std::vector<std::string> args = {"token", "create", "--holder", holder, "--role", role};
  for (const std::string& study : studies) args.insert(args.end(), {"--study", study});
  RunResult created = Cli(args);
  if (!created.status.ok() || created.out.empty()) {
    *error = "wetlink token create: " + created.Describe();
    return "";
  }
  const std::string file = dir_.File(holder + "-" + role + ".token");
  if (!WriteFile(file, created.out)) {
    *error = "cannot write " + file;
    return "";
  }
  return file;
}

}  // namespace wetlink::testing
