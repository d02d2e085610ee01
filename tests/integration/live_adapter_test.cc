// The live adapter against a scripted venue on loopback TLS: it streams, recovers from drops,
// stalls, silence, garbage and oversized frames, switches connections without a gap, falls back to
// REST, and a misbehaving venue never stops marks from the others.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "feeds/binance/binance_adapter.h"
#include "feeds/bitfinex/bitfinex_adapter.h"
#include "feeds/common/capture_replay.h"
#include "feeds/common/ws_source.h"
#include "integration/fake_venue.h"
#include "oracle/aggregation/core_runner.h"
#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/config/config.h"
#include "oracle/core/clock.h"
#include "oracle/core/log.h"

namespace oracle::feeds {
namespace {

using oracle::testing::FakeVenue;
using oracle::testing::TestCertificate;
using oracle::testing::VenueSession;

constexpr char kConfig[] = R"pb(
  core { publish_interval_ms: 100 }
  defaults { min_venues: 1 twap_window_ms: 1000 twap_bucket_ms: 100 jump_lookback_ms: 1000 }
  venues { name: "binance" }
  venues { name: "binance-usdm" }
  instruments {
    name: "BTC-USDT"
    sources { venue: "binance" pair: "BTC-USDT" venue_symbol: "BTCUSDT" }
    sources { venue: "binance-usdm" pair: "BTC-USDT" venue_symbol: "BTCUSDT" }
  }
)pb";

std::string TradeFrame(int n) {
  const long long now_ms = WallClockNow() / kNanosPerMilli;
  return "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":" + std::to_string(now_ms) +
         ",\"s\":\"BTCUSDT\",\"t\":" + std::to_string(n) + ",\"p\":\"65000." +
         std::to_string(10 + n % 80) + "\",\"q\":\"0.5\",\"T\":" + std::to_string(now_ms) +
         ",\"m\":true,\"M\":true}}";
}

std::string MarkFrame(const char* price) {
  const long long now_ms = WallClockNow() / kNanosPerMilli;
  return "{\"stream\":\"btcusdt@markPrice@1s\",\"data\":{\"e\":\"markPriceUpdate\",\"E\":" +
         std::to_string(now_ms) + ",\"s\":\"BTCUSDT\",\"p\":\"" + price +
         "\",\"r\":\"0.0001\",\"T\":0}}";
}

// Reads the subscription (unless the script already has), then sends a trade every `period_ms`
// until stopped or dropped.
void Stream(VenueSession& s, int period_ms, int first = 0, bool read_subscription = true) {
  std::string sub;
  if (read_subscription) s.Read(&sub, 3000);
  for (int n = first; !s.Stopping(); ++n) {
    if (!s.Send(TradeFrame(n))) return;
    s.SleepMs(period_ms);
  }
}

bool WaitFor(const std::function<bool()>& cond, int timeout_ms = 15000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

class LiveAdapterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/live_" + std::to_string(getpid()));
    std::system(("mkdir -p " + *dir_).c_str());
    cert_ = new TestCertificate(oracle::testing::MakeTestCertificate(*dir_));
  }
  static void TearDownTestSuite() {
    delete cert_;
    delete dir_;
  }

  void SetUp() override {
    auto c = ParseConfigText(kConfig, "<test>");
    ASSERT_TRUE(c.ok()) << c.status();
    config_ = *c;
  }

  LiveOptions Options(const FakeVenue& venue) {
    LiveOptions o;
    o.ws_endpoint_override = venue.ws_endpoint();
    o.rest_endpoint_override = venue.https_endpoint();
    o.tls_ca_file = cert_->cert_pem_path;
    o.rest_snapshot = false;
    o.rest_fallback = false;
    o.backoff_initial = 20 * kNanosPerMilli;
    o.backoff_max = 200 * kNanosPerMilli;
    o.connect_timeout = 2 * kNanosPerSecond;
    return o;
  }

