#include "cli/output.h"

#include <algorithm>
#include <charconv>
#include <cstddef>

#include <google/protobuf/util/json_util.h>

namespace wetlink::cli {
namespace {

// Display width in terminal columns: East Asian wide characters (CJK,
// Hangul, kana) take two columns, other code points one.
std::size_t DisplayWidth(const std::string& s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    char32_t cp = 0;
    if (len == 1) {
      cp = c;
    } else {
      cp = c & (0xFF >> (len + 1));
      for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      }
    }
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFF00 && cp <= 0xFF60);
    width += wide ? 2 : 1;
    i += len;
  }
  return width;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace

void PrintTable(const Table& table, std::ostream& out) {
  std::vector<std::size_t> widths(table.headers.size());
  for (std::size_t c = 0; c < table.headers.size(); ++c) widths[c] = DisplayWidth(table.headers[c]);
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < widths.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      line += cell;
      if (c + 1 < widths.size()) line.append(widths[c] - DisplayWidth(cell) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_row(table.headers);
  for (const auto& row : table.rows) print_row(row);
}

void PrintCsv(const Table& table, std::ostream& out) {
  auto print_row = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out << ',';
      out << CsvField(row[c]);
    }
    out << "\r\n";
  };
  print_row(table.headers);
  for (const auto& row : table.rows) print_row(row);
}

void PrintJson(const google::protobuf::Message& message, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  out << json;
  if (json.empty() || json.back() != '\n') out << "\n";
}

void PrintRecord(const Fields& fields, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& [key, value] : fields) width = std::max(width, key.size());
  for (const auto& [key, value] : fields) {
    out << key << ":" << std::string(width - key.size() + 1, ' ') << value << "\n";
  }
}

void PrintRows(const Table& table, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kCsv) {
    PrintCsv(table, out);
  } else {
    PrintTable(table, out);
  }
}

void PrintFields(const Fields& fields, OutputFormat format, std::ostream& out) {
  if (format != OutputFormat::kCsv) {
    PrintRecord(fields, out);
    return;
  }
  Table t{{"field", "value"}, {}};
  for (const auto& [key, value] : fields) t.rows.push_back({key, value});
  PrintCsv(t, out);
}

std::string FormatNumber(double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  if (ec != std::errc()) return "?";
  return std::string(buf, end);
}

}  // namespace wetlink::cli
