#include "oracle/config/config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace oracle {
namespace {

constexpr char kMinimal[] = R"pb(
  venues { name: "a" }
  venues { name: "b" }
  instruments {
    name: "USDT-USD"
    sources { venue: "a" pair: "USDT-USD" }
  }
  instruments {
    name: "BTC-USD"
    sources { venue: "a" pair: "BTC-USD" venue_symbol: "BTC/USD" weight: 2 }
    sources { venue: "b" pair: "BTC-USDT" venue_symbol: "BTCUSDT" convert_via: "USDT-USD" }
  }
)pb";

std::string ErrorOf(const std::string& text) {
  auto c = ParseConfigText(text, "test.textproto");
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : std::string(c.status().message());
}

TEST(Config, MinimalConfigGetsDefaultsAndDerivedTables) {
  auto c = ParseConfigText(kMinimal, "test");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen_address, "127.0.0.1:50051");
  EXPECT_EQ(c->publish_interval_ns, 100 * kNanosPerMilli);
  const InstrumentSpec& btc = c->instruments[1];
  EXPECT_EQ(btc.base, "BTC");
  EXPECT_EQ(btc.quote, "USD");
  EXPECT_EQ(btc.price_exponent, -8);
  EXPECT_EQ(btc.methodology.twap_window_ns, 30 * kNanosPerSecond);
  EXPECT_EQ(btc.methodology.min_venues, 3u);
  EXPECT_EQ(btc.sources[1].convert_instrument, 0);
  EXPECT_EQ(btc.sources[0].weight, 2u);
  EXPECT_EQ(btc.sources[1].weight, 1u);  // unset weight means 1
  // USDT-USD is evaluated before BTC-USD, which converts through it.
  EXPECT_EQ(c->evaluation_order, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(c->feeds.size(), 3u);
  EXPECT_GE(c->FindFeed("b", "BTC-USDT"), 0);
  EXPECT_EQ(c->FindFeed("b", "BTC-USD"), -1);
}

TEST(Config, InstrumentOverridesDefaults) {
  auto c = ParseConfigText(std::string(kMinimal) + R"pb(
                             defaults { twap_window_ms: 10000 min_venues: 2 }
                             instruments {
                               name: "ETH-USD"
                               price_exponent: -4
                               methodology { min_venues: 1 outlier_threshold_bps: 100 }
                               sources { venue: "a" pair: "ETH-USD" }
                             })pb",
                           "test");
  ASSERT_TRUE(c.ok()) << c.status();
  const auto& eth = c->instruments[2];
  EXPECT_EQ(eth.price_exponent, -4);
  EXPECT_EQ(eth.methodology.min_venues, 1u);
  EXPECT_EQ(eth.methodology.outlier_threshold_bps, 100u);
  EXPECT_EQ(eth.methodology.twap_window_ns, 10 * kNanosPerSecond);  // from defaults
  EXPECT_EQ(c->instruments[0].methodology.min_venues, 2u);
}

