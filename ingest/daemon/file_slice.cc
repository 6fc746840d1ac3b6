#include "ingest/daemon/file_slice.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <istream>
#include <streambuf>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ingest/generic_csv.h"
#include "ingest/movebank_csv.h"

namespace wetlink::ingest::daemon {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

bool HasExtension(std::string_view name, std::string_view extension) {
  if (name.size() <= extension.size()) return false;
  return std::equal(extension.begin(), extension.end(), name.end() - extension.size(),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    });
}

bool IsCsvName(std::string_view name) {
  return HasExtension(name, ".csv") || HasExtension(name, ".txt") || HasExtension(name, ".tsv");
}

// An open file descriptor, closed on destruction.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

absl::StatusOr<Fd> OpenForReading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const std::string message = absl::StrCat("cannot open '", path, "': ", ErrnoText(error));
    if (error == ENOENT) return absl::NotFoundError(message);
    return absl::PermissionDeniedError(message);
  }
  return Fd(fd);
}

// pread that retries interrupted and short reads; returns bytes read (less
// than `size` only at the end of the file) or -1.
ssize_t ReadAt(int fd, char* buf, std::size_t size, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buf + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

// A read-only stream buffer over the first `limit` bytes of a file.
class SliceBuf final : public std::streambuf {
 public:
  SliceBuf(Fd fd, std::uint64_t limit) : fd_(std::move(fd)), limit_(limit), buf_(64 * 1024) {}

  std::uint64_t delivered() const { return offset_; }
  bool failed() const { return failed_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (offset_ >= limit_ || failed_) return traits_type::eof();
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size(), limit_ - offset_));
    const ssize_t n = ReadAt(fd_.get(), buf_.data(), want, offset_);
    if (n <= 0) {
      // The file shrank under us, or the read failed: the stream ends here
      // and the reader sees a short file; failed() tells the difference.
      failed_ = n < 0;
      return traits_type::eof();
    }
    offset_ += static_cast<std::uint64_t>(n);
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  Fd fd_;
  std::uint64_t limit_;
  std::uint64_t offset_ = 0;
  bool failed_ = false;
  std::vector<char> buf_;
};

// A CSV reader over a slice of a file; owns the stream it reads.
template <typename Reader>
class CsvSliceSource final : public FileSliceSource {
 public:
  CsvSliceSource(std::string path, std::unique_ptr<SliceBuf> buf, std::unique_ptr<std::istream> in)
      : path_(std::move(path)), buf_(std::move(buf)), in_(std::move(in)) {}

  void set_reader(Reader reader) { reader_.emplace(std::move(reader)); }
  std::istream& stream() { return *in_; }

  bool Next(FixRowBatch& out, std::size_t max_rows) override {
    return reader_->Next(out, max_rows);
  }

  absl::Status status() const override {
    if (buf_->failed()) {
      return absl::DataLossError(absl::StrCat("fix file '", path_, "': read failed after byte ",
                                              buf_->delivered()));
    }
    const absl::Status status = reader_->status();
    if (status.ok()) return status;
    return absl::Status(status.code(),
                        absl::StrCat("fix file '", path_, "': ", std::string(status.message())));
  }

  std::uint64_t bytes_read() const override { return buf_->delivered(); }

 private:
  std::string path_;
  // Declared before reader_, so destroyed after it.
  std::unique_ptr<SliceBuf> buf_;
  std::unique_ptr<std::istream> in_;
  std::optional<Reader> reader_;
};

// A source read through ingest::OpenFixFile (GPX), whole.
class WholeFileSource final : public FileSliceSource {
 public:
  WholeFileSource(std::unique_ptr<FixSource> source, std::uint64_t size)
      : source_(std::move(source)), size_(size) {}

  bool Next(FixRowBatch& out, std::size_t max_rows) override {
    const bool more = source_->Next(out, max_rows);
    if (!more) exhausted_ = true;
    return more;
  }
  absl::Status status() const override { return source_->status(); }
  std::uint64_t bytes_read() const override { return exhausted_ ? size_ : 0; }

 private:
  std::unique_ptr<FixSource> source_;
  std::uint64_t size_;
  bool exhausted_ = false;
};

template <typename Reader, typename OpenReader>
absl::StatusOr<std::unique_ptr<FileSliceSource>> OpenCsvSlice(const std::string& path,
                                                              std::uint64_t limit,
                                                              std::string_view format_name,
                                                              OpenReader open) {
  absl::StatusOr<Fd> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  auto buf = std::make_unique<SliceBuf>(std::move(*fd), limit);
  auto in = std::make_unique<std::istream>(buf.get());
  auto source = std::make_unique<CsvSliceSource<Reader>>(path, std::move(buf), std::move(in));
  absl::StatusOr<Reader> reader = open(source->stream());
  if (!reader.ok()) {
    return absl::Status(reader.status().code(),
                        absl::StrCat("fix file '", path, "' (read as ", std::string(format_name),
                                     "): ", std::string(reader.status().message())));
  }
  source->set_reader(std::move(*reader));
  return source;
}

}  // namespace

absl::StatusOr<FileStat> StatFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int error = errno;
    const std::string message = absl::StrCat("cannot examine '", path, "': ", ErrnoText(error));
    if (error == ENOENT) return absl::NotFoundError(message);
    return absl::PermissionDeniedError(message);
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat("'", path, "' is not a regular file"));
  }
  return FileStat{.size = static_cast<std::uint64_t>(st.st_size),
                  .mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                              st.st_mtim.tv_nsec};
}

