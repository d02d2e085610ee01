// A live venue: one WebSocket (TLS) connection at a time to the venue, driven by its
// VenueProtocol, producing Events into its own ring. One thread per venue, so a venue that is down,
// slow or sending garbage cannot affect another venue or the core.
//
// Behaviour:
//  - start-up: REST ticker snapshot (best bid/ask) so marks exist before the first frame;
//  - connect (bootstrap call first for venues that hand out the address), TLS with certificate and
//    host name verification and SNI, subscribe, read frames, answer heartbeats, send client pings;
//  - reconnect with exponential backoff and jitter after any failure, re-subscribing;
//  - silence: no frame within the protocol's limit means a dead connection: replace it;
//  - lifetime (Binance 24 h) and announced shutdowns: open a second connection first and switch to
//    it when it delivers data, so no gap appears;
//  - REST fallback: while no connection delivers for `rest_fallback_after`, poll the REST ticker;
//  - unreadable frames are counted; past a threshold the venue's data is excluded (quarantine)
//    until a whole window passes without one;
//  - every raw frame can be captured (capture.h) for exact replay.
#ifndef ORACLE_FEEDS_COMMON_WS_SOURCE_H_
#define ORACLE_FEEDS_COMMON_WS_SOURCE_H_

#include <functional>
#include <memory>
#include <string>

#include "feeds/common/capture.h"
#include "feeds/common/venue_protocol.h"
#include "oracle/config/config.h"
#include "oracle/core/clock.h"
#include "oracle/core/event_source.h"

namespace oracle::feeds {

struct LiveOptions {
  // Replace scheme://host:port of the protocol's URLs, keeping paths (tests, proxies, mirrors).
  std::string ws_endpoint_override;    // e.g. "wss://127.0.0.1:8443"
  std::string rest_endpoint_override;  // e.g. "https://127.0.0.1:8444"
  std::string tls_ca_file;             // extra trust anchors; empty: the system store
  bool rest_snapshot = true;
  bool rest_fallback = true;
  DurationNs rest_fallback_after = 10 * kNanosPerSecond;
  DurationNs rest_poll_interval = 5 * kNanosPerSecond;
  DurationNs rest_timeout = 5 * kNanosPerSecond;
  DurationNs connect_timeout = 10 * kNanosPerSecond;
  DurationNs backoff_initial = 250 * kNanosPerMilli;
  DurationNs backoff_max = 30 * kNanosPerSecond;
  // A connection that stayed healthy this long resets the backoff.
  DurationNs backoff_reset_after = 60 * kNanosPerSecond;
  DurationNs silence_limit = 0;        // 0: the protocol's
  DurationNs connection_lifetime = 0;  // 0: the protocol's
  DurationNs lifetime_overlap = 60 * kNanosPerSecond;
  size_t max_frame_bytes = 1 << 20;  // larger frames close the connection (counted)
  // Quarantine: at least `quarantine_bad_frames` unreadable frames, and at least half of all
  // frames, within one window; lifted after a window with none.
  uint32_t quarantine_bad_frames = 20;
  DurationNs quarantine_window = 10 * kNanosPerSecond;
  CaptureWriter* capture = nullptr;
  uint64_t seed = 1;  // jitter
  // The wall clock (empty: the system clock): receive times of frames and REST replies, and the
  // silence, ping, lifetime, backoff-reset, quarantine and REST-fallback timing measured on them.
  // The housekeeping tick itself runs once a second of the steady clock.
  Clock clock;
};

// Counters of one live venue (any thread).
struct LiveVenueStats {
  bool connected = false;
  bool quarantined = false;
  uint64_t connects = 0;
  uint64_t disconnects = 0;
  uint64_t frames = 0;
  uint64_t data_frames = 0;
  uint64_t ticks = 0;
  uint64_t unparseable = 0;
  uint64_t venue_errors = 0;
  uint64_t acks = 0;
  uint64_t heartbeats = 0;
  uint64_t ignored = 0;
  uint64_t unknown_symbols = 0;
  uint64_t sequence_gaps = 0;
  uint64_t oversized_frames = 0;
  uint64_t quarantined_ticks = 0;
  uint64_t rest_polls = 0;
  uint64_t rest_failures = 0;
  uint64_t switchovers = 0;  // planned connection replacements without a gap
  std::string last_error;
};

// Makes a fresh protocol (and so a fresh parser) for the venue. The source calls it once for its
// URLs and REST replies, and once per connection: parser state that belongs to a connection
// (Bitfinex's channel ids, Bybit's merged tickers) is never shared by the two connections that
// overlap during a switchover.
using VenueProtocolFactory = std::function<std::unique_ptr<VenueProtocol>()>;

class WebSocketVenueSource : public EventSource {
 public:
  WebSocketVenueSource(const Config& config, uint32_t venue_id, VenueProtocolFactory make_protocol,
                       LiveOptions options);
  ~WebSocketVenueSource() override;

  std::string Name() const override;
  absl::Status Start(SpscRing<Event>* ring) override;
  void Stop() override;
  void AddHealth(std::vector<VenueLinkHealth>* per_venue) const override;

  LiveVenueStats Stats() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Splits "wss://host:port/path?q" into its parts; port defaults to 443 (wss/https) or 80.
struct ParsedUrl {
  std::string scheme, host, port, target;  // target = path + query, at least "/"
};
bool ParseUrl(std::string_view url, ParsedUrl* out);
// Replaces scheme://host:port of `url` with `endpoint` ("" leaves it unchanged).
std::string OverrideEndpoint(const std::string& url, const std::string& endpoint);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_WS_SOURCE_H_
