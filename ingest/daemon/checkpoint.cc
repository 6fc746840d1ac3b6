#include "ingest/daemon/checkpoint.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace wetlink::ingest::daemon {
namespace {

using nlohmann::json;

constexpr std::string_view kFormatName = "wetlink-ingest checkpoint";
constexpr int kFormatVersion = 1;

std::string Hex64(std::uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

json CountMap(const std::map<std::string, std::uint64_t>& counts) {
  json out = json::object();
  for (const auto& [code, n] : counts) out[code] = n;
  return out;
}

json CountsToJson(const IngestCounts& c) {
  return json{{"rows", c.rows},
              {"accepted", c.accepted},
              {"duplicates", c.duplicates},
              {"updated", c.updated},
              {"rejected", CountMap(c.rejected)},
              {"refused_batches", CountMap(c.refused_batches)},
              {"refused_fixes", c.refused_fixes}};
}

// Both throw nlohmann::json exceptions on a wrong shape; Load catches them.
IngestCounts CountsFromJson(const json& j) {
  IngestCounts c;
  c.rows = j.at("rows").get<std::uint64_t>();
  c.accepted = j.at("accepted").get<std::uint64_t>();
  c.duplicates = j.at("duplicates").get<std::uint64_t>();
  c.updated = j.at("updated").get<std::uint64_t>();
  for (const auto& [code, n] : j.at("rejected").items()) c.rejected[code] = n.get<std::uint64_t>();
  for (const auto& [code, n] : j.at("refused_batches").items()) {
    c.refused_batches[code] = n.get<std::uint64_t>();
  }
  c.refused_fixes = j.at("refused_fixes").get<std::uint64_t>();
  return c;
}

FileCheckpoint FileFromJson(const json& j) {
  FileCheckpoint f;
  f.server = j.at("server").get<std::string>();
  f.study = j.at("study").get<std::string>();
  f.size = j.at("size").get<std::uint64_t>();
  f.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
  f.head_bytes = j.at("head_bytes").get<std::uint64_t>();
  const std::string hash = j.at("head_fnv1a64").get<std::string>();
  std::size_t used = 0;
  f.head_hash = std::stoull(hash, &used, 16);
  if (used != hash.size() || hash.size() != 16) {
    throw std::invalid_argument("head_fnv1a64 is not 16 hex digits");
  }
  f.rows_acked = j.at("rows_acked").get<std::uint64_t>();
  f.complete = j.at("complete").get<bool>();
  f.counts = CountsFromJson(j.at("counts"));
  return f;
}

std::string ErrnoText(int error) { return std::strerror(error); }

absl::Status Errno(std::string_view what, const std::string& path) {
  const int error = errno;
  return absl::PermissionDeniedError(
      absl::StrCat("cannot ", std::string(what), " '", path, "': ", ErrnoText(error)));
}

}  // namespace

std::uint64_t IngestCounts::rejected_total() const {
  std::uint64_t n = 0;
  for (const auto& [code, count] : rejected) n += count;
  return n;
}

std::uint64_t IngestCounts::refused_batches_total() const {
  std::uint64_t n = 0;
  for (const auto& [code, count] : refused_batches) n += count;
  return n;
}

void IngestCounts::Add(const IngestCounts& other) {
  rows += other.rows;
  accepted += other.accepted;
  duplicates += other.duplicates;
  updated += other.updated;
  for (const auto& [code, n] : other.rejected) rejected[code] += n;
  for (const auto& [code, n] : other.refused_batches) refused_batches[code] += n;
  refused_fixes += other.refused_fixes;
}

std::string_view FileVerdictName(FileVerdict verdict) {
  switch (verdict) {
    case FileVerdict::kNew:
      return "new";
    case FileVerdict::kUnchanged:
      return "unchanged";
    case FileVerdict::kGrown:
      return "grown";
    case FileVerdict::kReplaced:
      break;
  }
  return "replaced";
}

absl::StatusOr<FileVerdict> CompareWithCheckpoint(
    const FileCheckpoint* checkpoint, const std::string& server, const std::string& study,
    const FileStat& current,
    const std::function<absl::StatusOr<std::uint64_t>(std::uint64_t)>& head_hash) {
  if (checkpoint == nullptr) return FileVerdict::kNew;
  if (checkpoint->server != server || checkpoint->study != study) return FileVerdict::kReplaced;
  if (current.size < checkpoint->size) return FileVerdict::kReplaced;
  if (current.size == checkpoint->size && current.mtime_ns == checkpoint->mtime_ns) {
    return FileVerdict::kUnchanged;
  }
  absl::StatusOr<std::uint64_t> hash = head_hash(checkpoint->head_bytes);
  if (!hash.ok()) return hash.status();
  if (*hash != checkpoint->head_hash) return FileVerdict::kReplaced;
  // Same length, same beginning, touched since: it may have been rewritten
  // past its first bytes. Re-sending costs only duplicates.
  if (current.size == checkpoint->size) return FileVerdict::kReplaced;
  return FileVerdict::kGrown;
}

absl::StatusOr<Checkpoint> Checkpoint::Load(const std::string& path) {
  Checkpoint checkpoint(path);
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    std::error_code error;
    if (!std::filesystem::exists(path, error) && !error) return checkpoint;
    return absl::PermissionDeniedError(absl::StrCat("cannot read checkpoint '", path, "'"));
  }
  std::stringstream text;
  text << in.rdbuf();
  auto refused = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint '", path, "' is not usable: ", std::string(why),
        " (remove it to start over: the server counts re-sent fixes as duplicates)"));
  };
  const json j = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return refused("not valid JSON");
  try {
    if (j.at("format").get<std::string>() != kFormatName) return refused("wrong \"format\"");
    if (j.at("version").get<int>() != kFormatVersion) {
      return refused(absl::StrCat("version ", j.at("version").dump(), ", expected ",
                                  kFormatVersion));
    }
    for (const auto& [file, entry] : j.at("files").items()) {
      checkpoint.files_[file] = FileFromJson(entry);
    }
    checkpoint.totals_ = CountsFromJson(j.at("totals"));
  } catch (const std::exception& e) {
    return refused(e.what());
  }
  return checkpoint;
}