  std::unique_ptr<WebSocketVenueSource> Start(LiveOptions o, bool usdm = false) {
    ring_ = std::make_unique<SpscRing<Event>>(1 << 16);
    const uint32_t venue =
        static_cast<uint32_t>(config_.FindVenue(usdm ? "binance-usdm" : "binance"));
    auto src = std::make_unique<WebSocketVenueSource>(
        config_, venue, usdm ? &MakeBinanceUsdmProtocol : &MakeBinanceSpotProtocol, std::move(o));
    EXPECT_TRUE(src->Start(ring_.get()).ok());
    return src;
  }

  // Drains the ring into events_ (the test thread is the ring's consumer).
  size_t Drain() {
    Event e;
    while (ring_->TryPop(&e)) {
      events_.push_back(e);
      arrival_.push_back(WallClockNow());
    }
    return events_.size();
  }
  bool WaitForEvents(size_t n, int timeout_ms = 15000) {
    return WaitFor([&] { return Drain() >= n; }, timeout_ms);
  }

  static inline std::string* dir_ = nullptr;
  static inline TestCertificate* cert_ = nullptr;
  Config config_;
  std::unique_ptr<SpscRing<Event>> ring_;
  std::vector<Event> events_;
  std::vector<TimeNs> arrival_;
};

TEST_F(LiveAdapterTest, SubscribesAndStreamsTradesAndQuotes) {
  FakeVenue venue(*cert_, [](VenueSession& s, int) {
    std::string sub;
    s.Read(&sub, 3000);
    s.Send(TradeFrame(1));
    s.Send(
        R"({"stream":"btcusdt@bookTicker","data":{"u":400900217,"s":"BTCUSDT","b":"64999.50","B":"1","a":"65000.50","A":"2"}})");
    s.Send(R"({"result":null,"id":1})");
    s.Send(
        R"({"stream":"ethusdt@trade","data":{"e":"trade","E":1,"s":"ETHUSDT","t":1,"p":"1","q":"1","T":1}})");
    while (!s.Stopping()) s.SleepMs(20);
  });
  auto src = Start(Options(venue));
  ASSERT_TRUE(WaitForEvents(2));
  const uint32_t feed = static_cast<uint32_t>(config_.FindFeed("binance", "BTC-USDT"));
  EXPECT_EQ(events_[0].type, EventType::kTrade);
  EXPECT_EQ(events_[0].id, feed);
  EXPECT_EQ(events_[0].A(), (Decimal{6500011, -2}));
  EXPECT_EQ(events_[1].type, EventType::kQuote);
  EXPECT_EQ(events_[1].A(), (Decimal{649995, -1}));
  ASSERT_TRUE(WaitFor([&] { return src->Stats().acks == 1 && src->Stats().unknown_symbols == 1; }));
  ASSERT_FALSE(venue.received().empty());
  EXPECT_EQ(venue.received()[0],
            R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@bookTicker"],"id":1})");
  EXPECT_TRUE(src->Stats().connected);
  std::vector<VenueLinkHealth> health(config_.venues.size());
  src->AddHealth(&health);
  EXPECT_TRUE(health[0].connected);
  EXPECT_TRUE(health[0].live);
  src->Stop();
}

TEST_F(LiveAdapterTest, CountsMissedTradesFromSequentialTradeIds) {
  FakeVenue venue(*cert_, [](VenueSession& s, int) {
    std::string sub;
    s.Read(&sub, 3000);
    for (int id : {100, 101, 102, 106, 107, 107, 108, 110}) s.Send(TradeFrame(id));  // 3 + 1 missed
    while (!s.Stopping()) s.SleepMs(20);
  });
  auto src = Start(Options(venue));
  ASSERT_TRUE(WaitForEvents(8));
  EXPECT_EQ(src->Stats().sequence_gaps, 4u);
  std::vector<VenueLinkHealth> health(config_.venues.size());
  src->AddHealth(&health);
  EXPECT_EQ(health[0].sequence_gaps, 4u);
  src->Stop();
}

TEST_F(LiveAdapterTest, ReconnectsAndResubscribesAfterADrop) {
  FakeVenue venue(*cert_, [](VenueSession& s, int index) {
    std::string sub;
    s.Read(&sub, 3000);
    if (index == 0) {
      s.Send(TradeFrame(1));
      s.Send(TradeFrame(2));
      s.SleepMs(50);
      s.Drop();
      return;
    }
    Stream(s, 50, 100, /*read_subscription=*/false);
  });
  auto src = Start(Options(venue));
  ASSERT_TRUE(WaitForEvents(6));
  EXPECT_GE(venue.connections(), 2);
  EXPECT_GE(src->Stats().disconnects, 1u);
  // Every connection subscribed again.
  int subs = 0;
  for (const auto& m : venue.received()) subs += m.find("SUBSCRIBE") != std::string::npos;
  EXPECT_GE(subs, 2);
  src->Stop();
}

