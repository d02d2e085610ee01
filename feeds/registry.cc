#include "feeds/registry.h"

#include "feeds/binance/binance_adapter.h"
#include "feeds/bitfinex/bitfinex_adapter.h"
#include "feeds/bitget/bitget_adapter.h"
#include "feeds/bitstamp/bitstamp_adapter.h"
#include "feeds/bybit/bybit_adapter.h"
#include "feeds/coinbase/coinbase_adapter.h"
#include "feeds/gate/gate_adapter.h"
#include "feeds/htx/htx_adapter.h"
#include "feeds/hyperliquid/hyperliquid_adapter.h"
#include "feeds/kraken/kraken_adapter.h"
#include "feeds/kucoin/kucoin_adapter.h"
#include "feeds/okx/okx_adapter.h"

namespace oracle::feeds {

const std::vector<VenueRegistration>& VenueRegistry() {
  static const std::vector<VenueRegistration> kRegistry = {
      {"binance", "spot trade + bookTicker, REST bookTicker", &MakeBinanceSpotProtocol},
      {"binance-usdm", "USD-M futures markPrice@1s, REST premiumIndex", &MakeBinanceUsdmProtocol},
      {"coinbase", "Exchange matches + ticker + heartbeat, REST product_book",
       &MakeCoinbaseProtocol},
      {"kraken", "WS v2 trade + ticker (bbo), REST Ticker", &MakeKrakenProtocol},
      {"okx", "v5 spot trades + bbo-tbt, REST market/ticker", &MakeOkxProtocol},
      {"bybit", "v5 spot publicTrade + orderbook.1, REST v5 tickers", &MakeBybitProtocol},
      {"bitstamp", "live_trades + order_book (top level), REST ticker", &MakeBitstampProtocol},
      {"gate", "spot v4 trades + book_ticker, REST spot/tickers", &MakeGateProtocol},
      {"kucoin", "bullet-public token, match + ticker, REST market/stats", &MakeKucoinProtocol},
      {"htx", "spot trade.detail + bbo (gzip, ping->pong), REST detail/merged", &MakeHtxProtocol},
      {"bitfinex", "WS v2 trades (te) + ticker, REST v2 tickers", &MakeBitfinexProtocol},
      {"bitget", "v2 spot trade + books1, REST v2 spot tickers", &MakeBitgetProtocol},
      {"hyperliquid", "perp trades + bbo, no REST (info is POST-only)", &MakeHyperliquidProtocol},
  };
  return kRegistry;
}

std::unique_ptr<VenueProtocol> MakeVenueProtocol(std::string_view venue_name) {
  for (const auto& r : VenueRegistry()) {
    if (r.name == venue_name) return r.make();
  }
  return nullptr;
}

}  // namespace oracle::feeds
