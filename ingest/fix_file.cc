#include "ingest/fix_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ingest/movebank_csv.h"

namespace wetlink::ingest {
namespace {

constexpr std::string_view kSupported =
    "supported: .gpx (GPX), .csv, .txt or .tsv (Movebank CSV, or any CSV given a column "
    "mapping); or name the format: movebank, csv, gpx";

bool HasExtension(std::string_view path, std::string_view extension) {
  if (path.size() <= extension.size()) return false;
  return std::equal(extension.begin(), extension.end(), path.end() - extension.size(),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    });
}

absl::Status Refused(const std::string& path, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("fix file '", path, "': ", std::string(why)));
}

// The concrete format, with the options checked against it.
absl::StatusOr<FixFileFormat> ResolveFormat(const std::string& path,
                                            const FixFileOptions& options) {
  FixFileFormat format = options.format;
  if (format == FixFileFormat::kAuto) {
    if (HasExtension(path, ".gpx")) {
      format = FixFileFormat::kGpx;
    } else if (HasExtension(path, ".csv") || HasExtension(path, ".txt") ||
               HasExtension(path, ".tsv")) {
      format = options.mapping ? FixFileFormat::kGenericCsv : FixFileFormat::kMovebankCsv;
    } else {
      return Refused(
          path, absl::StrCat("cannot tell its format from its name; ", std::string(kSupported)));
    }
  }
  if (format == FixFileFormat::kGenericCsv && !options.mapping) {
    return Refused(path, "the csv format needs a column mapping");
  }
  if (format != FixFileFormat::kGenericCsv && options.mapping) {
    return Refused(path, absl::StrCat("a column mapping applies to the csv format only, not to ",
                                      std::string(FixFileFormatName(format))));
  }
  return format;
}

// NotFound / PermissionDenied / InvalidArgument before any parser sees the
// path, so every format reports an unreadable file the same way.
absl::Status CheckReadable(const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat("fix file '", path, "' does not exist"));
  }
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot reach fix file '", path, "': ", error.message()));
  }
  if (std::filesystem::is_directory(status)) return Refused(path, "is a directory");
  if (!std::ifstream(path, std::ios::binary).is_open()) {
    return absl::PermissionDeniedError(absl::StrCat("cannot read fix file '", path, "'"));
  }
  return absl::OkStatus();
}

// A CSV reader together with the stream it reads, which must outlive it.
template <typename Reader>
class CsvFileSource final : public FixSource {
 public:
  CsvFileSource(std::string path, std::unique_ptr<std::ifstream> file, Reader reader)
      : path_(std::move(path)), file_(std::move(file)), reader_(std::move(reader)) {}

  bool Next(FixRowBatch& out, std::size_t max_rows) override { return reader_.Next(out, max_rows); }

  absl::Status status() const override {
    const absl::Status status = reader_.status();
    if (status.ok()) return status;
    return absl::Status(status.code(),
                        absl::StrCat("fix file '", path_, "': ", std::string(status.message())));
  }

 private:
  std::string path_;
  std::unique_ptr<std::ifstream> file_;  // before reader_, so destroyed after it
  Reader reader_;
};

// Opens `path` as a CSV of `Reader`'s format; `open` calls Reader::Open.
template <typename Reader, typename OpenReader>
absl::StatusOr<std::unique_ptr<FixSource>> OpenCsv(const std::string& path,
                                                   std::string_view format_name,
                                                   std::string_view hint, OpenReader open) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!file->is_open()) {
    return absl::PermissionDeniedError(absl::StrCat("cannot read fix file '", path, "'"));
  }
  absl::StatusOr<Reader> reader = open(*file);
  if (!reader.ok()) {
    return absl::Status(
        reader.status().code(),
        absl::StrCat("fix file '", path, "' (read as ", std::string(format_name),
                     "): ", std::string(reader.status().message()), std::string(hint)));
  }
  return std::make_unique<CsvFileSource<Reader>>(path, std::move(file), std::move(*reader));
}

}  // namespace

absl::StatusOr<FixFileFormat> ParseFixFileFormat(std::string_view name) {
  for (const FixFileFormat format : {FixFileFormat::kAuto, FixFileFormat::kMovebankCsv,
                                     FixFileFormat::kGenericCsv, FixFileFormat::kGpx}) {
    if (name == FixFileFormatName(format)) return format;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown fix file format '", std::string(name),
                                                 "'; known: auto, movebank, csv, gpx"));
}

std::string_view FixFileFormatName(FixFileFormat format) {
  switch (format) {
    case FixFileFormat::kAuto:
      return "auto";
    case FixFileFormat::kMovebankCsv:
      return "movebank";
    case FixFileFormat::kGenericCsv:
      return "csv";
    case FixFileFormat::kGpx:
      break;
  }
  return "gpx";
}

absl::StatusOr<std::unique_ptr<FixSource>> OpenFixFile(const std::string& path,
                                                       const FixFileOptions& options) {
  absl::StatusOr<FixFileFormat> format = ResolveFormat(path, options);
  if (!format.ok()) return format.status();
  if (absl::Status status = CheckReadable(path); !status.ok()) return status;

  switch (*format) {
    case FixFileFormat::kGpx: {
      GpxOptions gpx = options.gpx;
      gpx.limits = options.limits;
      if (!gpx.tag_from_track_name && gpx.tag_id.empty()) gpx.tag_id = options.default_tag_id;
      absl::StatusOr<GpxFixSource> source =
          GpxFixSource::Open(path, options.now_ms, std::move(gpx));
      if (!source.ok()) return source.status();
      return std::make_unique<GpxFixSource>(std::move(*source));
    }
    case FixFileFormat::kGenericCsv: {
      GenericCsvOptions csv{.mapping = *options.mapping, .limits = options.limits};
      if (csv.mapping.tag.empty() && csv.mapping.tag_id.empty()) {
        csv.mapping.tag_id = options.default_tag_id;
      }
      return OpenCsv<GenericCsvFixSource>(
          path, "CSV with a column mapping", "", [&](std::istream& in) {
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
  const std::string_view hint = options.format == FixFileFormat::kAuto
                                    ? " (for a CSV in another layout, give a column mapping)"
                                    : "";
  return OpenCsv<MovebankCsvReader>(path, "Movebank CSV", hint, [&](std::istream& in) {
    return MovebankCsvReader::Open(in, options.now_ms, std::move(movebank));
  });
}

}  // namespace wetlink::ingest