TEST_F(LiveAdapterTest, ReplacesAStalledConnectionAndOneThatSendsNothing) {
  FakeVenue venue(*cert_, [](VenueSession& s, int index) {
    std::string sub;
    s.Read(&sub, 3000);
    if (index == 0) {  // two frames, then a stall with the socket open
      s.Send(TradeFrame(1));
      s.Send(TradeFrame(2));
      while (!s.Stopping()) s.SleepMs(20);
      return;
    }
    if (index == 1) {  // nothing at all
      while (!s.Stopping()) s.SleepMs(20);
      return;
    }
    Stream(s, 50, 100, /*read_subscription=*/false);
  });
  LiveOptions o = Options(venue);
  o.silence_limit = 1500 * kNanosPerMilli;
  auto src = Start(std::move(o));
  ASSERT_TRUE(WaitForEvents(5, 20000)) << "last error: " << src->Stats().last_error;
  EXPECT_GE(venue.connections(), 3);
  EXPECT_NE(src->Stats().last_error.find("silent"), std::string::npos) << src->Stats().last_error;
  src->Stop();
}

// Receive times and silence are measured on LiveOptions::clock: a frame is stamped with the
// clock's time, and a quiet connection is replaced when the clock (not the wall) passes the limit.
TEST_F(LiveAdapterTest, ReceiveTimesAndSilenceFollowItsClock) {
  FakeVenue venue(*cert_, [](VenueSession& s, int index) {
    std::string sub;
    s.Read(&sub, 3000);
    if (index == 0) s.Send(TradeFrame(1));  // then quiet, the socket open
    while (!s.Stopping()) s.SleepMs(20);
  });
  ScopedLogCapture logs;
  const TimeNs t0 = WallClockNow();
  ManualClock clock(t0);
  LiveOptions o = Options(venue);
  o.silence_limit = 5 * kNanosPerSecond;
  o.clock = clock.AsClock();
  auto src = Start(std::move(o));
  ASSERT_TRUE(WaitForEvents(1));
  EXPECT_EQ(events_[0].recv_time, t0);
  // Two housekeeping ticks of the wall clock: the clock has not moved, so nothing is silent.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(src->Stats().disconnects, 0u);
  clock.Advance(6 * kNanosPerSecond);
  ASSERT_TRUE(WaitFor([&] { return src->Stats().connects >= 2; }, 5000))
      << "last error: " << src->Stats().last_error;
  EXPECT_EQ(src->Stats().disconnects, 1u);
  EXPECT_EQ(src->Stats().last_error, "silent connection replaced");
  src->Stop();
  bool logged = false;
  for (const ScopedLogCapture::Entry& e : logs.entries()) {
    if (e.message.rfind("live binance: no frame for ", 0) == 0) {
      EXPECT_EQ(e.level, LogLevel::kWarning);
      logged = true;
    }
  }
  EXPECT_TRUE(logged);
}

TEST_F(LiveAdapterTest, UnreadableFramesAreCountedThenQuarantinedUntilRecovery) {
  FakeVenue venue(*cert_, [](VenueSession& s, int) {
    std::string sub;
    s.Read(&sub, 3000);
    for (int i = 0; i < 40 && !s.Stopping(); ++i) {
      s.Send(i % 2 ? "garbage {{{"
                   : R"({"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","p":"x"}})");
      s.SleepMs(10);
    }
    Stream(s, 50, 100, /*read_subscription=*/false);
  });
  LiveOptions o = Options(venue);
  o.quarantine_window = 1 * kNanosPerSecond;
  o.quarantine_bad_frames = 20;
  auto src = Start(std::move(o));
  ASSERT_TRUE(WaitFor([&] { return src->Stats().unparseable >= 40; }));
  bool seen_quarantine = false;
  ASSERT_TRUE(WaitFor([&] {
    seen_quarantine |= src->Stats().quarantined;
    return seen_quarantine;
  }));
  std::vector<VenueLinkHealth> health(config_.venues.size());
  src->AddHealth(&health);
  EXPECT_GE(health[0].frames_rejected, 40u);
  EXPECT_NE(health[0].last_error.find("unreadable frame"), std::string::npos);
  // Clean frames for a whole window lift the quarantine, and data flows again.
  ASSERT_TRUE(WaitFor([&] { return !src->Stats().quarantined; }, 10000));
  EXPECT_GT(src->Stats().quarantined_ticks, 0u);
  const size_t before = Drain();
  ASSERT_TRUE(WaitForEvents(before + 5));
  src->Stop();
}

