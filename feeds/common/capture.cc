#include "feeds/common/capture.h"

#include <simdjson.h>

#include "absl/strings/str_cat.h"

namespace oracle::feeds {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void AppendTime9(TimeNs t, std::string* out) {
  char buf[40];
  int n = FormatRfc3339To(t - (t % kNanosPerSecond + kNanosPerSecond) % kNanosPerSecond, buf);
  // buf is "YYYY-MM-DDTHH:MM:SS.000Z": replace the fraction with nine digits.
  int64_t nanos = (t % kNanosPerSecond + kNanosPerSecond) % kNanosPerSecond;
  out->append(buf, static_cast<size_t>(n - 4));  // up to and including the '.'
  char frac[10];
  for (int k = 8; k >= 0; --k) {
    frac[k] = static_cast<char>('0' + nanos % 10);
    nanos /= 10;
  }
  out->append(frac, 9);
  out->push_back('Z');
}

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
}

}  // namespace

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    out.push_back(kB64[v >> 18]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(kB64[(v >> 6) & 63]);
    out.push_back(kB64[v & 63]);
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out.push_back(kB64[v >> 18]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool Base64Decode(std::string_view in, std::string* out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out->clear();
  if (in.size() % 4 != 0) return false;
  for (size_t i = 0; i < in.size(); i += 4) {
    int a = val(in[i]), b = val(in[i + 1]);
    if (a < 0 || b < 0) return false;
    uint32_t v = (a << 18) | (b << 12);
    out->push_back(static_cast<char>(v >> 16));
    if (in[i + 2] == '=') {
      if (in[i + 3] != '=' || i + 4 != in.size()) return false;
      break;
    }
    int c = val(in[i + 2]);
    if (c < 0) return false;
    v |= c << 6;
    out->push_back(static_cast<char>((v >> 8) & 255));
    if (in[i + 3] == '=') {
      if (i + 4 != in.size()) return false;
      break;
    }
    int d = val(in[i + 3]);
    if (d < 0) return false;
    v |= d;
    out->push_back(static_cast<char>(v & 255));
  }
  return true;
}

void AppendCaptureLine(TimeNs recv_time, std::string_view venue, std::string_view frame,
                       bool binary, bool rest, uint64_t conn, std::string* out) {
  out->append("{\"recv_time\":\"");
  AppendTime9(recv_time, out);
  out->append("\",\"venue\":\"");
  AppendJsonString(venue, out);
  if (binary || !simdjson::validate_utf8(frame.data(), frame.size())) {
    out->append("\",\"frame_b64\":\"");
    out->append(Base64Encode(frame));
  } else {
    out->append("\",\"frame\":\"");
    AppendJsonString(frame, out);
  }
  out->push_back('"');
  if (conn > 0) {
    out->append(",\"conn\":");
    out->append(std::to_string(conn));
  }
  out->append(rest ? ",\"rest\":true}\n" : "}\n");
}

absl::StatusOr<std::unique_ptr<CaptureWriter>> CaptureWriter::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (f == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat("cannot open capture file ", path));
  }
  return std::unique_ptr<CaptureWriter>(new CaptureWriter(f));
}

CaptureWriter::~CaptureWriter() {
  Flush();
  std::fclose(file_);
}

void CaptureWriter::Write(TimeNs recv_time, std::string_view venue, std::string_view frame,
                          bool binary, bool rest, uint64_t conn) {
  std::lock_guard<std::mutex> lock(mu_);
  AppendCaptureLine(recv_time, venue, frame, binary, rest, conn, &buffer_);
  frames_.fetch_add(1, std::memory_order_relaxed);
  if (buffer_.size() > (256 << 10) || recv_time - last_flush_ > kNanosPerSecond) {
    last_flush_ = recv_time;
    FlushLocked();
  }
}

void CaptureWriter::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  FlushLocked();
}

void CaptureWriter::FlushLocked() {
  if (buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size() ||
      std::fflush(file_) != 0) {
    errors_.fetch_add(1, std::memory_order_relaxed);
  }
  buffer_.clear();
}

bool ParseCaptureLine(std::string_view line, CapturedFrame* out, std::string* error) {
  static thread_local simdjson::ondemand::parser parser;
  out->rest = false;
  out->binary = false;
  out->conn = 0;
  simdjson::padded_string padded(line);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(obj) != simdjson::SUCCESS) {
    *error = "not a JSON object";
    return false;
  }
  bool has_time = false, has_venue = false, has_frame = false;
  for (auto fr : obj) {
    simdjson::ondemand::field f;
    std::string_view key, value;
    if (std::move(fr).get(f) != simdjson::SUCCESS ||
        f.unescaped_key().get(key) != simdjson::SUCCESS) {
      *error = "not valid JSON";
      return false;
    }
    if (key == "rest") {
      bool rest = false;
      if (f.value().get_bool().get(rest) != simdjson::SUCCESS) {
        *error = "field \"rest\" is not true or false";
        return false;
      }
      out->rest = rest;
      continue;
    }
    if (key == "conn") {
      uint64_t conn = 0;
      if (f.value().get_uint64().get(conn) != simdjson::SUCCESS) {
        *error = "field \"conn\" is not a non-negative integer";
        return false;
      }
      out->conn = conn;
      continue;
    }
    if (key != "recv_time" && key != "venue" && key != "frame" && key != "frame_b64") continue;
    if (f.value().get_string().get(value) != simdjson::SUCCESS) {
      *error = absl::StrCat("field \"", std::string(key), "\" is not a string");
      return false;
    }
    if (key == "recv_time") {
      if (!ParseRfc3339(value, &out->recv_time)) {
        *error = absl::StrCat("field \"recv_time\": \"", std::string(value.substr(0, 40)),
                              "\" is not an RFC 3339 time");
        return false;
      }
      has_time = true;
    } else if (key == "venue") {
      out->venue.assign(value);
      has_venue = true;
    } else if (key == "frame") {
      out->frame.assign(value);
      out->binary = false;
      has_frame = true;
    } else {
      if (!Base64Decode(value, &out->frame)) {
        *error = "field \"frame_b64\" is not base64";
        return false;
      }
      out->binary = true;
      has_frame = true;
    }
  }
  if (!has_time)
    *error = "missing field \"recv_time\"";
  else if (!has_venue)
    *error = "missing field \"venue\"";
  else if (!has_frame)
    *error = "missing field \"frame\" (or \"frame_b64\")";
  return has_time && has_venue && has_frame;
}

}  // namespace oracle::feeds