TEST(Config, ListsEveryErrorWithFieldPathValueAndReason) {
  std::string err = ErrorOf(R"pb(
    server { listen_address: "nowhere" }
    defaults { twap_window_ms: 30000 twap_bucket_ms: 7000 weight_cap_bps: 0 }
    venues { name: "Binance" }
    venues { name: "a" }
    venues { name: "a" }
    instruments {
      name: "btc-usd"
      sources { venue: "a" pair: "BTC-USD" }
    }
    instruments {
      name: "ETH-USD"
      sources { venue: "zz" pair: "ETH-USD" }
      sources { venue: "a" pair: "ETH-USDT" }
      sources { venue: "a" pair: "ETH-USD" weight: 500 }
    }
  )pb");
  EXPECT_NE(err.find("test.textproto"), std::string::npos) << err;
  for (const char* expected : {
           "server.listen_address: \"nowhere\": must be host:port",
           "defaults.weight_cap_bps: 0: must be between 1 and 10000",
           "defaults.twap_bucket_ms: 7000: must divide twap_window_ms (30000)",
           "venues[0].name: \"Binance\": must be 1..32 characters of lower-case",
           "venues[2].name: \"a\": duplicate venue name",
           "instruments[0].name: \"btc-usd\": must be BASE-QUOTE",
           "instruments[1].sources[0].venue: \"zz\": not listed in venues",
           "instruments[1].sources[1].pair: \"ETH-USDT\": quote USDT differs from the "
           "instrument's quote USD: set convert_via to an instrument USDT-USD",
           "instruments[1].sources[2].weight: 500: must be between 1 and 100",
       }) {
    EXPECT_NE(err.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << err;
  }
}

TEST(Config, RejectsBadConversionsAndCycles) {
  std::string err = ErrorOf(R"pb(
    venues { name: "a" }
    instruments {
      name: "USDT-USD"
      sources { venue: "a" pair: "USDT-USDC" convert_via: "USDC-USD" }
    }
    instruments {
      name: "USDC-USD"
      sources { venue: "a" pair: "USDC-USDT" convert_via: "USDT-USD" }
    }
  )pb");
  EXPECT_NE(err.find("form a cycle"), std::string::npos) << err;
  err = ErrorOf(R"pb(
    venues { name: "a" }
    instruments {
      name: "BTC-USD"
      sources { venue: "a" pair: "BTC-USDT" convert_via: "ETH-USD" }
    }
    instruments {
      name: "ETH-USD"
      sources { venue: "a" pair: "ETH-USD" }
    }
  )pb");
  EXPECT_NE(err.find("instruments[0].sources[0].convert_via: \"ETH-USD\": must be USDT-USD"),
            std::string::npos)
      << err;
  err = ErrorOf(R"pb(
    venues { name: "a" }
    instruments {
      name: "BTC-USD"
      sources { venue: "a" pair: "ETH-USD" }
    }
  )pb");
  EXPECT_NE(err.find("base must be the instrument's base BTC"), std::string::npos) << err;
}

TEST(Config, RedemptionInstrumentsAreChecked) {
  auto ok = ParseConfigText(R"pb(
                              venues { name: "a" }
                              instruments {
                                name: "ETH-USD"
                                sources { venue: "a" pair: "ETH-USD" }
                              }
                              instruments {
                                name: "WBETH-USD"
                                redemption { underlying: "ETH-USD" ratio_pair: "WBETH-ETH" }
                              }
                            )pb",
                            "t");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_TRUE(ok->instruments[1].redemption_priced);
  EXPECT_EQ(ok->rate_pairs, (std::vector<std::string>{"WBETH-ETH"}));
  std::string err = ErrorOf(R"pb(
    venues { name: "a" }
    instruments {
      name: "WBETH-USD"
      redemption { underlying: "SOL-USD" ratio_pair: "WBETH-SOL" }
    }
  )pb");
  EXPECT_NE(err.find("instruments[0].redemption.underlying: \"SOL-USD\": no instrument"),
            std::string::npos)
      << err;
}

TEST(Config, HistoryAndSigningAreChecked) {
  auto ok =
      ParseConfigText(std::string(kMinimal) + R"pb(
                        history {
                          data_dir: "/var/lib/oracle"
                          sync: false
                          overflow: "BLOCK"
                          checkpoint_interval_ms: 5000
                          events_retention_s: 3600
                          checkpoints_retention_s: 7200
                          marks_retention_s: 0
                        }
                        signing { key_file: "/etc/oracle/k.pem" publisher_id: "oracle-eu-1.prod_a" }
                      )pb",
                      "t");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->history.data_dir, "/var/lib/oracle");
  EXPECT_FALSE(ok->history.sync);
  EXPECT_TRUE(ok->history.block_when_full);
  EXPECT_EQ(ok->history.checkpoint_interval_ns, 5 * kNanosPerSecond);
  EXPECT_EQ(ok->history.events_retention_ns, 3600 * kNanosPerSecond);
  EXPECT_EQ(ok->history.marks_retention_ns, 0);  // kept forever
  EXPECT_EQ(ok->signing.key_file, "/etc/oracle/k.pem");
  EXPECT_EQ(ok->signing.publisher_id, "oracle-eu-1.prod_a");
  // The fingerprint ignores where and how history is kept, not the methodology.
  auto plain = ParseConfigText(kMinimal, "t");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(ok->fingerprint, plain->fingerprint);
  EXPECT_EQ(ok->fingerprint.size(), 16u);
  auto other = ParseConfigText(std::string(kMinimal) + "defaults { twap_window_ms: 60000 }", "t");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->fingerprint, plain->fingerprint);

  std::string err = ErrorOf(std::string(kMinimal) + R"pb(
    history {
      data_dir: "/d"
      overflow: "WAIT"
      ring_bytes: 10
      checkpoint_interval_ms: 1
      events_retention_s: 30
      checkpoints_retention_s: 100000000000
    }
    signing { generate_if_missing: true }
  )pb");
  for (const char* want :
       {"history.overflow: \"WAIT\": must be DROP or BLOCK", "history.ring_bytes: 10: must be",
        "history.checkpoint_interval_ms: 1: must be", "history.events_retention_s: 30: must be 0",
        "history.checkpoints_retention_s: 100000000000: must be at most 100 years",
        "signing.generate_if_missing: true: needs signing.key_file"}) {
    EXPECT_NE(err.find(want), std::string::npos) << want << "\n" << err;
  }
  for (const std::string& bad : {std::string("eu 1"), std::string("a=b"), std::string(65, 'x')}) {
    err = ErrorOf(std::string(kMinimal) + "signing { key_file: \"k.pem\" publisher_id: \"" + bad +
                  "\" }");
    EXPECT_NE(err.find("signing.publisher_id: \"" + bad +
                       "\": must be 1..64 characters of letters, digits, '.', '-' or '_'"),
              std::string::npos)
        << err;
  }
  err = ErrorOf(std::string(kMinimal) + R"pb(
    history { data_dir: "/d" events_retention_s: 86400 checkpoints_retention_s: 3600 }
  )pb");
  EXPECT_NE(err.find("history.checkpoints_retention_s: 3600: must be at least events_retention_s"),
            std::string::npos)
      << err;
}