TEST_F(LiveAdapterTest, OversizedFrameIsCountedAndTheConnectionReplaced) {
  FakeVenue venue(*cert_, [](VenueSession& s, int index) {
    std::string sub;
    s.Read(&sub, 3000);
    if (index == 0) {
      s.Send(std::string(2 << 20, 'x'));  // 2 MiB, over the 1 MiB limit
      while (!s.Stopping()) s.SleepMs(20);
      return;
    }
    Stream(s, 50, 0, /*read_subscription=*/false);
  });
  auto src = Start(Options(venue));
  ASSERT_TRUE(WaitForEvents(3)) << src->Stats().last_error;
  EXPECT_EQ(src->Stats().oversized_frames, 1u);
  EXPECT_GE(venue.connections(), 2);
  src->Stop();
}

TEST_F(LiveAdapterTest, VenueErrorsAreCountedAndShown) {
  FakeVenue venue(*cert_, [](VenueSession& s, int) {
    std::string sub;
    s.Read(&sub, 3000);
    s.Send(R"({"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":1})");
    Stream(s, 50, 0, /*read_subscription=*/false);
  });
  auto src = Start(Options(venue));
  ASSERT_TRUE(WaitForEvents(2));
  ASSERT_TRUE(WaitFor([&] { return src->Stats().venue_errors == 1; }));
  std::vector<VenueLinkHealth> health(config_.venues.size());
  src->AddHealth(&health);
  EXPECT_EQ(health[0].venue_errors, 1u);
  src->Stop();
}

TEST_F(LiveAdapterTest, SwitchesConnectionsBeforeTheLifetimeLimitWithoutAGap) {
  FakeVenue venue(*cert_, [](VenueSession& s, int index) { Stream(s, 20, index * 1000); });
  LiveOptions o = Options(venue);
  o.connection_lifetime = 2 * kNanosPerSecond;
  o.lifetime_overlap = 1500 * kNanosPerMilli;  // replacement opens ~0.5 s after each connect
  auto src = Start(std::move(o));
  ASSERT_TRUE(WaitFor(
      [&] {
        Drain();
        return src->Stats().switchovers >= 2;
      },
      20000));
  ASSERT_TRUE(WaitForEvents(events_.size() + 20));
  EXPECT_GE(venue.connections(), 3);
  EXPECT_EQ(src->Stats().disconnects, 0u);  // planned switches, never a lost connection
  DurationNs worst_gap = 0;
  for (size_t i = 1; i < arrival_.size(); ++i)
    worst_gap = std::max(worst_gap, arrival_[i] - arrival_[i - 1]);
  EXPECT_LT(worst_gap, 500 * kNanosPerMilli) << "a gap in the data at a switchover";
  src->Stop();
}

TEST_F(LiveAdapterTest, AnnouncedShutdownOpensTheNextConnectionFirst) {
  FakeVenue venue(*cert_, [](VenueSession& s, int index) {
    std::string sub;
    s.Read(&sub, 3000);
    if (index == 0) {
      s.Send(TradeFrame(1));
      s.Send(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}})");
    }
    for (int n = 0; !s.Stopping(); ++n) {
      if (!s.Send(TradeFrame(index * 1000 + n))) return;
      s.SleepMs(20);
    }
  });
  auto src = Start(Options(venue));
  ASSERT_TRUE(WaitFor([&] { return src->Stats().switchovers >= 1; }));
  EXPECT_EQ(venue.connections(), 2);
  EXPECT_EQ(src->Stats().disconnects, 0u);
  src->Stop();
}

