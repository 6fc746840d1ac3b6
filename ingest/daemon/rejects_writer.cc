#include "ingest/daemon/rejects_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace wetlink::ingest::daemon {
namespace {

void AppendField(std::string_view value, std::string* out) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(value);
    return;
  }
  out->push_back('"');
  for (char c : value) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::string FormatRejectLine(const RejectRecord& record) {
  std::string out;
  AppendField(record.file, &out);
  out.push_back(',');
  if (record.last_line > record.first_line) {
    absl::StrAppend(&out, record.first_line, "-", record.last_line);
  } else {
    absl::StrAppend(&out, record.first_line);
  }
  out.push_back(',');
  AppendField(record.field, &out);
  out.push_back(',');
  AppendField(record.reason, &out);
  out.push_back(',');
  AppendField(record.message, &out);
  out.push_back('\n');
  return out;
}

absl::StatusOr<std::unique_ptr<RejectsWriter>> RejectsWriter::Open(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      return absl::PermissionDeniedError(absl::StrCat("cannot create folder '", parent.string(),
                                                      "' of rejects file: ", error.message()));
    }
  }
  std::FILE* file = std::fopen(path.c_str(), "ab");
  if (file == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open rejects file '", path, "': ", std::strerror(errno)));
  }
  auto writer = std::unique_ptr<RejectsWriter>(new RejectsWriter(path, file));
  if (std::fseek(file, 0, SEEK_END) == 0 && std::ftell(file) == 0) {
    std::fputs((std::string(kRejectsHeader) + "\n").c_str(), file);
    writer->dirty_ = true;
    if (absl::Status st = writer->Sync(); !st.ok()) return st;
  }
  return writer;
}

RejectsWriter::~RejectsWriter() { std::fclose(file_); }

void RejectsWriter::Add(const RejectRecord& record) {
  const std::string line = FormatRejectLine(record);
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) failed_ = true;
  ++written_;
  dirty_ = true;
}

absl::Status RejectsWriter::Sync() {
  if (!dirty_ && !failed_) return absl::OkStatus();
  if (failed_ || std::fflush(file_) != 0 || ::fdatasync(::fileno(file_)) != 0) {
    failed_ = true;
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write rejects file '", path_, "': ", std::strerror(errno)));
  }
  dirty_ = false;
  return absl::OkStatus();
}

}  // namespace wetlink::ingest::daemon