std::uint64_t Fnv1a64(const char* data, std::size_t size, std::uint64_t hash) {
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

absl::StatusOr<std::uint64_t> HashFileHead(const std::string& path, std::uint64_t length) {
  absl::StatusOr<Fd> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(length, 1 << 16)));
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  std::uint64_t done = 0;
  while (done < length) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), length - done));
    const ssize_t n = ReadAt(fd->get(), buf.data(), want, done);
    if (n < 0) {
      return absl::DataLossError(absl::StrCat("cannot read '", path, "': ", ErrnoText(errno)));
    }
    if (n == 0) {
      return absl::DataLossError(
          absl::StrCat("'", path, "' is shorter than ", length, " bytes"));
    }
    hash = Fnv1a64(buf.data(), static_cast<std::size_t>(n), hash);
    done += static_cast<std::uint64_t>(n);
  }
  return hash;
}

absl::StatusOr<std::uint64_t> CompleteLinesLength(const std::string& path, std::uint64_t size) {
  absl::StatusOr<Fd> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  std::vector<char> buf(64 * 1024);
  std::uint64_t end = size;
  while (end > 0) {
    const std::uint64_t start = end > buf.size() ? end - buf.size() : 0;
    const auto want = static_cast<std::size_t>(end - start);
    const ssize_t n = ReadAt(fd->get(), buf.data(), want, start);
    if (n < 0) {
      return absl::DataLossError(absl::StrCat("cannot read '", path, "': ", ErrnoText(errno)));
    }
    // A file that shrank below `size`: look in what is there.
    for (ssize_t i = n; i > 0; --i) {
      if (buf[static_cast<std::size_t>(i - 1)] == '\n') {
        return start + static_cast<std::uint64_t>(i);
      }
    }
    end = start;
  }
  return 0;
}

absl::StatusOr<FixFileFormat> ResolveFixFileFormat(const std::string& path,
                                                   const FixFileOptions& options) {
  auto refused = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("fix file '", path, "': ", std::string(why)));
  };
  FixFileFormat format = options.format;
  if (format == FixFileFormat::kAuto) {
    if (HasExtension(path, ".gpx")) {
      format = FixFileFormat::kGpx;
    } else if (IsCsvName(path)) {
      format = options.mapping ? FixFileFormat::kGenericCsv : FixFileFormat::kMovebankCsv;
    } else {
      return refused(
          "cannot tell its format from its name; supported: .gpx (GPX), .csv, .txt or .tsv "
          "(Movebank CSV, or any CSV given a column mapping); or name the format with --format");
    }
  }
  if (format == FixFileFormat::kGenericCsv && !options.mapping) {
    return refused("the csv format needs a column mapping (--map)");
  }
  if (format != FixFileFormat::kGenericCsv && options.mapping) {
    return refused(absl::StrCat("a column mapping applies to the csv format only, not to ",
                                std::string(FixFileFormatName(format))));
  }
  return format;
}

bool IsWatchedFileName(const std::string& name, const FixFileOptions& options) {
  if (name.empty() || name.front() == '.') return false;
  const bool gpx = HasExtension(name, ".gpx");
  const bool csv = IsCsvName(name);
  switch (options.format) {
    case FixFileFormat::kAuto:
      return csv || (gpx && !options.mapping);
    case FixFileFormat::kMovebankCsv:
    case FixFileFormat::kGenericCsv:
      return csv;
    case FixFileFormat::kGpx:
      break;
  }
  return gpx;
}

absl::StatusOr<std::unique_ptr<FileSliceSource>> OpenFixFileSlice(const std::string& path,
                                                                  const FixFileOptions& options,
                                                                  std::uint64_t limit) {
  absl::StatusOr<FixFileFormat> format = ResolveFixFileFormat(path, options);
  if (!format.ok()) return format.status();
  switch (*format) {
    case FixFileFormat::kGpx: {
      absl::StatusOr<std::unique_ptr<FixSource>> source = OpenFixFile(path, options);
      if (!source.ok()) return source.status();
      return std::make_unique<WholeFileSource>(std::move(*source), limit);
    }
    case FixFileFormat::kGenericCsv: {
      GenericCsvOptions csv{.mapping = *options.mapping, .limits = options.limits};
      if (csv.mapping.tag.empty() && csv.mapping.tag_id.empty()) {
        csv.mapping.tag_id = options.default_tag_id;
      }
      return OpenCsvSlice<GenericCsvFixSource>(
          path, limit, "CSV with a column mapping", [&](std::istream& in) {
            return GenericCsvFixSource::Open(in, options.now_ms, std::move(csv));
          });
    }
    case FixFileFormat::kMovebankCsv:
    case FixFileFormat::kAuto:  // resolved above
      break;
  }
  MovebankCsvOptions movebank;
  movebank.default_tag_id = options.default_tag_id;
  movebank.limits = options.limits;
  if (HasExtension(path, ".tsv")) movebank.csv.delimiter = '\t';
  return OpenCsvSlice<MovebankCsvReader>(path, limit, "Movebank CSV", [&](std::istream& in) {
    return MovebankCsvReader::Open(in, options.now_ms, std::move(movebank));
  });
}

}  // namespace wetlink::ingest::daemon
