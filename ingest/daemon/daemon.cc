#include "ingest/daemon/daemon.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "ingest/daemon/batch_builder.h"
#include "ingest/daemon/checkpoint.h"
#include "ingest/daemon/exit_codes.h"
#include "ingest/daemon/file_slice.h"
#include "ingest/daemon/rejects_writer.h"
#include "telemetry/reject_reason.h"

namespace wetlink::ingest::daemon {
namespace {

// How IngestFile chooses the bytes to read.
enum class ReadMode {
  kPush,   // the whole file as it is now
  kWatch,  // up to the last complete line, unless settled (see DaemonOptions::settle)
};

std::string AbsolutePath(const std::string& path) {
  std::error_code error;
  std::filesystem::path abs = std::filesystem::absolute(path, error);
  if (error) return path;
  return abs.lexically_normal().string();
}

// A file that cannot be read as an input: refused (5) when its content or
// name is at fault, a local I/O failure (6) otherwise.
absl::Status FileError(absl::Status status) {
  if (status.code() == absl::StatusCode::kInvalidArgument) return status;
  return MarkLocalIo(std::move(status));
}

class Engine {
 public:
  Engine(const DaemonOptions& options, const StopSignal& stop, ProgressReporter& progress)
      : options_(options),
        stop_(stop),
        progress_(progress),
        batch_options_{.study_id = options.study, .auto_register = options.auto_register} {}

  // Locks the state folder, loads the checkpoint, opens the rejects file.
  absl::Status Open() {
    auto lock = StateDirLock::Acquire(options_.state_dir);
    if (!lock.ok()) return MarkLocalIo(lock.status());
    lock_ = std::move(*lock);
    auto checkpoint =
        Checkpoint::Load((std::filesystem::path(options_.state_dir) / "checkpoint.json").string());
    if (!checkpoint.ok()) return MarkLocalIo(checkpoint.status());
    checkpoint_.emplace(std::move(*checkpoint));
    rejects_path_ = options_.rejects_path.empty()
                        ? (std::filesystem::path(options_.state_dir) / "rejects.csv").string()
                        : options_.rejects_path;
    auto rejects = RejectsWriter::Open(rejects_path_);
    if (!rejects.ok()) return MarkLocalIo(rejects.status());
    rejects_ = std::move(*rejects);

    UploaderOptions upload{.server = options_.server,
                           .token = options_.token,
                           .tls_root_certs = options_.tls_root_certs,
                           .tls_server_name = options_.tls_server_name,
                           .tls_cert_chain = options_.tls_cert_chain,
                           .tls_private_key = options_.tls_private_key,
                           .window = options_.window,
                           .backoff = options_.backoff,
                           .max_retry = options_.max_retry,
                           .ack_timeout = options_.ack_timeout,
                           .uniform01 = options_.uniform01};
    uploader_ = std::make_unique<Uploader>(
        std::move(upload), [this](const v1::FixAck& ack) { return OnAck(ack); }, stop_,
        options_.channel_factory);
    return absl::OkStatus();
  }