TEST_F(LiveAdapterTest, RestSnapshotAtStartAndPollingWhileTheSocketIsDown) {
  FakeVenue venue(
      *cert_, [](VenueSession& s, int) { s.Drop(); },
      [](const std::string& method, const std::string& target, const std::string&) -> std::string {
        if (method != "GET" || target.rfind("/api/v3/ticker/bookTicker?symbols=", 0) != 0) {
          return "!404";
        }
        return R"([{"symbol":"BTCUSDT","bidPrice":"64990.00000000","bidQty":"1","askPrice":"64991.00000000","askQty":"1"}])";
      });
  LiveOptions o = Options(venue);
  o.rest_snapshot = true;
  o.rest_fallback = true;
  o.rest_fallback_after = 500 * kNanosPerMilli;
  o.rest_poll_interval = 300 * kNanosPerMilli;
  auto src = Start(std::move(o));
  ASSERT_TRUE(WaitForEvents(3, 20000)) << src->Stats().last_error;
  EXPECT_EQ(events_[0].type, EventType::kQuote);
  EXPECT_EQ(events_[0].A(), (Decimal{6499, 1}));
  EXPECT_GE(venue.http_requests(), 3);
  EXPECT_GE(src->Stats().rest_polls, 3u);
  EXPECT_FALSE(src->Stats().connected);
  src->Stop();
}

TEST_F(LiveAdapterTest, CertificateNotTrustedMeansNoConnection) {
  FakeVenue venue(*cert_, [](VenueSession& s, int) { Stream(s, 50); });
  LiveOptions o = Options(venue);
  o.tls_ca_file.clear();  // the test CA is not in the system store
  auto src = Start(std::move(o));
  ASSERT_TRUE(WaitFor([&] { return src->Stats().last_error.find("TLS") != std::string::npos; }))
      << src->Stats().last_error;
  EXPECT_EQ(Drain(), 0u);
  EXPECT_EQ(venue.connections(), 0);
  src->Stop();
}

// A capture of a live session replays through the real parser into exactly the events the live
// adapter produced: same feeds, prices, sizes, venue times and receive times, REST reply included.
TEST_F(LiveAdapterTest, CaptureReplaysIntoTheSameEvents) {
  FakeVenue venue(
      *cert_,
      [](VenueSession& s, int) {
        std::string sub;
        s.Read(&sub, 3000);
        s.Send(R"({"result":null,"id":1})");
        for (int n = 0; n < 30 && !s.Stopping(); ++n) {
          s.Send(TradeFrame(n));
          s.Send(R"({"stream":"btcusdt@bookTicker","data":{"u":)" + std::to_string(n) +
                 R"(,"s":"BTCUSDT","b":"64999.5","B":"1","a":"65000.5","A":"2"}})");
          s.SendBinary("not text at all \x01\x02");  // a binary frame: captured as frame_b64
          s.SleepMs(10);
        }
        while (!s.Stopping()) s.SleepMs(20);
      },
      [](const std::string&, const std::string&, const std::string&) -> std::string {
        return R"({"symbol":"BTCUSDT","bidPrice":"64990.1","bidQty":"1","askPrice":"64991.2","askQty":"1"})";
      });
  const std::string path = *dir_ + "/capture.jsonl";
  std::remove(path.c_str());
  auto writer = CaptureWriter::Open(path);
  ASSERT_TRUE(writer.ok());
  LiveOptions o = Options(venue);
  o.rest_snapshot = true;
  o.capture = writer->get();
  auto src = Start(std::move(o));
  ASSERT_TRUE(WaitForEvents(61))
      << src->Stats().last_error;  // 1 REST quote + 30 trades + 30 quotes
  src->Stop();
  (*writer)->Flush();
  EXPECT_EQ((*writer)->write_errors(), 0u);

  CaptureDecoder decoder(config_);
  std::ifstream in(path);
  std::vector<Event> replayed;
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    ++lines;
    TimeNs t = 0;
    std::string error;
    ASSERT_EQ(decoder.Decode(line, &replayed, &t, &error), oracle::LineOutcome::kEvent)
        << error << "\n"
        << line;
  }
  EXPECT_GE(lines, 1 + 1 + 90);  // REST reply, ack, 30 x (trade, quote, binary)
  ASSERT_EQ(replayed.size(), events_.size());
  for (size_t i = 0; i < replayed.size(); ++i) {
    EXPECT_EQ(replayed[i].type, events_[i].type) << i;
    EXPECT_EQ(replayed[i].id, events_[i].id) << i;
    EXPECT_EQ(replayed[i].A(), events_[i].A()) << i;
    EXPECT_EQ(replayed[i].B(), events_[i].B()) << i;
    EXPECT_EQ(replayed[i].event_time, events_[i].event_time) << i;
    EXPECT_EQ(replayed[i].recv_time, events_[i].recv_time) << i;
  }
  EXPECT_NE(decoder.SummaryLines().find("unparseable 30"), std::string::npos)
      << decoder.SummaryLines();  // the binary frames: counted, not events
}