TEST(Config, RateProviderEndpointsMustBeHttpsUnlessTheProviderAllowsHttp) {
  std::string err = ErrorOf(std::string(kMinimal) + R"pb(
    rate_providers {
      name: "r"
      pair: "WBETH-ETH"
      constant: "1"
      endpoints: "https://rpc.example.org"
      endpoints: "http://127.0.0.1:8545"
    }
  )pb");
  EXPECT_NE(err.find("rate_providers[0].endpoints[1]: \"http://127.0.0.1:8545\": plain http://"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("allow_insecure_http: true"), std::string::npos) << err;
  EXPECT_EQ(err.find("endpoints[0]"), std::string::npos) << err;
  // The same endpoint with the provider's consent: no endpoint error (the pair error stays: the
  // minimal config prices nothing by redemption).
  std::string allowed = ErrorOf(std::string(kMinimal) + R"pb(
    rate_providers {
      name: "r"
      pair: "WBETH-ETH"
      constant: "1"
      endpoints: "http://127.0.0.1:8545"
      allow_insecure_http: true
    }
  )pb");
  EXPECT_EQ(allowed.find("endpoints"), std::string::npos) << allowed;
}

TEST(Config, RateProviderEndpointsMustBeCleanUrls) {
  std::string err = ErrorOf(std::string(kMinimal) + R"pb(
    rate_providers {
      name: "r"
      pair: "WBETH-ETH"
      constant: "1"
      endpoints: "ftp://x"
      endpoints: "http://127.0.0.1:1 "
      allow_insecure_http: true
    }
  )pb");
  EXPECT_NE(err.find("rate_providers[0].endpoints[0]: \"ftp://x\": must start with https://"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("rate_providers[0].endpoints[1]: \"http://127.0.0.1:1 \": must not contain "
                     "spaces or control characters"),
            std::string::npos)
      << err;
}

TEST(Config, SyntaxErrorsNameTheLineAndColumn) {
  std::string err = ErrorOf("venues { name: \"a\" }\ninstruments { nmae: \"X-Y\" }\n");
  EXPECT_NE(err.find("line 2, column"), std::string::npos) << err;
  EXPECT_NE(err.find("nmae"), std::string::npos) << err;
  err = ErrorOf("core { publish_interval_ms: -5 }");
  EXPECT_NE(err.find("line 1"), std::string::npos) << err;
}

TEST(Config, MissingFileIsAClearError) {
  auto c = LoadConfigFile("/nonexistent/oracle.textproto");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(std::string(c.status().message()).find("/nonexistent/oracle.textproto"),
            std::string::npos);
}

TEST(Config, DefaultConfigurationCoversTheRequiredInstrumentsAndVenues) {
  auto c = LoadDefaultConfig();
  ASSERT_TRUE(c.ok()) << c.status();
  for (const char* name : {"BTC-USD", "ETH-USD", "SOL-USD", "USDT-USD", "USDC-USD", "USDE-USD",
                           "WBETH-USD", "BNSOL-USD"}) {
    EXPECT_GE(c->FindInstrument(name), 0) << name;
  }
  for (const char* venue : {"binance", "coinbase", "okx", "bybit", "kraken"}) {
    EXPECT_GE(c->FindVenue(venue), 0) << venue;
  }
  EXPECT_TRUE(c->instruments[c->FindInstrument("WBETH-USD")].redemption_priced);
  EXPECT_TRUE(c->instruments[c->FindInstrument("BNSOL-USD")].redemption_priced);
  // Every market instrument has at least min_venues sources, or it could never be OK.
  for (const auto& i : c->instruments) {
    if (!i.redemption_priced) {
      EXPECT_GE(i.sources.size(), i.methodology.min_venues) << i.name;
    }
  }
  // The built-in text is the file in feeds/.
  std::ifstream f(std::string(ORACLE_SOURCE_DIR) + "/feeds/default.textproto");
  std::string file((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(file, std::string(DefaultConfigText()));
}

}  // namespace
}  // namespace oracle
