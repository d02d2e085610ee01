// What a venue parser produces: a classification of each frame and the normalized ticks it carries.
//
// Parsers are pure (bytes in, ticks out, no I/O) and allocation-free in steady state. Ticks point
// into the parser's own buffer: they are valid until the parser's next Parse() call.
#ifndef ORACLE_FEEDS_COMMON_FRAME_H_
#define ORACLE_FEEDS_COMMON_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oracle/core/decimal.h"
#include "oracle/core/time.h"

namespace oracle::feeds {

enum class FrameKind : uint8_t {
  kData,         // market data of a channel the oracle uses (it may carry zero ticks)
  kIgnored,      // a valid frame of a channel or kind the oracle does not use (depth, kline, info)
  kHeartbeat,    // ping, pong or heartbeat; ParseResult::reply says what to send back, if anything
  kAck,          // subscription acknowledgement
  kError,        // the venue reports an error on an open socket (subscription refused, bad request)
  kReconnect,    // the venue announces it will close this connection (e.g. Binance serverShutdown)
  kUnparseable,  // not a frame of this venue's protocol: counted; too many and the venue is
                 // excluded
};

std::string_view FrameKindName(FrameKind kind) noexcept;

enum class TickType : uint8_t { kTrade, kQuote };

struct Tick {
  TickType type = TickType::kTrade;
  std::string_view symbol;  // as the venue spells it (after the venue's own normalization)
  Decimal price;            // trade (or reference price, e.g. a futures mark price)
  Decimal size;
  Decimal bid;  // quote
  Decimal ask;
  TimeNs event_time = 0;       // the venue's timestamp; 0 when the frame has none
  uint64_t sequence = 0;       // the venue's sequence or update id, 0 if none
  uint64_t prev_sequence = 0;  // the sequence this update follows, where the venue says (gaps)
};

// A fixed-capacity list of ticks: parsing never allocates. Ticks beyond the capacity (a rare large
// snapshot) are dropped and counted in `overflow`.
class TickBuffer {
 public:
  static constexpr size_t kCapacity = 512;
  void Clear() noexcept {
    size_ = 0;
    overflow_ = 0;
  }
  // A new tick to fill in (a scratch tick, discarded, once the buffer is full).
  Tick* Add() noexcept {
    if (size_ == kCapacity) {
      ++overflow_;
      scratch_ = Tick{};
      return &scratch_;
    }
    ticks_[size_] = Tick{};
    return &ticks_[size_++];
  }
  void PopBack() noexcept {
    if (size_ > 0) --size_;
  }
  size_t size() const noexcept { return size_; }
  size_t overflow() const noexcept { return overflow_; }
  const Tick& operator[](size_t i) const noexcept { return ticks_[i]; }
  Tick& operator[](size_t i) noexcept { return ticks_[i]; }
  const Tick* begin() const noexcept { return ticks_; }
  const Tick* end() const noexcept { return ticks_ + size_; }

 private:
  Tick ticks_[kCapacity];
  Tick scratch_;
  size_t size_ = 0;
  size_t overflow_ = 0;
};

struct [[nodiscard]] ParseResult {
  FrameKind kind = FrameKind::kUnparseable;
  // For kError / kAck / kUnparseable: what the venue said or what was wrong (static text or the
  // parser's buffer; valid until the next Parse()).
  std::string_view detail;
  // A frame the adapter must send back (HTX answers {"ping":n} with {"pong":n}); empty if none.
  std::string_view reply;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_FRAME_H_