// Bitfinex numbers channels per connection. During a switchover two connections overlap, and the
// new one may reuse a channel id the old one still sends on: each connection has its own parser,
// so the old connection's BTC trades are never read as the new connection's ETH trades, live or
// in the replay of the capture.
TEST_F(LiveAdapterTest, OverlappingConnectionsNeverShareParserState) {
  auto c = ParseConfigText(R"pb(
                             core { publish_interval_ms: 100 }
                             defaults { min_venues: 1 }
                             venues { name: "bitfinex" }
                             instruments {
                               name: "BTC-USD"
                               sources { venue: "bitfinex" pair: "BTC-USD" venue_symbol: "tBTCUSD" }
                             }
                             instruments {
                               name: "ETH-USD"
                               sources { venue: "bitfinex" pair: "ETH-USD" venue_symbol: "tETHUSD" }
                             }
                           )pb",
                           "<test>");
  ASSERT_TRUE(c.ok()) << c.status();
  const Config config = *c;
  std::atomic<bool> new_connection_subscribed{false};
  auto trade = [](int id, const char* amount, const char* price) {
    return "[7,\"te\",[" + std::to_string(id) + "," +
           std::to_string(WallClockNow() / kNanosPerMilli) + "," + amount + "," + price + "]]";
  };
  FakeVenue venue(*cert_, [&](VenueSession& s, int index) {
    std::string sub;
    s.Read(&sub, 3000);
    s.Send(R"({"event":"info","version":2,"serverId":"x","platform":{"status":1}})");
    if (index == 0) {
      s.Send(R"({"event":"subscribed","channel":"trades","chanId":7,"symbol":"tBTCUSD"})");
      s.Send(trade(1, "0.5", "65000"));
      s.Send(R"({"event":"info","code":20051,"msg":"Stop/Restart Websocket Server"})");
      for (int n = 2; !s.Stopping(); ++n) {  // until the adapter stops reading this connection
        if (!s.Send(trade(n, "0.5", "65000"))) return;
        s.SleepMs(10);
      }
    } else {
      s.Send(R"({"event":"subscribed","channel":"trades","chanId":7,"symbol":"tETHUSD"})");
      new_connection_subscribed = true;
      s.SleepMs(200);  // the old connection keeps sending BTC trades on channel 7 meanwhile
      for (int n = 1; !s.Stopping(); ++n) {
        if (!s.Send(trade(1000 + n, "2", "3000"))) return;
        s.SleepMs(10);
      }
    }
  });
  const std::string path = *dir_ + "/overlap.jsonl";
  std::remove(path.c_str());
  auto writer = CaptureWriter::Open(path);
  ASSERT_TRUE(writer.ok());
  LiveOptions o = Options(venue);
  o.capture = writer->get();
  ring_ = std::make_unique<SpscRing<Event>>(1 << 16);
  WebSocketVenueSource src(config, 0, &MakeBitfinexProtocol, std::move(o));
  ASSERT_TRUE(src.Start(ring_.get()).ok());
  const uint32_t btc = static_cast<uint32_t>(config.FindFeed("bitfinex", "BTC-USD"));
  const uint32_t eth = static_cast<uint32_t>(config.FindFeed("bitfinex", "ETH-USD"));
  auto count = [&](uint32_t feed) {
    Drain();
    return std::count_if(events_.begin(), events_.end(),
                         [&](const Event& e) { return e.id == feed; });
  };
  ASSERT_TRUE(WaitFor([&] { return src.Stats().switchovers == 1 && count(eth) >= 5; }))
      << src.Stats().last_error;
  src.Stop();
  (*writer)->Flush();
  EXPECT_TRUE(new_connection_subscribed.load());
  EXPECT_EQ(venue.connections(), 2);
  Drain();
  EXPECT_GE(count(btc), 10);  // 200 ms of the old connection's trades after the new one subscribed
  for (const Event& e : events_) {
    EXPECT_EQ(FormatDecimal(e.A()), e.id == btc ? "65000" : "3000") << "feed " << e.id;
  }

  CaptureDecoder decoder(config);
  std::ifstream in(path);
  std::vector<Event> replayed;
  for (std::string line; std::getline(in, line);) {
    TimeNs t = 0;
    std::string error;
    ASSERT_EQ(decoder.Decode(line, &replayed, &t, &error), oracle::LineOutcome::kEvent) << error;
  }
  ASSERT_EQ(replayed.size(), events_.size());
  for (size_t i = 0; i < replayed.size(); ++i) {
    EXPECT_EQ(replayed[i].id, events_[i].id) << i;
    EXPECT_EQ(replayed[i].A(), events_[i].A()) << i;
    EXPECT_EQ(replayed[i].recv_time, events_[i].recv_time) << i;
  }
}

