// The only translation unit with Boost.Beast and OpenSSL in it (they are slow to compile).
#include <utility>  // before Asio (GCC 12, see debian-build-notes)

#include "feeds/common/ws_source.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "feeds/common/backoff.h"
#include "feeds/common/inflate.h"
#include "feeds/common/rest_client.h"
#include "oracle/core/log.h"

namespace oracle::feeds {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

bool ParseUrl(std::string_view url, ParsedUrl* out) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  out->scheme = std::string(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  out->target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!out->target.empty() && out->target[0] == '?') out->target = "/" + out->target;
  if (authority.empty()) return false;
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    out->host = std::string(authority.substr(0, colon));
    out->port = std::string(authority.substr(colon + 1));
  } else {
    out->host = std::string(authority);
    out->port = (out->scheme == "wss" || out->scheme == "https") ? "443" : "80";
  }
  return !out->host.empty() && !out->port.empty();
}

std::string OverrideEndpoint(const std::string& url, const std::string& endpoint) {
  if (endpoint.empty()) return url;
  ParsedUrl u;
  if (!ParseUrl(url, &u)) return url;
  std::string base = endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + u.target;
}

namespace {

std::string SafeText(std::string_view s, size_t max = 200) {
  std::string out;
  for (char c : s.substr(0, max)) out.push_back((c >= 0x20 && c < 0x7f) ? c : '?');
  if (s.size() > max) out += "...";
  return out;
}

void Bump(std::atomic<uint64_t>& c, uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }

}  // namespace

class WebSocketVenueSource::Impl {
 public:
  // One WebSocket connection. Owned by shared_ptr (handlers hold it); the Impl keeps at most an
  // active and a standby one.
  class Conn : public std::enable_shared_from_this<Conn> {
   public:
    Conn(Impl* owner, uint64_t id, bool standby)
        : owner_(owner),
          id_(id),
          standby_(standby),
          parser_(owner->make_protocol_()),
          resolver_(owner->ioc_),
          ws_(owner->ioc_, owner->ssl_ctx_) {}

    uint64_t id() const { return id_; }
    bool standby() const { return standby_; }
    void set_standby(bool s) { standby_ = s; }
    bool open() const { return open_; }
    TimeNs opened_at() const { return opened_at_; }
    TimeNs last_frame_at() const { return last_frame_at_; }
    bool delivered_data() const { return delivered_data_; }
    void mark_data() { delivered_data_ = true; }
    // This connection's own parser: its state never mixes with another connection's frames.
    VenueProtocol& parser() { return *parser_; }

    void Start(const ParsedUrl& url) {
      url_ = url;
      auto self = shared_from_this();
      resolver_.async_resolve(
          url_.host, url_.port,
          [self](beast::error_code ec, const tcp::resolver::results_type& results) {
            self->OnResolve(ec, results);
          });
    }

    void Send(std::string text) {
      outbox_.push_back(std::move(text));
      if (!writing_ && open_) DoWrite();
    }

    void Close() {
      if (closing_) return;
      closing_ = true;
      resolver_.cancel();
      beast::error_code ec;
      // Shut the socket down: pending operations complete with an error and the Conn dies.
      beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(ws_).close();
    }

   private:
    void Fail(const std::string& what, beast::error_code ec) {
      if (closing_) {
        owner_->OnClosed(shared_from_this(), "");
        return;
      }
      closing_ = true;
      owner_->OnClosed(shared_from_this(), absl::StrCat(what, ": ", ec.message()));
    }

    void OnResolve(beast::error_code ec, const tcp::resolver::results_type& results) {
      if (ec) return Fail(absl::StrCat("resolve ", url_.host), ec);
      beast::get_lowest_layer(ws_).expires_after(
          std::chrono::nanoseconds(owner_->options_.connect_timeout));
      auto self = shared_from_this();
      beast::get_lowest_layer(ws_).async_connect(
          results, [self](beast::error_code ec, const tcp::endpoint&) { self->OnConnect(ec); });
    }

