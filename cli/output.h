#ifndef WETLINK_CLI_OUTPUT_H_
#define WETLINK_CLI_OUTPUT_H_

// Rendering of command results as an aligned text table, CSV (RFC 4180) or
// JSON (the proto3 JSON mapping with the .proto field names).

#include <ostream>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

namespace wetlink::cli {

enum class OutputFormat { kTable, kJson, kCsv };

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

void PrintTable(const Table& table, std::ostream& out);
void PrintCsv(const Table& table, std::ostream& out);
// Pretty-printed JSON of `message`, every field shown.
void PrintJson(const google::protobuf::Message& message, std::ostream& out);

using Fields = std::vector<std::pair<std::string, std::string>>;

// "key: value" lines for one record, keys aligned.
void PrintRecord(const Fields& fields, std::ostream& out);

// A table as `format` asks: CSV for kCsv, aligned text otherwise (JSON
// output prints the message itself, not a table).
void PrintRows(const Table& table, OutputFormat format, std::ostream& out);
// One record: a field,value CSV for kCsv, aligned "key: value" otherwise.
void PrintFields(const Fields& fields, OutputFormat format, std::ostream& out);

// Shortest round-trip text of a number, without trailing zeros: 3525.7.
std::string FormatNumber(double value);

}  // namespace wetlink::cli

#endif  // WETLINK_CLI_OUTPUT_H_
