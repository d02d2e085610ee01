#include "feeds/kraken/kraken_symbols.h"

#include <array>
#include <cctype>

namespace oracle::feeds {
namespace {

// v2 asset code -> the code v1 and REST altnames use, where they differ.
struct AssetAlias {
  std::string_view v2, legacy;
};
constexpr std::array<AssetAlias, 2> kAssetAliases = {{{"BTC", "XBT"}, {"DOGE", "XDG"}}};

// Kraken's four-letter legacy asset codes in REST pair names, and the code they stand for.
struct LegacyAsset {
  std::string_view rest, code;
};
constexpr std::array<LegacyAsset, 21> kLegacyAssets = {{
    {"XXBT", "XBT"}, {"XXDG", "XDG"}, {"XETH", "ETH"}, {"XLTC", "LTC"}, {"XXRP", "XRP"},
    {"XXLM", "XLM"}, {"XXMR", "XMR"}, {"XETC", "ETC"}, {"XZEC", "ZEC"}, {"XREP", "REP"},
    {"XMLN", "MLN"}, {"XICN", "ICN"}, {"XNMC", "NMC"}, {"XXVN", "XVN"}, {"ZUSD", "USD"},
    {"ZEUR", "EUR"}, {"ZGBP", "GBP"}, {"ZCAD", "CAD"}, {"ZJPY", "JPY"}, {"ZAUD", "AUD"},
    {"ZCHF", "CHF"},
}};

// Quote currencies of REST pair names, longest first so "USDT" wins over "USD".
constexpr std::array<std::string_view, 23> kRestQuotes = {
    "ZUSD",  "ZEUR", "ZGBP", "ZCAD", "ZJPY",  "ZAUD", "XXBT", "XETH",
    "PYUSD", "USDT", "USDC", "USDG", "RLUSD", "USD",  "EUR",  "GBP",
    "CAD",   "JPY",  "AUD",  "CHF",  "XBT",   "ETH",  "DAI"};

std::string_view LegacyToV2(std::string_view code) {
  for (const auto& a : kAssetAliases) {
    if (code == a.legacy) return a.v2;
  }
  return code;
}

std::string_view V2ToLegacy(std::string_view code) {
  for (const auto& a : kAssetAliases) {
    if (code == a.v2) return a.legacy;
  }
  return code;
}

std::string_view RestAssetToV2(std::string_view rest) {
  for (const auto& a : kLegacyAssets) {
    if (rest == a.rest) return LegacyToV2(a.code);
  }
  return LegacyToV2(rest);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Whether `key` starts (or, with at_end, ends) with `prefix` + `code`, case-insensitively.
bool HasPart(std::string_view key, std::string_view prefix, std::string_view code, bool at_end) {
  const size_t n = prefix.size() + code.size();
  if (key.size() < n) return false;
  std::string_view part = at_end ? key.substr(key.size() - n) : key.substr(0, n);
  return EqualsIgnoreCase(part.substr(0, prefix.size()), prefix) &&
         EqualsIgnoreCase(part.substr(prefix.size()), code);
}

}  // namespace

std::string KrakenSubscribeMessage(std::string_view channel,
                                   const std::vector<std::string>& symbols,
                                   std::string_view options_json, uint64_t req_id) {
  std::string m = "{\"method\":\"subscribe\",\"params\":{\"channel\":\"";
  m.append(channel);
  m += "\",\"symbol\":[";
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0) m.push_back(',');
    m += "\"" + symbols[i] + "\"";
  }
  m += "]";
  if (!options_json.empty()) {
    m.push_back(',');
    m.append(options_json);
  }
  m += "},\"req_id\":" + std::to_string(req_id) + "}";
  return m;
}

std::string KrakenPingMessage(uint64_t req_id) {
  return "{\"method\":\"ping\",\"req_id\":" + std::to_string(req_id) + "}";
}

bool KrakenV1ToV2Symbol(std::string_view v1, std::string* v2) {
  const size_t slash = v1.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view base = v1.substr(0, slash), quote = v1.substr(slash + 1);
  const std::string_view new_base = LegacyToV2(base), new_quote = LegacyToV2(quote);
  if (new_base == base && new_quote == quote) return false;
  v2->assign(new_base);
  v2->push_back('/');
  v2->append(new_quote);
  return true;
}

std::string KrakenRestPairParam(const std::vector<std::string>& symbols) {
  std::string param;
  for (const std::string& s : symbols) {
    const size_t slash = s.find('/');
    if (slash == std::string::npos) continue;
    if (!param.empty()) param.push_back(',');
    std::string pair = std::string(V2ToLegacy(std::string_view(s).substr(0, slash))) +
                       std::string(V2ToLegacy(std::string_view(s).substr(slash + 1)));
    for (char& c : pair) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    param += pair;
  }
  return param;
}

bool KrakenRestKeyMatchesSymbol(std::string_view rest_key, std::string_view symbol) noexcept {
  const size_t slash = symbol.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view base = symbol.substr(0, slash), quote = symbol.substr(slash + 1);
  const std::string_view prefixes[] = {"", "X", "Z"};
  for (std::string_view b : {base, V2ToLegacy(base)}) {
    for (std::string_view bp : prefixes) {
      if (!HasPart(rest_key, bp, b, false)) continue;
      const std::string_view rest = rest_key.substr(bp.size() + b.size());
      for (std::string_view q : {quote, V2ToLegacy(quote)}) {
        for (std::string_view qp : prefixes) {
          if (rest.size() == qp.size() + q.size() && HasPart(rest, qp, q, true)) return true;
        }
      }
    }
  }
  return false;
}

bool KrakenRestKeyToSymbol(std::string_view rest_key, std::string* symbol) {
  for (std::string_view quote : kRestQuotes) {
    if (rest_key.size() <= quote.size() ||
        rest_key.substr(rest_key.size() - quote.size()) != quote) {
      continue;
    }
    const std::string_view base = rest_key.substr(0, rest_key.size() - quote.size());
    // A legacy X/Z-prefixed quote goes with a base asset name of four or more letters (XXBTZUSD,
    // USDTZUSD); pairs listed later use plain codes (XTZUSD is XTZ + USD, not XT + ZUSD).
    if (quote.size() == 4 && (quote[0] == 'X' || quote[0] == 'Z') && base.size() < 4) continue;
    symbol->assign(RestAssetToV2(base));
    symbol->push_back('/');
    symbol->append(RestAssetToV2(quote));
    return true;
  }
  return false;
}

}  // namespace oracle::feeds