FileCheckpoint* Checkpoint::Find(const std::string& file) {
  auto it = files_.find(file);
  return it == files_.end() ? nullptr : &it->second;
}

FileCheckpoint& Checkpoint::Put(const std::string& file, FileCheckpoint checkpoint) {
  return files_.insert_or_assign(file, std::move(checkpoint)).first->second;
}

std::string Checkpoint::ToJson() const {
  json files = json::object();
  for (const auto& [file, f] : files_) {
    files[file] = json{{"server", f.server},
                       {"study", f.study},
                       {"size", f.size},
                       {"mtime_ns", f.mtime_ns},
                       {"head_bytes", f.head_bytes},
                       {"head_fnv1a64", Hex64(f.head_hash)},
                       {"rows_acked", f.rows_acked},
                       {"complete", f.complete},
                       {"counts", CountsToJson(f.counts)}};
  }
  const json j{{"format", kFormatName},
               {"version", kFormatVersion},
               {"files", std::move(files)},
               {"totals", CountsToJson(totals_)}};
  return j.dump(2) + "\n";
}

absl::Status Checkpoint::Save() const { return WriteFileAtomically(path_, ToJson()); }

absl::Status WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create", tmp);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      absl::Status st = Errno("write", tmp);
      ::close(fd);
      return st;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    absl::Status st = Errno("sync", tmp);
    ::close(fd);
    return st;
  }
  if (::close(fd) != 0) return Errno("close", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("rename to", path);
  // The rename is durable once the folder is.
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return Errno("open folder", dir);
  const int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  if (synced != 0) return Errno("sync folder", dir);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<StateDirLock>> StateDirLock::Acquire(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create state folder '", dir, "': ", error.message()));
  }
  const std::string path = (std::filesystem::path(dir) / "lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create", path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int lock_error = errno;
    ::close(fd);
    if (lock_error == EWOULDBLOCK) {
      return absl::FailedPreconditionError(absl::StrCat(
          "state folder '", dir, "' is in use by another wetlink-ingest (", path, " is locked)"));
    }
    errno = lock_error;
    return Errno("lock", path);
  }
  return std::unique_ptr<StateDirLock>(new StateDirLock(fd));
}

StateDirLock::~StateDirLock() { ::close(fd_); }

}  // namespace wetlink::ingest::daemon
