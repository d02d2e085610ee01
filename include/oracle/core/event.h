// The core's only input: a fixed-size event carrying its own timestamps.
//
// Producers (replay, venue adapters, rate providers) resolve names to numeric ids once, at
// start-up, through the routing table built from the configuration, so an event is seven 64-bit
// words and moves through the rings without allocation.
#ifndef ORACLE_CORE_EVENT_H_
#define ORACLE_CORE_EVENT_H_

#include <cstdint>
#include <type_traits>

#include "oracle/core/decimal.h"
#include "oracle/core/time.h"

namespace oracle {

enum class EventType : uint8_t {
  kNone = 0,
  kTrade = 1,  // a: price, c: size
  kQuote = 2,  // a: best bid, b: best ask (c: unused)
  kRate = 3,   // a: redemption ratio; b: rate source id (Config::rate_providers); id: rate pair
  kTimer = 4,  // advances the core's clock to event_time; id: kTimer* flags, a: clock step (ns)
};

// Flags of a timer event (its id). kTimerClockStep: the runner is riding out a step of the wall
// clock (CoreRunner); the marks this timer publishes carry CLOCK_STEP. `a` holds the step (ns).
inline constexpr uint32_t kTimerClockStep = 1u << 0;

struct Event {
  EventType type = EventType::kNone;
  int8_t exp_a = 0;  // exponents of a, b, c
  int8_t exp_b = 0;
  int8_t exp_c = 0;
  uint32_t id = 0;        // feed id (venue, pair) for ticks; rate-pair id for rates
  TimeNs event_time = 0;  // the venue's (or provider's) own timestamp
  TimeNs recv_time = 0;   // when this process received it (equal to event_time in replay)
  int64_t a = 0;
  int64_t b = 0;
  int64_t c = 0;
  uint64_t venue_sequence = 0;  // the venue's sequence number when it has one, else 0

  Decimal A() const noexcept { return Decimal{a, exp_a}; }
  Decimal B() const noexcept { return Decimal{b, exp_b}; }
  Decimal C() const noexcept { return Decimal{c, exp_c}; }

  static Event Trade(uint32_t feed, TimeNs event_time, TimeNs recv_time, Decimal price,
                     Decimal size) noexcept {
    Event e;
    e.type = EventType::kTrade;
    e.id = feed;
    e.event_time = event_time;
    e.recv_time = recv_time;
    e.a = price.mantissa;
    e.exp_a = static_cast<int8_t>(price.exponent);
    e.c = size.mantissa;
    e.exp_c = static_cast<int8_t>(size.exponent);
    return e;
  }
  static Event Quote(uint32_t feed, TimeNs event_time, TimeNs recv_time, Decimal bid,
                     Decimal ask) noexcept {
    Event e;
    e.type = EventType::kQuote;
    e.id = feed;
    e.event_time = event_time;
    e.recv_time = recv_time;
    e.a = bid.mantissa;
    e.exp_a = static_cast<int8_t>(bid.exponent);
    e.b = ask.mantissa;
    e.exp_b = static_cast<int8_t>(ask.exponent);
    return e;
  }
  static Event Rate(uint32_t rate_pair, TimeNs event_time, TimeNs recv_time, Decimal ratio,
                    uint32_t source = 0) noexcept {
    Event e;
    e.type = EventType::kRate;
    e.id = rate_pair;
    e.event_time = event_time;
    e.recv_time = recv_time;
    e.a = ratio.mantissa;
    e.exp_a = static_cast<int8_t>(ratio.exponent);
    e.b = source;
    return e;
  }
  static Event Timer(TimeNs t, uint32_t flags = 0, int64_t clock_step_ns = 0) noexcept {
    Event e;
    e.type = EventType::kTimer;
    e.id = flags;
    e.event_time = t;
    e.recv_time = t;
    e.a = clock_step_ns;
    return e;
  }
};

static_assert(sizeof(Event) == 56, "an Event is seven words: one ring slot with its sequence");
static_assert(std::is_trivially_copyable_v<Event>);

}  // namespace oracle

#endif  // ORACLE_CORE_EVENT_H_
