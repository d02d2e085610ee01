#include "oracle/api/paging.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace oracle {
namespace {

constexpr char kTokenVersion = '\1';
constexpr size_t kHeaderBytes = 9;  // version + query hash

void AppendBigEndian(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t ReadBigEndian(std::string_view b) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

ApiError BadToken(const char* why) {
  return ApiError{.reason = ErrorReason::kInvalidPageToken,
                  .message = absl::StrCat("page_token: ", why, "; start again without a token"),
                  .field = "page_token"};
}

}  // namespace

std::optional<ApiError> CoercePageSize(int32_t requested, PageLimits limits, int* size) {
  if (requested < 0) {
    return ApiError{
        .reason = ErrorReason::kInvalidArgument,
        .message = absl::StrCat("page_size: ", requested, " is negative; omit it (default ",
                                limits.default_size, ") or give at most ", limits.max_size),
        .field = "page_size"};
  }
  *size = requested == 0 ? limits.default_size : std::min(requested, limits.max_size);
  return std::nullopt;
}

uint64_t PageQueryHash(std::string_view query) noexcept {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : query) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string MakePageToken(uint64_t query, std::string_view resume) {
  std::string raw(1, kTokenVersion);
  AppendBigEndian(&raw, query);
  raw.append(resume);
  return absl::WebSafeBase64Escape(raw);
}

std::optional<ApiError> ReadPageToken(const std::string& token, uint64_t query,
                                      std::string* resume) {
  resume->clear();
  if (token.empty()) return std::nullopt;
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < kHeaderBytes ||
      raw[0] != kTokenVersion) {
    return BadToken("not a token this server issued");
  }
  if (ReadBigEndian(std::string_view(raw).substr(1, 8)) != query) {
    return BadToken(
        "issued for a different query (every field but page_size must stay the same while "
        "paging)");
  }
  *resume = raw.substr(kHeaderBytes);
  return std::nullopt;
}

std::optional<ApiError> ReadOffsetToken(const std::string& token, uint64_t query, size_t total,
                                        size_t* offset) {
  *offset = 0;
  std::string resume;
  if (auto e = ReadPageToken(token, query, &resume)) return e;
  if (token.empty()) return std::nullopt;
  if (resume.size() != 8) return BadToken("malformed");
  const uint64_t v = ReadBigEndian(resume);
  if (v == 0 || v > total) return BadToken("past the end of the list");
  *offset = static_cast<size_t>(v);
  return std::nullopt;
}

std::string NextOffsetToken(uint64_t query, size_t offset, size_t size, size_t total) {
  if (offset + size >= total) return std::string();
  std::string resume;
  AppendBigEndian(&resume, offset + size);
  return MakePageToken(query, resume);
}

}  // namespace oracle
