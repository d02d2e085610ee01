// The token file: `name role sha256hex` per line, '#' comments. Never the tokens themselves.
#include <openssl/evp.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oracle/auth/auth.h"

namespace oracle::auth {
namespace {

absl::string_view Av(std::string_view s) { return {s.data(), s.size()}; }

bool ValidName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseDigest(std::string_view hex, std::array<uint8_t, 32>* out) {
  if (hex.size() != 64) return false;
  for (size_t i = 0; i < 32; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return true;
}

// One non-comment line -> entry, or the reason it is not one.
std::optional<std::string> ParseLine(std::string_view line, TokenEntry* entry) {
  std::vector<absl::string_view> f =
      absl::StrSplit(absl::string_view(line.data(), line.size()), ' ', absl::SkipWhitespace());
  if (f.size() != 3) {
    return absl::StrCat("expected `name role sha256hex` (3 fields), found ", f.size());
  }
  const std::string_view name(f[0].data(), f[0].size());
  if (!ValidName(name)) {
    return absl::StrCat("name \"", absl::CHexEscape(f[0]),
                        "\": must be 1..64 characters of letters, digits, '.', '-' or '_'");
  }
  if (!ParseRoleName(std::string_view(f[1].data(), f[1].size()), &entry->role)) {
    return absl::StrCat("role \"", absl::CHexEscape(f[1]),
                        "\": must be PUBLIC, MARGIN_ENGINE, KEEPER, AUDITOR or OPERATOR");
  }
  if (!ParseDigest(std::string_view(f[2].data(), f[2].size()), &entry->digest)) {
    return absl::StrCat("the digest must be 64 hex digits, the SHA-256 of the token (",
                        "`printf %s TOKEN | sha256sum`), not the token itself");
  }
  entry->name = std::string(name);
  return std::nullopt;
}

// Across lines: a digest once; a name always with the same role.
std::optional<std::string> CheckAgainst(const std::vector<TokenEntry>& before,
                                        const TokenEntry& e) {
  for (const TokenEntry& b : before) {
    if (b.digest == e.digest) return absl::StrCat("the same token as \"", b.name, "\"");
    if (b.name == e.name && b.role != e.role) {
      return absl::StrCat("\"", e.name, "\" already has role ", Av(RoleName(b.role)));
    }
  }
  return std::nullopt;
}

}  // namespace

std::array<uint8_t, 32> TokenDigest(std::string_view token) noexcept {
  std::array<uint8_t, 32> out{};
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

std::string TokenDigestHex(std::string_view token) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (uint8_t b : TokenDigest(token)) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

absl::StatusOr<std::vector<TokenEntry>> ParseTokenFile(std::string_view text,
                                                       std::string_view source) {
  std::vector<TokenEntry> entries;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    TokenEntry e;
    std::optional<std::string> problem = ParseLine(std::string_view(line.data(), line.size()), &e);
    if (!problem) problem = CheckAgainst(entries, e);
    if (problem) {
      return absl::InvalidArgumentError(
          absl::StrCat("token file ", absl::string_view(source.data(), source.size()), ":", line_no,
                       ": ", *problem));
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace oracle::auth
