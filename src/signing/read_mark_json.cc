#include "oracle/signing/read_mark_json.h"

#include <fstream>
#include <iostream>
#include <istream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace oracle::signing {
namespace {

// The whole of `in`, named `name` in errors.
absl::StatusOr<std::string> ReadAll(std::istream& in, const std::string& name) {
  std::string out;
  char buf[65536];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > kMaxMarkJsonBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": larger than ", kMaxMarkJsonBytes >> 20, " MiB; expected one mark"));
    }
  }
  if (in.bad()) return absl::DataLossError(name + ": read error");
  if (absl::StripAsciiWhitespace(out).empty()) {
    return absl::InvalidArgumentError(name + ": empty; expected one mark as protobuf JSON");
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::Mark> ReadMarkJson(const std::string& path) {
  const std::string name = path == "-" ? "stdin" : "mark file " + path;
  std::istream* in = &std::cin;
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return absl::NotFoundError(name + ": cannot be opened (missing or unreadable)");
    in = &file;
  }
  absl::StatusOr<std::string> json = ReadAll(*in, name);
  if (!json.ok()) return json.status();
  v1::Mark mark;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(*json, &mark, opts);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": not a mark in protobuf JSON (oracle.v1.Mark): ", std::string(parsed.message())));
  }
  return mark;
}

}  // namespace oracle::signing
