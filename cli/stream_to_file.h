#ifndef WETLINK_CLI_STREAM_TO_FILE_H_
#define WETLINK_CLI_STREAM_TO_FILE_H_

// Writes a server stream of byte chunks (any message with a `data` bytes
// field) to a file, beside the target first and renamed at the end, so a
// failed or interrupted download never leaves a partial file.

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "cli/client.h"

namespace wetlink::cli {

// Returns the exit code; on success `*bytes` holds the size written.
template <typename Chunk>
int StreamToFile(const Client& client, grpc::ClientReader<Chunk>& reader, const std::string& output,
                 std::string_view what, std::size_t* bytes) {
  namespace fs = std::filesystem;
  const std::string tmp = output + ".part";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return FailLocal(absl::StrCat("cannot write '", output, "'"), kExitLocalIo);
  Chunk chunk;
  *bytes = 0;
  while (reader.Read(&chunk)) {
    out.write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
    *bytes += chunk.data().size();
  }
  grpc::Status status = reader.Finish();
  out.close();
  std::error_code ec;
  if (!status.ok()) {
    fs::remove(tmp, ec);
    return client.Fail(status, what);
  }
  if (!out) {
    fs::remove(tmp, ec);
    return FailLocal(absl::StrCat("cannot write '", output, "'"), kExitLocalIo);
  }
  fs::rename(tmp, output, ec);
  if (ec) {
    return FailLocal(absl::StrCat("cannot write '", output, "': ", ec.message()), kExitLocalIo);
  }
  return kExitOk;
}

}  // namespace wetlink::cli

#endif  // WETLINK_CLI_STREAM_TO_FILE_H_
