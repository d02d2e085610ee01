// Drives an Engine from tests: configuration from text, events by venue and pair name, explicit
// time, and every published mark kept for inspection.
#ifndef ORACLE_TESTS_TEST_UTIL_ENGINE_HARNESS_H_
#define ORACLE_TESTS_TEST_UTIL_ENGINE_HARNESS_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/config/config.h"
#include "oracle/core/decimal.h"

namespace oracle::testing {

inline Decimal D(std::string_view s) {
  Decimal d;
  EXPECT_EQ(ParseDecimal(s, &d), DecimalParseError::kOk) << s;
  return d;
}

inline Config MustParseConfig(const std::string& text) {
  auto c = ParseConfigText(text, "<test>");
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : Config{};
}

// Seconds since the test's origin, as engine time.
inline constexpr TimeNs kOrigin = 1'760'000'000LL * kNanosPerSecond;
inline TimeNs At(double seconds) {
  return kOrigin + static_cast<TimeNs>(seconds * 1e9 + (seconds >= 0 ? 0.5 : -0.5));
}

class EngineHarness : public EngineObserver {
 public:
  explicit EngineHarness(const std::string& config_text)
      : config_(MustParseConfig(config_text)), table_(config_.instruments.size()) {
    auto e = Engine::Create(config_, &table_, this);
    EXPECT_TRUE(e.ok()) << e.status();
    engine_ = std::move(*e);
  }

  const Config& config() const { return config_; }
  Engine& engine() { return *engine_; }
  MarkTable& table() { return table_; }

  uint32_t Feed(const std::string& venue, const std::string& pair) const {
    int f = config_.FindFeed(venue, pair);
    EXPECT_GE(f, 0) << venue << " " << pair;
    return static_cast<uint32_t>(f);
  }
  uint32_t Instrument(const std::string& name) const {
    int i = config_.FindInstrument(name);
    EXPECT_GE(i, 0) << name;
    return static_cast<uint32_t>(i);
  }

  ApplyResult Quote(TimeNs t, const std::string& venue, const std::string& pair,
                    std::string_view bid, std::string_view ask) {
    return engine_->Apply(Event::Quote(Feed(venue, pair), t, t, D(bid), D(ask)));
  }
  ApplyResult QuoteAt(TimeNs venue_time, TimeNs recv_time, const std::string& venue,
                      const std::string& pair, std::string_view bid, std::string_view ask) {
    return engine_->Apply(Event::Quote(Feed(venue, pair), venue_time, recv_time, D(bid), D(ask)));
  }
  ApplyResult Trade(TimeNs t, const std::string& venue, const std::string& pair,
                    std::string_view price, std::string_view size = "1") {
    return engine_->Apply(Event::Trade(Feed(venue, pair), t, t, D(price), D(size)));
  }
  void Timer(TimeNs t) { engine_->Apply(Event::Timer(t)); }

  // Timers every `step` from `from` to `to` inclusive.
  void Timers(TimeNs from, TimeNs to, DurationNs step) {
    for (TimeNs t = from; t <= to; t += step) Timer(t);
  }

  // The engine's latest mark of an instrument.
  const Mark& Latest(const std::string& instrument) {
    return engine_->latest(Instrument(instrument));
  }
  const SourceContribution& Source(const Mark& m, const std::string& venue) {
    const auto& spec = config_.instruments[m.instrument];
    for (size_t j = 0; j < spec.sources.size(); ++j) {
      if (spec.sources[j].venue == venue) return m.sources[j];
    }
    ADD_FAILURE() << "no source " << venue;
    static SourceContribution none;
    return none;
  }

  static double Value(int64_t mantissa, int32_t exponent) {
    double v = static_cast<double>(mantissa);
    for (int i = 0; i < -exponent; ++i) v /= 10;
    return v;
  }
  double Price(const Mark& m) { return Value(m.price, m.exponent); }
  double Confidence(const Mark& m) { return Value(m.confidence, m.exponent); }

  void OnMarkPublished(const Mark& mark) noexcept override { published.push_back(mark); }
  std::vector<Mark> published;

 private:
  Config config_;
  MarkTable table_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace oracle::testing

#endif  // ORACLE_TESTS_TEST_UTIL_ENGINE_HARNESS_H_