    void OnConnect(beast::error_code ec) {
      if (ec) return Fail(absl::StrCat("connect ", url_.host, ":", url_.port), ec);
      // SNI, and verification of the certificate against the host name.
      if (!SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), url_.host.c_str())) {
        return Fail("TLS SNI", beast::error_code(static_cast<int>(::ERR_get_error()),
                                                 net::error::get_ssl_category()));
      }
      ws_.next_layer().set_verify_mode(ssl::verify_peer);
      ws_.next_layer().set_verify_callback(ssl::host_name_verification(url_.host));
      auto self = shared_from_this();
      ws_.next_layer().async_handshake(ssl::stream_base::client,
                                       [self](beast::error_code ec) { self->OnTls(ec); });
    }

    void OnTls(beast::error_code ec) {
      if (ec) return Fail(absl::StrCat("TLS handshake with ", url_.host), ec);
      beast::get_lowest_layer(ws_).expires_never();
      websocket::stream_base::timeout t =
          websocket::stream_base::timeout::suggested(beast::role_type::client);
      t.handshake_timeout = std::chrono::nanoseconds(owner_->options_.connect_timeout);
      ws_.set_option(t);
      ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
        req.set(beast::http::field::user_agent, "oracle/0.1");
      }));
      // The adapter enforces max_frame_bytes itself while reading (OnRead); Beast's own limit is
      // only a backstop, because the error it reports depends on how the close goes.
      ws_.read_message_max(owner_->options_.max_frame_bytes * 2 + 4096);
      std::string host_header = url_.host;
      if (url_.port != "443") host_header += ":" + url_.port;
      auto self = shared_from_this();
      ws_.async_handshake(host_header, url_.target,
                          [self](beast::error_code ec) { self->OnHandshake(ec); });
    }

    void OnHandshake(beast::error_code ec) {
      if (ec) return Fail(absl::StrCat("WebSocket handshake with ", url_.host, url_.target), ec);
      open_ = true;
      opened_at_ = owner_->clock_();
      last_frame_at_ = opened_at_;
      owner_->OnOpen(shared_from_this());
      if (!outbox_.empty() && !writing_) DoWrite();
      DoRead();
    }

    // Reads a message in pieces so an oversized one is caught as soon as it passes the limit.
    void DoRead() {
      auto self = shared_from_this();
      ws_.async_read_some(buffer_, 64 << 10,
                          [self](beast::error_code ec, std::size_t) { self->OnRead(ec); });
    }

    void OnRead(beast::error_code ec) {
      if (!ec && buffer_.size() > owner_->options_.max_frame_bytes) {
        Bump(owner_->stats_.oversized_frames);
        return Fail(
            absl::StrCat("read: frame larger than ", owner_->options_.max_frame_bytes, " bytes"),
            beast::error_code(websocket::error::message_too_big));
      }
      if (ec) return Fail("read", ec);
      if (!ws_.is_message_done()) return DoRead();
      last_frame_at_ = owner_->clock_();
      auto data = buffer_.cdata();
      std::string_view frame(static_cast<const char*>(data.data()), data.size());
      owner_->OnFrame(shared_from_this(), frame, ws_.got_binary(), last_frame_at_);
      buffer_.consume(buffer_.size());
      if (!closing_) DoRead();
    }

    void DoWrite() {
      writing_ = true;
      ws_.text(true);
      auto self = shared_from_this();
      ws_.async_write(net::buffer(outbox_.front()),
                      [self](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
    }

    void OnWrite(beast::error_code ec) {
      writing_ = false;
      if (ec) return Fail("write", ec);
      outbox_.pop_front();
      if (!outbox_.empty() && !closing_) DoWrite();
    }

    Impl* owner_;
    uint64_t id_;
    bool standby_;
    std::unique_ptr<VenueProtocol> parser_;
    ParsedUrl url_;
    tcp::resolver resolver_;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> outbox_;
    bool writing_ = false;
    bool open_ = false;
    bool closing_ = false;
    bool delivered_data_ = false;
    TimeNs opened_at_ = 0;
    TimeNs last_frame_at_ = 0;
  };

  Impl(const Config& config, uint32_t venue_id, VenueProtocolFactory make_protocol,
       LiveOptions options)
      : config_(config),
        venue_id_(venue_id),
        venue_name_(config.venues[venue_id].name),
        make_protocol_(std::move(make_protocol)),
        protocol_(make_protocol_()),
        options_(std::move(options)),
        clock_(OrSystemClock(options_.clock)),
        ssl_ctx_(ssl::context::tls_client),
        timer_(ioc_),
        reconnect_timer_(ioc_),
        backoff_(options_.backoff_initial, options_.backoff_max, options_.seed) {
    for (const auto& feed : config.feeds) {
      if (feed.venue_id != venue_id) continue;
      if (symbol_to_feed_.emplace(feed.venue_symbol, 0).second)
        symbols_.push_back(feed.venue_symbol);
    }
    for (uint32_t f = 0; f < config.feeds.size(); ++f) {
      if (config.feeds[f].venue_id == venue_id) symbol_to_feed_[config.feeds[f].venue_symbol] = f;
    }
    last_sequence_.assign(config.feeds.size(), 0);
    last_trade_sequence_.assign(config.feeds.size(), 0);
    silence_limit_ =
        options_.silence_limit > 0 ? options_.silence_limit : protocol_->SilenceLimit();
    lifetime_ = options_.connection_lifetime > 0 ? options_.connection_lifetime
                                                 : protocol_->ConnectionLifetime();
    ping_interval_ = protocol_->ClientPingInterval();
    ssl_ctx_.set_default_verify_paths();
    if (!options_.tls_ca_file.empty()) {
      beast::error_code ec;
      ssl_ctx_.load_verify_file(options_.tls_ca_file, ec);
      if (ec)
        SetError(absl::StrCat("cannot load CA file ", options_.tls_ca_file, ": ", ec.message()));
    }
    ssl_ctx_.set_verify_mode(ssl::verify_peer);
  }

  ~Impl() { Stop(); }

  absl::Status Start(SpscRing<Event>* ring) {
    if (symbols_.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("venue ", venue_name_, " has no configured sources"));
    }
    ring_ = ring;
    thread_ = std::thread([this] { Run(); });
    return absl::OkStatus();
  }

  // Closes the connections and lets the thread's pending operations finish (forcing the event
  // loop to stop after 2 s if they do not), then joins. Idempotent.
  void Stop() {
    if (stopped_.exchange(true)) return;
    if (!thread_.joinable()) return;  // never started
    net::post(ioc_, [this] {
      timer_.cancel();
      reconnect_timer_.cancel();
      if (active_) active_->Close();
      if (standby_) standby_->Close();
      work_.reset();
    });
    for (int i = 0; i < 200 && !finished_.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
    connected_.store(false);
  }

  void AddHealthTo(std::vector<VenueLinkHealth>* per_venue) const {
    if (venue_id_ >= per_venue->size()) return;
    VenueLinkHealth* h = &(*per_venue)[venue_id_];
    h->live = true;
    h->connected |= connected_.load(std::memory_order_relaxed);
    h->quarantined |= quarantined_.load(std::memory_order_relaxed);
    h->frames_rejected += stats_.unparseable.load(std::memory_order_relaxed);
    h->reconnects += stats_.disconnects.load(std::memory_order_relaxed);
    h->venue_errors += stats_.venue_errors.load(std::memory_order_relaxed);
    h->sequence_gaps += stats_.sequence_gaps.load(std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(error_mu_);
    if (!last_error_.empty()) h->last_error = last_error_;
  }

  LiveVenueStats Stats() const {
    LiveVenueStats s;
    s.connected = connected_.load();
    s.quarantined = quarantined_.load();
    s.connects = stats_.connects.load();
    s.disconnects = stats_.disconnects.load();
    s.frames = stats_.frames.load();
    s.data_frames = stats_.data_frames.load();
    s.ticks = stats_.ticks.load();
    s.unparseable = stats_.unparseable.load();
    s.venue_errors = stats_.venue_errors.load();
    s.acks = stats_.acks.load();
    s.heartbeats = stats_.heartbeats.load();
    s.ignored = stats_.ignored.load();
    s.unknown_symbols = stats_.unknown_symbols.load();
    s.sequence_gaps = stats_.sequence_gaps.load();
    s.oversized_frames = stats_.oversized_frames.load();
    s.quarantined_ticks = stats_.quarantined_ticks.load();
    s.rest_polls = stats_.rest_polls.load();
    s.rest_failures = stats_.rest_failures.load();
    s.switchovers = stats_.switchovers.load();
    std::lock_guard<std::mutex> lock(error_mu_);
    s.last_error = last_error_;
    return s;
  }

  const std::string& venue_name() const { return venue_name_; }

 private:
  friend class Conn;

  struct AtomicStats {
    std::atomic<uint64_t> connects{0}, disconnects{0}, frames{0}, data_frames{0}, ticks{0},
        unparseable{0}, venue_errors{0}, acks{0}, heartbeats{0}, ignored{0}, unknown_symbols{0},
        sequence_gaps{0}, oversized_frames{0}, quarantined_ticks{0}, rest_polls{0},
        rest_failures{0}, switchovers{0};
  };

  void Run() {
    rest_ = std::make_unique<RestClient>(options_.rest_timeout, options_.tls_ca_file);
    down_since_ = clock_();
    if (options_.rest_snapshot) RestPoll();
    net::post(ioc_, [this] { Connect(/*standby=*/false); });
    ScheduleTick();
    ioc_.run();
    active_.reset();
    standby_.reset();
    finished_.store(true);
  }

  void SetError(const std::string& e) {
    std::lock_guard<std::mutex> lock(error_mu_);
    last_error_ = e;
  }

  // Logs a line about this venue, at most `kMaxLogLines` per kind so a storm stays readable.
  void LogLimited(int kind, LogLevel level, const std::string& line) {
    static constexpr int kMaxLogLines = 20;
    if (log_count_[kind]++ < kMaxLogLines) {
      Logf(level, "live %s: %s", venue_name_.c_str(), line.c_str());
    } else if (log_count_[kind] == kMaxLogLines + 1) {
      Logf(level, "live %s: (further messages of this kind are counted, not printed)",
           venue_name_.c_str());
    }
  }

  std::string ResolveWebSocketUrl(DurationNs* ping_interval) {
    *ping_interval = protocol_->ClientPingInterval();
    std::string bootstrap = protocol_->BootstrapUrl();
    if (bootstrap.empty()) {
      return OverrideEndpoint(protocol_->WebSocketUrl(symbols_), options_.ws_endpoint_override);
    }
    auto body = rest_->Post(OverrideEndpoint(bootstrap, options_.rest_endpoint_override), "{}");
    if (!body.ok()) {
      SetError(std::string(body.status().message()));
      LogLimited(0, LogLevel::kWarning,
                 absl::StrCat("bootstrap failed: ", body.status().message()));
      return {};
    }
    std::string url;
    DurationNs interval = *ping_interval;
    if (!protocol_->WebSocketUrlFromBootstrap(*body, &url, &interval)) {
      SetError(absl::StrCat("bootstrap reply not understood: ", SafeText(*body)));
      LogLimited(0, LogLevel::kWarning,
                 absl::StrCat("bootstrap reply not understood: ", SafeText(*body)));
      return {};
    }
    *ping_interval = interval;
    return OverrideEndpoint(url, options_.ws_endpoint_override);
  }

  void Connect(bool standby) {
    if (stopped_.load()) return;
    if (standby ? standby_ != nullptr : active_ != nullptr) return;
    DurationNs ping = 0;
    std::string url_text = ResolveWebSocketUrl(&ping);
    ParsedUrl url;
    if (url_text.empty() || !ParseUrl(url_text, &url) || url.scheme != "wss") {
      if (!url_text.empty()) SetError(absl::StrCat("not a wss:// URL: ", url_text));
      if (!standby) ScheduleReconnect();
      return;
    }
    ping_interval_ = ping;
    auto conn = std::make_shared<Conn>(this, ++next_conn_id_, standby);
    (standby ? standby_ : active_) = conn;
    for (std::string& m : protocol_->SubscribeMessages(symbols_)) conn->Send(std::move(m));
    conn->Start(url);
  }

  void ScheduleReconnect() {
    if (stopped_.load()) return;
    const DurationNs delay = backoff_.Next();
    reconnect_timer_.expires_after(std::chrono::nanoseconds(delay));
    reconnect_timer_.async_wait([this](beast::error_code ec) {
      if (!ec) Connect(/*standby=*/false);
    });
  }

  // Called by Conn once the WebSocket is open (subscriptions are queued already).
  void OnOpen(const std::shared_ptr<Conn>& conn) {
    Bump(stats_.connects);
    last_ping_sent_ = clock_();
    LogLimited(
        1, LogLevel::kInfo,
        absl::StrCat(conn->standby() ? "standby connection" : "connected", " (#", conn->id(), ")"));
  }

  void OnClosed(const std::shared_ptr<Conn>& conn, const std::string& why) {
    const bool was_active = conn == active_;
    const bool was_standby = conn == standby_;
    if (!was_active && !was_standby) return;  // a replaced connection winding down
    if (!why.empty()) {
      SetError(why);
      LogLimited(2, LogLevel::kWarning, absl::StrCat("connection #", conn->id(), " closed: ", why));
    }
    if (was_standby) {
      standby_.reset();
      return;  // the active one carries on; the next tick retries the standby if still needed
    }
    Bump(stats_.disconnects);
    active_.reset();
    connected_.store(false, std::memory_order_relaxed);
    if (down_since_ == 0) down_since_ = clock_();
    if (standby_ && standby_->open()) {
      Promote();  // the standby takes over at once
      return;
    }
    if (conn->open() && clock_() - conn->opened_at() > options_.backoff_reset_after) {
      backoff_.Reset();
    }
    ScheduleReconnect();
  }

  void Promote() {
    auto old = active_;
    active_ = standby_;
    active_->set_standby(false);
    standby_.reset();
    if (old) old->Close();
    Bump(stats_.switchovers);
    LogLimited(1, LogLevel::kInfo,
               absl::StrCat("switched to connection #", active_->id(), " without a gap"));
  }

  void OnFrame(const std::shared_ptr<Conn>& conn, std::string_view raw, bool binary, TimeNs now) {
    if (conn != active_ && conn != standby_) return;
    Bump(stats_.frames);
    if (options_.capture != nullptr) {
      options_.capture->Write(now, venue_name_, raw, binary, /*rest=*/false, conn->id());
    }
    std::string_view frame = raw;
    if (binary && protocol_->BinaryFramesAreCompressed()) {
      if (!InflateFrame(raw, &inflated_)) {
        CountUnparseable(now, "compressed frame does not inflate");
        return;
      }
      frame = inflated_;
    }
    ticks_.Clear();
    ParseResult r = conn->parser().Parse(frame, &ticks_);
    if (!r.reply.empty()) conn->Send(std::string(r.reply));
    switch (r.kind) {
      case FrameKind::kData:
        Bump(stats_.data_frames);
        if (conn == standby_) {
          if (!conn->delivered_data()) {
            conn->mark_data();
            Promote();  // the new connection delivers: switch, then this frame counts
          } else {
            return;
          }
        }
        conn->mark_data();
        connected_.store(true, std::memory_order_relaxed);
        if (down_since_ != 0) {
          down_since_ = 0;
        }
        Push(now);
        break;
      case FrameKind::kHeartbeat:
        Bump(stats_.heartbeats);
        break;
      case FrameKind::kAck:
        Bump(stats_.acks);
        break;
      case FrameKind::kIgnored:
        Bump(stats_.ignored);
        break;
      case FrameKind::kError:
        Bump(stats_.venue_errors);
        SetError(absl::StrCat("venue error: ", SafeText(r.detail)));
        LogLimited(3, LogLevel::kWarning, absl::StrCat("venue error: ", SafeText(r.detail)));
        break;
      case FrameKind::kReconnect:
        LogLimited(1, LogLevel::kInfo,
                   absl::StrCat("venue announces a disconnect (", SafeText(r.detail),
                                "): opening a new connection first"));
        if (conn == active_ && !standby_) Connect(/*standby=*/true);
        break;
      case FrameKind::kUnparseable:
        CountUnparseable(now, absl::StrCat(SafeText(r.detail), ": ", SafeText(frame, 120)));
        return;
    }
    window_frames_++;
  }

  void CountUnparseable(TimeNs now, const std::string& what) {
    Bump(stats_.unparseable);
    window_bad_++;
    window_frames_++;
    SetError(absl::StrCat("unreadable frame: ", what));
    LogLimited(4, LogLevel::kWarning, absl::StrCat("unreadable frame: ", what));
    (void)now;
  }

  void Push(TimeNs now) {
    for (const Tick& t : ticks_) {
      auto it = symbol_to_feed_.find(absl::string_view(t.symbol.data(), t.symbol.size()));
      if (it == symbol_to_feed_.end()) {
        Bump(stats_.unknown_symbols);
        continue;
      }
      const uint32_t feed = it->second;
      // Gaps: updates the venue numbered that never arrived, per feed and per kind of update (a
      // venue numbers its trades and its book separately). Repeats are not gaps.
      uint64_t& last = (t.type == TickType::kTrade ? last_trade_sequence_ : last_sequence_)[feed];
      if (t.prev_sequence != 0 && last != 0 && t.prev_sequence > last) {
        Bump(stats_.sequence_gaps, t.prev_sequence - last);
      }
      if (t.sequence > last) last = t.sequence;
      if (quarantined_.load(std::memory_order_relaxed)) {
        Bump(stats_.quarantined_ticks);
        continue;
      }
      const TimeNs event_time = t.event_time != 0 ? t.event_time : now;
      Event e = t.type == TickType::kTrade ? Event::Trade(feed, event_time, now, t.price, t.size)
                                           : Event::Quote(feed, event_time, now, t.bid, t.ask);
      e.venue_sequence = t.sequence;
      ring_->Push(e);
      Bump(stats_.ticks);
    }
  }

  void RestPoll() {
    const std::string base = protocol_->RestTickerUrl(symbols_);
    if (base.empty()) return;
    std::vector<std::string> urls;
    if (protocol_->RestTickerPerSymbol()) {
      for (const auto& s : symbols_) urls.push_back(protocol_->RestTickerUrl({s}));
    } else {
      urls.push_back(base);
    }
    for (const std::string& u : urls) {
      if (stopped_.load()) return;
      Bump(stats_.rest_polls);
      auto body = rest_->Get(OverrideEndpoint(u, options_.rest_endpoint_override));
      const TimeNs now = clock_();  // the receive time of the reply, here and in a capture
      if (body.ok() && options_.capture != nullptr) {
        options_.capture->Write(now, venue_name_, *body, false, /*rest=*/true);
      }
      if (!body.ok()) {
        Bump(stats_.rest_failures);
        SetError(std::string(body.status().message()));
        LogLimited(5, LogLevel::kWarning,
                   absl::StrCat("REST ticker failed: ", body.status().message()));
        continue;
      }
      ticks_.Clear();
      ParseResult r = protocol_->ParseRestTicker(*body, &ticks_);
      if (r.kind == FrameKind::kError) {  // a 200 reply that carries the venue's error
        Bump(stats_.rest_failures);
        Bump(stats_.venue_errors);
        SetError(absl::StrCat("venue error (REST): ", SafeText(r.detail)));
        LogLimited(5, LogLevel::kWarning,
                   absl::StrCat("REST ticker: venue error: ", SafeText(r.detail)));
        continue;
      }
      if (r.kind != FrameKind::kData) {
        Bump(stats_.rest_failures);
        SetError(absl::StrCat("REST ticker reply not understood: ", SafeText(r.detail)));
        LogLimited(5, LogLevel::kWarning,
                   absl::StrCat("REST ticker reply not understood (", SafeText(r.detail),
                                "): ", SafeText(*body)));
        continue;
      }
      Push(now);
    }
  }

  // Once a second: silence, pings, lifetime, quarantine window, REST fallback.
  void ScheduleTick() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](beast::error_code ec) {
      if (ec || stopped_.load()) return;
      Housekeeping();
      ScheduleTick();
    });
  }

  void Housekeeping() {
    const TimeNs now = clock_();
    if (active_ && active_->open()) {
      if (now - active_->last_frame_at() > silence_limit_) {
        LogLimited(
            2, LogLevel::kWarning,
            absl::StrCat("no frame for ", FormatDurationHuman(now - active_->last_frame_at()),
                         ": replacing the connection"));
        SetError("silent connection replaced");
        auto dead = active_;
        dead->Close();  // OnClosed schedules the reconnect
      } else if (ping_interval_ > 0 && now - last_ping_sent_ >= ping_interval_) {
        std::string ping = protocol_->ClientPing(++ping_counter_);
        if (!ping.empty()) active_->Send(std::move(ping));
        last_ping_sent_ = now;
      }
      if (lifetime_ > 0 && !standby_ &&
          now - active_->opened_at() > lifetime_ - options_.lifetime_overlap) {
        LogLimited(1, LogLevel::kInfo,
                   "connection nearing the venue's lifetime limit: opening its replacement");
        Connect(/*standby=*/true);
      }
    }  // a connection still opening is bounded by its own connect/handshake timeouts
    if (standby_ && standby_->open() && now - standby_->opened_at() > silence_limit_ &&
        !standby_->delivered_data()) {
      auto s = standby_;
      s->Close();
    }
    if (connected_.load() && active_ && now - active_->last_frame_at() > silence_limit_) {
      connected_.store(false);
    }
    // Quarantine, per window.
    if (now - window_start_ >= options_.quarantine_window) {
      const bool bad =
          window_bad_ >= options_.quarantine_bad_frames && window_bad_ * 2 >= window_frames_;
      if (bad && !quarantined_.load()) {
        quarantined_.store(true);
        LogLimited(
            6, LogLevel::kWarning,
            absl::StrCat(window_bad_, " of ", window_frames_,
                         " frames unreadable: excluding this venue's data until it recovers"));
      } else if (!bad && window_bad_ == 0 && quarantined_.load()) {
        quarantined_.store(false);
        LogLimited(6, LogLevel::kInfo, "frames readable again: data included again");
      }
      window_start_ = now;
      window_bad_ = 0;
      window_frames_ = 0;
    }
    // REST fallback while nothing delivers.
    if (options_.rest_fallback && !connected_.load() && down_since_ != 0 &&
        now - down_since_ >= options_.rest_fallback_after &&
        now - last_rest_poll_ >= options_.rest_poll_interval) {
      last_rest_poll_ = now;
      RestPoll();
    }
  }

  const Config& config_;
  uint32_t venue_id_;
  std::string venue_name_;
  VenueProtocolFactory make_protocol_;
  std::unique_ptr<VenueProtocol> protocol_;  // URLs, subscriptions, pings and REST replies
  LiveOptions options_;
  const Clock clock_;
  std::vector<std::string> symbols_;
  absl::flat_hash_map<std::string, uint32_t> symbol_to_feed_;
  std::vector<uint64_t> last_sequence_;        // quotes
  std::vector<uint64_t> last_trade_sequence_;  // trades

  net::io_context ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_{
      net::make_work_guard(ioc_)};
  std::atomic<bool> finished_{false};
  ssl::context ssl_ctx_;
  net::steady_timer timer_;
  net::steady_timer reconnect_timer_;
  std::thread thread_;
  std::atomic<bool> stopped_{false};
  SpscRing<Event>* ring_ = nullptr;
  std::unique_ptr<RestClient> rest_;

  std::shared_ptr<Conn> active_;
  std::shared_ptr<Conn> standby_;
  uint64_t next_conn_id_ = 0;
  Backoff backoff_;
  DurationNs silence_limit_ = 0;
  DurationNs lifetime_ = 0;
  DurationNs ping_interval_ = 0;
  uint64_t ping_counter_ = 0;
  TimeNs last_ping_sent_ = 0;
  TimeNs down_since_ = 0;
  TimeNs last_rest_poll_ = 0;
  TimeNs window_start_ = 0;
  uint64_t window_bad_ = 0;
  uint64_t window_frames_ = 0;
  int log_count_[8] = {};

  TickBuffer ticks_;
  std::string inflated_;

  std::atomic<bool> connected_{false};
  std::atomic<bool> quarantined_{false};
  AtomicStats stats_;
  mutable std::mutex error_mu_;
  std::string last_error_;
};

WebSocketVenueSource::WebSocketVenueSource(const Config& config, uint32_t venue_id,
                                           VenueProtocolFactory make_protocol, LiveOptions options)
    : impl_(
          std::make_unique<Impl>(config, venue_id, std::move(make_protocol), std::move(options))) {}

WebSocketVenueSource::~WebSocketVenueSource() = default;

std::string WebSocketVenueSource::Name() const { return impl_->venue_name(); }

absl::Status WebSocketVenueSource::Start(SpscRing<Event>* ring) { return impl_->Start(ring); }

void WebSocketVenueSource::Stop() { impl_->Stop(); }

void WebSocketVenueSource::AddHealth(std::vector<VenueLinkHealth>* per_venue) const {
  impl_->AddHealthTo(per_venue);
}

LiveVenueStats WebSocketVenueSource::Stats() const { return impl_->Stats(); }

}  // namespace oracle::feeds