// End to end through the core: Binance spot misbehaves (drops, garbage) while the USD-M mark price
// venue is healthy: marks keep being published from the healthy venue.
TEST_F(LiveAdapterTest, AMisbehavingVenueNeverStopsMarksFromTheOthers) {
  FakeVenue bad(*cert_, [](VenueSession& s, int index) {
    std::string sub;
    s.Read(&sub, 3000);
    for (int i = 0; i < 5 && !s.Stopping(); ++i) s.Send("{not json");
    if (index % 2 == 0) s.Drop();
    while (!s.Stopping()) s.SleepMs(20);
  });
  FakeVenue good(*cert_, [](VenueSession& s, int) {
    std::string sub;
    s.Read(&sub, 3000);
    while (!s.Stopping()) {
      if (!s.Send(MarkFrame("65123.45"))) return;
      s.SleepMs(50);
    }
  });
  MarkTable table(config_.instruments.size());
  auto engine = Engine::Create(config_, &table, nullptr);
  ASSERT_TRUE(engine.ok());
  CoreRunner runner(engine->get(), CoreRunner::Options{});
  SpscRing<Event>* ring_bad = runner.AddProducer("binance", 4096, 0);
  SpscRing<Event>* ring_good = runner.AddProducer("binance-usdm", 4096, 1);
  LiveOptions ob = Options(bad);
  ob.silence_limit = 1 * kNanosPerSecond;
  WebSocketVenueSource src_bad(config_, 0, &MakeBinanceSpotProtocol, ob);
  WebSocketVenueSource src_good(config_, 1, &MakeBinanceUsdmProtocol, Options(good));
  runner.Start();
  ASSERT_TRUE(src_bad.Start(ring_bad).ok());
  ASSERT_TRUE(src_good.Start(ring_good).ok());
  Mark m;
  ASSERT_TRUE(WaitFor([&] { return table.Read(0, &m) && m.has_price && m.venues_used == 1; }));
  // For several seconds of the bad venue's churn, marks keep coming at the healthy price.
  const uint64_t first_seq = m.sequence;
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ASSERT_TRUE(table.Read(0, &m));
  EXPECT_GE(m.sequence, first_seq + 20);  // ~10 per second
  EXPECT_EQ(m.status, MarkStatus::kOk);
  EXPECT_EQ(m.price, 6512345000000);
  EXPECT_NE(m.sources[0].exclusion, Exclusion::kNone);  // binance spot: no data
  EXPECT_GE(src_bad.Stats().unparseable, 5u);
  src_bad.Stop();
  src_good.Stop();
  runner.Stop();
}

}  // namespace
}  // namespace oracle::feeds
