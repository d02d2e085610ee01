// The status snapshot gathered from a real engine, runner and sources (not started: the test
// drives the engine itself), so every window onto the process reads the same numbers.
#include "oracle/status/status_snapshot.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "oracle/aggregation/core_runner.h"
#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/config/config.h"

namespace oracle::status {
namespace {

constexpr TimeNs kT0 = 1'760'131'800LL * kNanosPerSecond;  // 2025-10-10T21:30:00Z

// A source that reports one venue as connected with a few rejected frames.
class FakeLinkSource : public EventSource {
 public:
  explicit FakeLinkSource(uint32_t venue) : venue_(venue) {}
  std::string Name() const override { return "fake"; }
  absl::Status Start(SpscRing<Event>*) override { return absl::OkStatus(); }
  void Stop() override {}
  void AddHealth(std::vector<VenueLinkHealth>* per_venue) const override {
    VenueLinkHealth& h = (*per_venue)[venue_];
    h.connected = true;
    h.live = true;
    h.frames_rejected += 3;
    h.last_error = "bad frame";
  }

 private:
  uint32_t venue_;
};

class StatusSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = LoadDefaultConfig();
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = *std::move(config);
    table_ = std::make_unique<MarkTable>(config_.instruments.size());
    auto engine = Engine::Create(config_, table_.get(), nullptr);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    runner_ = std::make_unique<CoreRunner>(engine_.get(), CoreRunner::Options{});
    runner_->AddProducer("replay", 64);
    sources_.push_back(std::make_unique<FakeLinkSource>(0));
    inputs_.config = &config_;
    inputs_.engine = engine_.get();
    inputs_.runner = runner_.get();
    inputs_.sources = &sources_;
    inputs_.serving = &serving_;
    inputs_.start_time = kT0;
  }

  Config config_;
  std::unique_ptr<MarkTable> table_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<CoreRunner> runner_;
  std::vector<std::unique_ptr<EventSource>> sources_;
  ServingCounters serving_;
  StatusInputs inputs_;
};

TEST_F(StatusSnapshotTest, CountsWhatTheCoreAcceptedAndRejected) {
  const SourceSpec& src = config_.instruments[0].sources[0];
  (void)engine_->Apply(Event::Trade(src.feed_id, kT0, kT0, Decimal{1, 0}, Decimal{1, 0}));
  (void)engine_->Apply(Event::Trade(src.feed_id, kT0 + 1, kT0 + 1, Decimal{-1, 0}, Decimal{1, 0}));
  (void)engine_->Apply(Event::Quote(9999, kT0, kT0, Decimal{1, 0}, Decimal{2, 0}));
  // Shared totals are refreshed once per publication cycle: a timer publishes them.
  (void)engine_->Apply(Event::Timer(kT0 + config_.publish_interval_ns));
  const StatusSnapshot s = GatherStatus(inputs_, kT0 + kNanosPerSecond);
  EXPECT_EQ(s.start_time, kT0);
  EXPECT_EQ(s.gathered_time, kT0 + kNanosPerSecond);
  EXPECT_EQ(s.totals.ticks_accepted, 1u);
  EXPECT_EQ(TicksRejected(s.totals), 2u);
  const VenueStatus& v = s.venues[src.venue_id];
  EXPECT_EQ(v.name, config_.venues[src.venue_id].name);
  EXPECT_GE(v.messages, 1u);
  EXPECT_GT(v.source_count, 0u);
  EXPECT_EQ(v.last_message_age, kNanosPerSecond - (v.last_message_time - kT0));
}

TEST_F(StatusSnapshotTest, AddsTheSourcesViewOfEachVenue) {
  const std::vector<VenueStatus> venues = GatherVenueStatus(inputs_, kT0);
  ASSERT_EQ(venues.size(), config_.venues.size());
  EXPECT_TRUE(venues[0].link.connected);
  EXPECT_TRUE(venues[0].link.live);
  EXPECT_EQ(venues[0].rejected_frames, 3u);
  EXPECT_EQ(venues[0].link.last_error, "bad frame");
  EXPECT_EQ(venues[0].last_message_time, 0);
  EXPECT_EQ(venues[0].last_message_age, 0);
  EXPECT_FALSE(venues[1].link.connected);
}

TEST_F(StatusSnapshotTest, ReadsServingCountersProducersRatesAndHistory) {
  serving_.errors.Count(ErrorReason::kMarkStale);
  serving_.errors.Count(ErrorReason::kMarkStale);
  serving_.open_streams.store(4);
  const StatusSnapshot s = GatherStatus(inputs_, kT0);
  EXPECT_EQ(s.request_errors[static_cast<size_t>(ErrorReason::kMarkStale)], 2u);
  EXPECT_EQ(s.request_errors[static_cast<size_t>(ErrorReason::kInternal)], 0u);
  EXPECT_EQ(s.open_streams, 4u);
  ASSERT_EQ(s.producers.size(), 1u);
  EXPECT_EQ(s.producers[0].name, "replay");
  EXPECT_TRUE(s.producers[0].venue.empty());
  ASSERT_EQ(s.rate_providers.size(), config_.rate_providers.size());
  for (const RateProviderStatus& r : s.rate_providers) EXPECT_FALSE(r.polled);
  EXPECT_FALSE(s.persistence.enabled);
  EXPECT_FALSE(HistoryWritable(inputs_));
  EXPECT_EQ(s.config_source, config_.source_name);
}

}  // namespace
}  // namespace oracle::status
