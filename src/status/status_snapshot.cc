#include "oracle/status/status_snapshot.h"

#include <algorithm>

#include "oracle/aggregation/core_runner.h"

namespace oracle::status {
namespace {

std::vector<ProducerStatus> GatherProducers(const StatusInputs& in) {
  std::vector<ProducerStatus> out;
  for (const CoreRunner::ProducerStats& p : in.runner->producer_stats()) {
    ProducerStatus ps;
    ps.name = p.name;
    if (p.venue_id >= 0) ps.venue = in.config->venues[static_cast<size_t>(p.venue_id)].name;
    ps.pushed = p.pushed;
    ps.consumed = p.consumed;
    ps.dropped = p.dropped;
    out.push_back(std::move(ps));
  }
  return out;
}

std::vector<RateProviderStatus> GatherRateProviders(const StatusInputs& in) {
  std::vector<rates::RateProviderHealth> polled;
  if (in.rates != nullptr) polled = in.rates->Health();
  std::vector<RateProviderStatus> out;
  out.reserve(in.config->rate_providers.size());
  for (const RateProviderSpec& spec : in.config->rate_providers) {
    RateProviderStatus rs;
    rs.spec = &spec;
    for (rates::RateProviderHealth& h : polled) {
      if (h.name != spec.name) continue;
      rs.polled = true;
      rs.health = std::move(h);
      break;
    }
    out.push_back(std::move(rs));
  }
  return out;
}

PersistenceStatus GatherPersistence(const StatusInputs& in) {
  PersistenceStatus ps;
  if (in.persister == nullptr) return ps;
  ps.enabled = true;
  ps.stats = in.persister->stats();
  return ps;
}

std::vector<uint32_t> CountSourcesPerVenue(const Config& cfg) {
  std::vector<uint32_t> counts(cfg.venues.size(), 0);
  for (const auto& ins : cfg.instruments) {
    for (const auto& s : ins.sources) ++counts[s.venue_id];
  }
  return counts;
}

}  // namespace

uint64_t TicksRejected(const EngineTotals& t) noexcept {
  return t.rejected_non_positive + t.rejected_crossed + t.rejected_future +
         t.rejected_out_of_range + t.rejected_unknown_feed;
}

std::vector<VenueStatus> GatherVenueStatus(const StatusInputs& in, TimeNs now) {
  const Config& cfg = *in.config;
  const size_t total = cfg.venues.size();
  std::vector<VenueLinkHealth> links(total);
  for (const auto& source : *in.sources) source->AddHealth(&links);
  const std::vector<uint32_t> source_counts = CountSourcesPerVenue(cfg);
  std::vector<VenueStatus> out(total);
  for (size_t v = 0; v < total; ++v) {
    const VenueCounters& c = in.engine->venue_counters(static_cast<uint32_t>(v));
    VenueStatus& vs = out[v];
    vs.name = cfg.venues[v].name;
    vs.display_name = cfg.venues[v].display_name;
    vs.last_message_time = c.last_message_time.load(std::memory_order_relaxed);
    if (vs.last_message_time != 0) {
      vs.last_message_age = std::max<DurationNs>(0, now - vs.last_message_time);
    }
    vs.messages = c.messages.load(std::memory_order_relaxed);
    vs.rejected_frames = c.rejected.load(std::memory_order_relaxed) + links[v].frames_rejected;
    vs.excluded_count = c.excluded.load(std::memory_order_relaxed);
    vs.dropped_events = in.runner->dropped_for_venue(static_cast<int>(v));
    vs.source_count = source_counts[v];
    vs.link = std::move(links[v]);
  }
  return out;
}

StatusSnapshot GatherStatus(const StatusInputs& in, TimeNs now) {
  StatusSnapshot s;
  s.gathered_time = now;
  s.start_time = in.start_time;
  s.config_source = in.config->source_name;
  s.events_applied = in.runner->events_applied();
  s.timers_skipped = in.runner->timers_skipped();
  s.totals = in.engine->SharedTotals();
  s.producers = GatherProducers(in);
  for (int r = 0; r < kNumErrorReasons; ++r) {
    s.request_errors[static_cast<size_t>(r)] = in.serving->errors.Get(static_cast<ErrorReason>(r));
  }
  s.open_streams = in.serving->open_streams.load(std::memory_order_relaxed);
  s.rate_providers = GatherRateProviders(in);
  s.persistence = GatherPersistence(in);
  s.venues = GatherVenueStatus(in, now);
  if (in.serving_health) in.serving_health(&s.serving);
  if (in.clock) in.clock(&s.clock);
  if (in.signing) in.signing(&s.signing);
  if (in.auth) in.auth(&s.auth);
  return s;
}

std::string_view ServingStateName(ServingState s) noexcept {
  switch (s) {
    case ServingState::kStarting:
      return "STARTING";
    case ServingState::kServing:
      return "SERVING";
    case ServingState::kStalled:
      return "STALLED";
    case ServingState::kDraining:
      return "DRAINING";
  }
  return "UNKNOWN";
}

bool HistoryWritable(const StatusInputs& in) {
  return in.persister != nullptr && in.persister->stats().state == history::PersistenceState::kOk;
}

}  // namespace oracle::status