  // Sends the rows of `path` not acknowledged yet. Errors of the file go to
  // its summary; the returned error is fatal to the run.
  // `unchanged_for` (watch): how long the file has looked as it does now;
  // nullopt at the first look.
  absl::Status IngestFile(const std::string& path, ReadMode mode,
                          std::optional<std::chrono::milliseconds> unchanged_for,
                          bool always_report) {
    const std::string abs = AbsolutePath(path);
    auto report = [&]() -> FileSummary& { return SummaryFor(abs); };
    if (always_report) report();

    absl::StatusOr<FileStat> stat = StatFile(abs);
    if (!stat.ok()) return FailFile(abs, FileError(stat.status()));
    const FixFileOptions fix_options = FixOptions();
    absl::StatusOr<FixFileFormat> format = ResolveFixFileFormat(abs, fix_options);
    if (!format.ok()) return FailFile(abs, format.status());

    std::uint64_t limit = stat->size;
    if (mode == ReadMode::kWatch) {
      if (*format == FixFileFormat::kGpx) {
        // XML cannot be read in part: wait until the file stops changing.
        if (!unchanged_for) return absl::OkStatus();
      } else {
        absl::StatusOr<std::uint64_t> complete = CompleteLinesLength(abs, stat->size);
        if (!complete.ok()) return FailFile(abs, FileError(complete.status()));
        const bool settled = unchanged_for && *unchanged_for >= options_.settle;
        if (*complete < stat->size && !settled) {
          if (held_back_.insert(abs).second) {
            spdlog::info("{}: last line has no line break yet; read once it has one, or after "
                         "the file is unchanged for {} s",
                         abs, std::chrono::duration<double>(options_.settle).count());
          }
          limit = *complete;
        } else {
          held_back_.erase(abs);
        }
      }
    }

    FileCheckpoint* checkpoint = checkpoint_->Find(abs);
    absl::StatusOr<FileVerdict> verdict = CompareWithCheckpoint(
        checkpoint, options_.server, options_.study, *stat,
        [&](std::uint64_t n) { return HashFileHead(abs, n); });
    if (!verdict.ok()) return FailFile(abs, FileError(verdict.status()));
    bool resume = *verdict == FileVerdict::kUnchanged || *verdict == FileVerdict::kGrown;
    if (options_.from_start) resume = false;
    if (resume) {
      // Never read less than the acknowledged rows came from.
      limit = std::max(limit, checkpoint->size);
      if (checkpoint->complete && limit == checkpoint->size) {
        if (always_report) report().up_to_date = true;
        return absl::OkStatus();
      }
    }
    if (limit == 0) return absl::OkStatus();  // nothing complete to read yet

    const std::uint64_t head_bytes = std::min(limit, kHeadHashBytes);
    absl::StatusOr<std::uint64_t> head_hash = HashFileHead(abs, head_bytes);
    if (!head_hash.ok()) return FailFile(abs, FileError(head_hash.status()));

    absl::StatusOr<std::unique_ptr<FileSliceSource>> source =
        OpenFixFileSlice(abs, fix_options, limit);
    if (!source.ok()) return FailFile(abs, FileError(source.status()));

    FileCheckpoint entry;
    if (resume) {
      entry = *checkpoint;
    } else if (checkpoint != nullptr) {
      spdlog::info("{}: sending it from the start ({})", abs,
                   options_.from_start
                       ? std::string("--from-start")
                       : absl::StrCat(std::string(FileVerdictName(*verdict)),
                                      " since the checkpoint"));
    }
    entry.server = options_.server;
    entry.study = options_.study;
    entry.size = limit;
    entry.mtime_ns = stat->mtime_ns;
    entry.head_bytes = head_bytes;
    entry.head_hash = *head_hash;
    entry.complete = false;
    checkpoint_->Put(abs, entry);

    FileRun& file = RunFor(abs);
    file.refused = false;
    FileSummary& summary = report();
    summary.up_to_date = false;
    summary.error = absl::OkStatus();

    // Skip what the server already acknowledged.
    std::uint64_t to_skip = entry.rows_acked;
    if (to_skip > 0) {
      summary.rows_skipped += to_skip;
      FixRowBatch skipped;
      while (to_skip > 0 &&
             (*source)->Next(skipped, static_cast<std::size_t>(
                                          std::min<std::uint64_t>(to_skip, 65'536)))) {
        to_skip -= std::min<std::uint64_t>(to_skip, skipped.size());
      }
      if (to_skip > 0) {
        // Fewer rows than acknowledged: not the file the checkpoint knew.
        spdlog::warn("{}: has fewer rows than the {} acknowledged; sending it from the start",
                     abs, entry.rows_acked);
        summary.rows_skipped -= entry.rows_acked;
        checkpoint_->Find(abs)->rows_acked = 0;
        source = OpenFixFileSlice(abs, fix_options, limit);
        if (!source.ok()) return FailFile(abs, FileError(source.status()));
      } else {
        spdlog::info("{}: resuming after {} acknowledged rows", abs, entry.rows_acked);
      }
    }

    counters_.file = std::filesystem::path(abs).filename().string();
    FixRowBatch rows;
    while (true) {
      if (stop_.stop_requested()) {
        interrupted_ = true;
        break;
      }
      if (file.refused) break;
      if (!(*source)->Next(rows, options_.batch_size)) break;
      BuiltBatch built = BuildBatch(rows, next_sequence_, batch_options_);
      const std::size_t fixes = static_cast<std::size_t>(built.message.fixes_size());
      counters_.rows_sent += built.lines.source_rows;
      rows_sent_ += built.lines.source_rows;
      counters_.bytes_done = bytes_base_ + (*source)->bytes_read();
      pending_.push_back(Pending{.file = &file,
                                 .sequence = fixes > 0 ? next_sequence_ : 0,
                                 .lines = std::move(built.lines),
                                 .fixes = fixes,
                                 .end_of_file = false});
      if (fixes > 0) {
        ++next_sequence_;
        ++batches_sent_;
        if (absl::Status st = uploader_->Send(std::move(built.message)); !st.ok()) return st;
      } else if (absl::Status st = CompleteLocal(/*persist=*/true); !st.ok()) {
        return st;
      }
      progress_.Update(counters_);
    }
    bytes_base_ += limit;
    counters_.bytes_done = bytes_base_;

    if (absl::Status st = (*source)->status(); !st.ok()) {
      return FailFile(abs, FileError(st));
    }
    if (!interrupted_ && !file.refused) {
      // Marks the file complete once everything before it is acknowledged.
      pending_.push_back(Pending{
          .file = &file, .sequence = 0, .lines = {}, .fixes = 0, .end_of_file = true});
      if (absl::Status st = CompleteLocal(/*persist=*/true); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

  // Waits for every ack and ends the stream.
  absl::Status Close() {
    absl::Status st = uploader_->Close();
    counters_.file.clear();
    progress_.Update(counters_);
    return st;
  }

  void AddBytesToRead(std::uint64_t bytes) { counters_.bytes_total += bytes; }
  const ProgressCounters& counters() const { return counters_; }

  RunSummary& summary() { return summary_; }
  // This run's report on `path` (as given to IngestFile), or nullptr.
  const FileSummary* FindSummary(const std::string& path) const {
    auto it = summary_index_.find(AbsolutePath(path));
    return it == summary_index_.end() ? nullptr : &summary_.files[it->second];
  }
  bool interrupted() const { return interrupted_; }
  const std::string& rejects_path() const { return rejects_path_; }
  std::uint64_t batches_sent() const { return batches_sent_; }
  std::uint64_t rows_sent() const { return rows_sent_; }
  std::uint64_t reconnects() const { return uploader_ ? uploader_->reconnects() : 0; }

 private:
  // A file as this run knows it.
  struct FileRun {
    std::string path;
    bool refused = false;  // the server refused one of its batches whole
  };

  // A batch in flight, or rows handled locally (parser refusals only, or
  // the end of a file) waiting for the batches before them.
  struct Pending {
    FileRun* file = nullptr;
    std::uint64_t sequence = 0;  // 0: not sent
    BatchLines lines;
    std::size_t fixes = 0;
    bool end_of_file = false;
  };

  FixFileOptions FixOptions() const {
    FixFileOptions o;
    o.format = options_.format;
    o.now_ms = options_.now_ms();
    o.default_tag_id = options_.default_tag_id;
    o.mapping = options_.mapping;
    return o;
  }

  FileSummary& SummaryFor(const std::string& abs) {
    auto [it, inserted] = summary_index_.try_emplace(abs, summary_.files.size());
    if (inserted) {
      FileSummary report;
      report.path = abs;
      summary_.files.push_back(std::move(report));
    }
    return summary_.files[it->second];
  }

  FileRun& RunFor(const std::string& abs) {
    std::unique_ptr<FileRun>& run = runs_[abs];
    if (!run) run = std::make_unique<FileRun>(FileRun{.path = abs});
    return *run;
  }

  absl::Status FailFile(const std::string& abs, absl::Status error) {
    spdlog::error("{}", std::string(error.message()));
    SummaryFor(abs).error = std::move(error);
    return absl::OkStatus();
  }

  absl::Status OnAck(const v1::FixAck& ack) {
    if (absl::Status st = CompleteLocal(/*persist=*/false); !st.ok()) return st;
    if (pending_.empty() || pending_.front().sequence != ack.sequence()) {
      return absl::InternalError(absl::StrCat("ack for batch ", ack.sequence(),
                                              " does not match the oldest batch in flight"));
    }
    Apply(pending_.front(), &ack);
    pending_.pop_front();
    if (absl::Status st = CompleteLocal(/*persist=*/false); !st.ok()) return st;
    if (absl::Status st = Persist(); !st.ok()) return st;
    progress_.Update(counters_);
    if (options_.after_ack) options_.after_ack(ack);
    return absl::OkStatus();
  }

  // Applies the local units at the front of the queue (everything sent
  // before them is acknowledged).
  absl::Status CompleteLocal(bool persist) {
    bool any = false;
    while (!pending_.empty() && pending_.front().sequence == 0) {
      Apply(pending_.front(), nullptr);
      pending_.pop_front();
      any = true;
    }
    if (any && persist) return Persist();
    return absl::OkStatus();
  }

  // Books `unit` as acknowledged (with `ack` for a sent batch).
  void Apply(const Pending& unit, const v1::FixAck* ack) {
    FileRun& file = *unit.file;
    FileCheckpoint* checkpoint = checkpoint_->Find(file.path);
    FileSummary& summary = SummaryFor(file.path);
    IngestCounts delta;
    const std::string& path = file.path;

    if (ack != nullptr && !ack->batch_rejection().reason().empty()) {
      // Nothing of the batch is stored: the checkpoint stays before it, so
      // a later run sends it again once the cause is fixed.
      const v1::Rejection& refusal = ack->batch_rejection();
      file.refused = true;
      delta.refused_batches[refusal.reason()] += 1;
      delta.refused_fixes += unit.fixes;
      rejects_->Add(RejectRecord{.file = path,
                                 .first_line = unit.lines.first_line,
                                 .last_line = unit.lines.last_line,
                                 .field = refusal.field(),
                                 .reason = refusal.reason(),
                                 .message = refusal.message()});
      if (summary.error.ok()) {
        summary.error = absl::FailedPreconditionError(absl::StrCat(
            "the server refused the batch of lines ", unit.lines.first_line, "-",
            unit.lines.last_line, " whole: ", refusal.reason(), ": ", refusal.message()));
        spdlog::error("{}: {}", path, std::string(summary.error.message()));
      }
    } else if (file.refused) {
      // After a refused batch of the same file: whatever the server stored
      // is counted, but the checkpoint does not move (a rerun re-sends).
      if (ack != nullptr) {
        delta.accepted = ack->accepted();
        delta.duplicates = ack->duplicates();
        delta.updated = ack->updated();
      }
    } else {
      std::vector<RejectRecord> records;
      for (const RowRejection& r : unit.lines.parse_rejections) {
        const std::string code(telemetry::RejectReasonCode(r.reason));
        delta.rejected[code] += 1;
        records.push_back(RejectRecord{.file = path,
                                       .first_line = r.line,
                                       .last_line = r.line,
                                       .field = r.field,
                                       .reason = code,
                                       .message = r.message});
      }
      if (ack != nullptr) {
        delta.accepted = ack->accepted();
        delta.duplicates = ack->duplicates();
        delta.updated = ack->updated();
        for (const v1::Rejection& r : ack->rejected()) {
          delta.rejected[r.reason()] += 1;
          const std::size_t line = LineOfFix(unit.lines, r.index());
          records.push_back(RejectRecord{.file = path,
                                         .first_line = line,
                                         .last_line = line,
                                         .field = r.field(),
                                         .reason = r.reason(),
                                         .message = r.message()});
        }
      }
      std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
        return a.first_line < b.first_line;
      });
      for (const RejectRecord& r : records) rejects_->Add(r);
      delta.rows = unit.lines.source_rows;
      checkpoint->rows_acked += unit.lines.source_rows;
      if (unit.end_of_file) checkpoint->complete = true;
    }
    summary.counts.Add(delta);
    checkpoint->counts.Add(delta);
    checkpoint_->totals().Add(delta);
    counters_.rows_acked += delta.rows;
    counters_.fixes_acked += unit.fixes;
  }

  absl::Status Persist() {
    if (absl::Status st = rejects_->Sync(); !st.ok()) return MarkLocalIo(st);
    if (absl::Status st = checkpoint_->Save(); !st.ok()) return MarkLocalIo(st);
    return absl::OkStatus();
  }

  const DaemonOptions& options_;
  const StopSignal& stop_;
  ProgressReporter& progress_;
  BatchOptions batch_options_;
  std::unique_ptr<StateDirLock> lock_;
  std::optional<Checkpoint> checkpoint_;
  std::string rejects_path_;
  std::unique_ptr<RejectsWriter> rejects_;
  std::map<std::string, std::unique_ptr<FileRun>> runs_;
  std::set<std::string> held_back_;  // files whose unterminated last line waits (logged once)
  std::deque<Pending> pending_;
  RunSummary summary_;
  std::map<std::string, std::size_t> summary_index_;
  ProgressCounters counters_;
  std::uint64_t bytes_base_ = 0;  // input bytes of the files finished
  std::uint64_t next_sequence_ = 1;
  std::uint64_t batches_sent_ = 0;
  std::uint64_t rows_sent_ = 0;
  bool interrupted_ = false;
  // Declared last: destroyed first, while what its ack handler uses lives.
  std::unique_ptr<Uploader> uploader_;
};

DaemonResult Finish(Engine* engine, absl::Status status, bool interrupted) {
  DaemonResult result;
  result.status = status;
  if (engine != nullptr) {
    result.summary = engine->summary();
    result.batches_sent = engine->batches_sent();
    result.rows_sent = engine->rows_sent();
    result.reconnects = engine->reconnects();
    result.rejects_path = engine->rejects_path();
  }
  result.interrupted = interrupted;
  if (!status.ok()) {
    result.exit_code = ExitCodeForStatus(status);
  } else if (interrupted) {
    result.exit_code = kExitInterrupted;
  } else {
    result.exit_code = ExitCodeForStatus(result.summary.FirstFileError());
  }
  return result;
}

}  // namespace

absl::Status ValidateOptions(const DaemonOptions& options) {
  if (options.study.empty()) return absl::InvalidArgumentError("--study is required");
  if (options.server.empty()) return absl::InvalidArgumentError("--server is empty");
  if (options.batch_size < 1 || options.batch_size > kMaxBatchSize) {
    return absl::InvalidArgumentError(absl::StrCat("--batch-size ", options.batch_size,
                                                   " is outside 1..", kMaxBatchSize,
                                                   " (the server's limit per batch)"));
  }
  if (options.window < 1) return absl::InvalidArgumentError("the window must be at least 1");
  if (options.state_dir.empty()) return absl::InvalidArgumentError("--state-dir is empty");
  if (!options.now_ms) return absl::InvalidArgumentError("no clock (now_ms)");
  if (options.format == FixFileFormat::kGenericCsv && !options.mapping) {
    return absl::InvalidArgumentError("--format csv needs a column mapping (--map)");
  }
  if (options.mapping && options.format != FixFileFormat::kGenericCsv &&
      options.format != FixFileFormat::kAuto) {
    return absl::InvalidArgumentError(
        absl::StrCat("--map applies to the csv format only, not to ",
                     std::string(FixFileFormatName(options.format))));
  }
  return absl::OkStatus();
}

DaemonResult RunPush(const DaemonOptions& options, const std::vector<std::string>& files,
                     const StopSignal& stop) {
  if (absl::Status st = ValidateOptions(options); !st.ok()) return Finish(nullptr, st, false);
  ProgressReporter progress(options.progress, options.progress_interval);
  Engine engine(options, stop, progress);
  if (absl::Status st = engine.Open(); !st.ok()) return Finish(&engine, st, false);
  std::set<std::string> distinct;
  for (const std::string& file : files) {
    if (!distinct.insert(AbsolutePath(file)).second) continue;
    if (absl::StatusOr<FileStat> stat = StatFile(file); stat.ok()) {
      engine.AddBytesToRead(stat->size);
    }
  }
  absl::Status status;
  bool stopped_between_files = false;
  std::set<std::string> seen;
  for (const std::string& file : files) {
    // A file named twice is read once (its batches would overlap).
    if (!seen.insert(AbsolutePath(file)).second) continue;
    if (stop.stop_requested()) {
      stopped_between_files = true;
      break;
    }
    status = engine.IngestFile(file, ReadMode::kPush, std::nullopt, /*always_report=*/true);
    if (!status.ok()) break;
  }
  // Also after a stop request: what is in flight is still waited for.
  if (status.ok()) status = engine.Close();
  progress.Finish(engine.counters());
  return Finish(&engine, status, engine.interrupted() || stopped_between_files);
}

DaemonResult RunWatch(const DaemonOptions& options, const std::string& dir,
                      const StopSignal& stop) {
  if (absl::Status st = ValidateOptions(options); !st.ok()) return Finish(nullptr, st, false);
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Finish(nullptr,
                  MarkLocalIo(absl::NotFoundError(
                      absl::StrCat("watch folder '", dir, "' is not a folder"))),
                  false);
  }
  ProgressReporter progress(options.progress, options.progress_interval);
  Engine engine(options, stop, progress);
  if (absl::Status st = engine.Open(); !st.ok()) return Finish(&engine, st, false);

  FixFileOptions names;
  names.format = options.format;
  names.mapping = options.mapping;
  // How each file looked at the last look, and since when.
  struct Look {
    FileStat stat;
    std::chrono::steady_clock::time_point since;
  };
  std::map<std::string, Look> last_look;
  // Files that failed, with how they looked then: not retried until they change.
  std::map<std::string, FileStat> failed;
  absl::Status status;
  spdlog::info("watching {} every {} s", dir,
               std::chrono::duration<double>(options.watch_interval).count());
  while (status.ok() && !stop.stop_requested()) {
    std::vector<std::string> paths;
    for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end;
         it.increment(error)) {
      if (!it->is_regular_file(error)) continue;
      if (IsWatchedFileName(it->path().filename().string(), names)) {
        paths.push_back(it->path().string());
      }
    }
    if (error) spdlog::warn("cannot list {}: {}", dir, error.message());
    std::sort(paths.begin(), paths.end());
    std::map<std::string, FileStat> looked_at;
    for (const std::string& path : paths) {
      if (stop.stop_requested()) break;
      absl::StatusOr<FileStat> stat = StatFile(path);
      if (!stat.ok()) continue;  // gone since listed
      if (auto f = failed.find(path); f != failed.end() && f->second == *stat) continue;
      const auto now = std::chrono::steady_clock::now();
      std::optional<std::chrono::milliseconds> unchanged_for;
      if (auto it = last_look.find(path); it != last_look.end() && it->second.stat == *stat) {
        unchanged_for =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - it->second.since);
      } else {
        last_look[path] = Look{.stat = *stat, .since = now};
      }
      status = engine.IngestFile(path, ReadMode::kWatch, unchanged_for, /*always_report=*/false);
      if (!status.ok()) break;
      looked_at[path] = *stat;
    }
    if (status.ok()) status = engine.Close();
    // Refusals arrive with the acks: judged once the round is acknowledged.
    for (const auto& [path, stat] : looked_at) {
      const FileSummary* report = engine.FindSummary(path);
      if (report != nullptr && !report->error.ok()) {
        failed[path] = stat;
      } else {
        failed.erase(path);
      }
    }
    if (!status.ok() || stop.stop_requested()) break;
    stop.WaitForStop(options.watch_interval);
  }
  progress.Finish(engine.counters());
  DaemonResult result = Finish(&engine, status, false);
  if (status.ok()) result.exit_code = kExitOk;  // file errors are reported, not fatal
  return result;
}

}  // namespace wetlink::ingest::daemon
