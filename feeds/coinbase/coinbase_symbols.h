// Coinbase's symbol dialect: the configured venue symbol is the product id ("BTC-USD"), spelled the
// same on the Exchange feed, the Advanced Trade feed and both REST APIs.
#ifndef ORACLE_FEEDS_COINBASE_COINBASE_SYMBOLS_H_
#define ORACLE_FEEDS_COINBASE_COINBASE_SYMBOLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace oracle::feeds {

// True for a product id of the form BASE-QUOTE (upper-case letters and digits on both sides).
bool IsCoinbaseProductId(std::string_view product_id) noexcept;

// Exchange feed subscribe message, one message for all products and channels:
// {"type":"subscribe","product_ids":["BTC-USD"],"channels":["matches","ticker","heartbeat"]}.
std::string CoinbaseExchangeSubscribeMessage(const std::vector<std::string>& product_ids,
                                             const std::vector<std::string>& channels);

// Advanced Trade subscribe message: one channel per message ("channel" is singular there).
// {"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"}.
std::string CoinbaseAdvancedSubscribeMessage(const std::vector<std::string>& product_ids,
                                             std::string_view channel);

// Advanced Trade public level-1 book (no authentication; one product per request):
// https://api.coinbase.com/api/v3/brokerage/market/product_book?product_id=BTC-USD&limit=1
std::string CoinbaseProductBookUrl(std::string_view product_id);

// Exchange REST ticker (one product per request; its body does not name the product):
// https://api.exchange.coinbase.com/products/BTC-USD/ticker
std::string CoinbaseExchangeTickerUrl(std::string_view product_id);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COINBASE_COINBASE_SYMBOLS_H_
