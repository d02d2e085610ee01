#include "status_proto.h"

#include <string>

#include "oracle/api/mark_proto.h"

namespace oracle {
namespace {

void FillRatio(const Decimal& ratio, v1::Decimal* out) {
  out->set_mantissa(ratio.mantissa);
  out->set_exponent(ratio.exponent);
}

const char* RateProviderKindName(RateProviderKind kind) {
  switch (kind) {
    case RateProviderKind::kEvmCall:
      return "EVM_CALL";
    case RateProviderKind::kSolanaStakePool:
      return "SOLANA_STAKE_POOL";
    case RateProviderKind::kConstant:
      return "CONSTANT";
  }
  return "CONSTANT";
}

void FillPolledHealth(const rates::RateProviderHealth& h, v1::RateProviderStatus* rs) {
  rs->set_polled(true);
  rs->set_polls(h.polls);
  rs->set_failures(h.failures);
  rs->set_disagreements(h.disagreements);
  rs->set_pushed(h.pushed);
  if (h.pushed > 0) FillRatio(h.last_ratio, rs->mutable_last_ratio());
  if (h.last_success_time != 0) {
    FillTimestamp(h.last_success_time, rs->mutable_last_success_time());
  }
  if (h.last_error_time != 0) FillTimestamp(h.last_error_time, rs->mutable_last_error_time());
  rs->set_last_error(h.last_error);
  for (const rates::RateEndpointHealth& e : h.endpoints) {
    v1::RateEndpointStatus* es = rs->add_endpoints();
    es->set_endpoint(e.endpoint);
    es->set_ok(e.ok);
    es->set_successes(e.successes);
    es->set_failures(e.failures);
    FillRatio(e.last_ratio, es->mutable_last_ratio());
    es->set_last_error(e.last_error);
  }
}

void FillRateProviderProto(const status::RateProviderStatus& p, v1::RateProviderStatus* rs) {
  const RateProviderSpec& spec = *p.spec;
  rs->set_name(spec.name);
  rs->set_pair(spec.pair);
  rs->set_kind(RateProviderKindName(spec.kind));
  if (spec.kind == RateProviderKind::kConstant) FillRatio(spec.constant, rs->mutable_last_ratio());
  if (p.polled) FillPolledHealth(p.health, rs);
}

void FillPersistenceProto(const status::PersistenceStatus& p, v1::PersistenceStatus* ps) {
  if (!p.enabled) {
    ps->set_state("DISABLED");
    return;
  }
  const history::PersistenceStats& st = p.stats;
  ps->set_state(std::string(history::PersistenceStateName(st.state)));
  ps->set_data_dir(st.data_dir);
  ps->set_last_error(st.last_error);
  ps->set_persisted_sequence(st.persisted_sequence);
  ps->set_events_written(st.events_written);
  ps->set_marks_written(st.marks_written);
  ps->set_checkpoints_written(st.checkpoints_written);
  ps->set_write_batches(st.write_batches);
  ps->set_write_failures(st.write_failures);
  ps->set_dropped_records(st.dropped_records);
  ps->set_gaps(st.gaps);
  ps->set_ring_bytes_used(st.ring_bytes_used);
  ps->set_ring_bytes_capacity(st.ring_bytes_capacity);
  ps->set_recovered_sequence(st.recovered_sequence);
  ps->set_restored_checkpoint_sequence(st.restored_checkpoint_sequence);
  ps->set_replayed_events(st.replayed_events);
  if (st.last_write_time != 0) FillTimestamp(st.last_write_time, ps->mutable_last_write_time());
}

}  // namespace

void FillVenueProto(const status::VenueStatus& v, v1::Venue* out) {
  out->set_name(v.name);
  out->set_display_name(v.display_name);
  out->set_connected(v.link.connected);
  if (v.last_message_time != 0) {
    FillDuration(v.last_message_age, out->mutable_last_message_age());
    FillTimestamp(v.last_message_time, out->mutable_last_message_time());
  }
  out->set_messages(v.messages);
  out->set_rejected_frames(v.rejected_frames);
  out->set_excluded_count(v.excluded_count);
  out->set_dropped_events(v.dropped_events);
  out->set_sources(v.source_count);
  out->set_live(v.link.live);
  out->set_quarantined(v.link.quarantined);
  out->set_reconnects(v.link.reconnects);
  out->set_venue_errors(v.link.venue_errors);
  out->set_sequence_gaps(v.link.sequence_gaps);
  out->set_last_error(v.link.last_error);
}

void FillServerStatusProto(const status::StatusSnapshot& s, v1::ServerStatus* out) {
  FillTimestamp(s.start_time, out->mutable_start_time());
  out->set_config_source(s.config_source);
  out->set_events_applied(s.events_applied);
  out->set_ticks_accepted(s.totals.ticks_accepted);
  out->set_ticks_rejected(status::TicksRejected(s.totals));
  out->set_ticks_out_of_order(s.totals.ignored_out_of_order);
  out->set_marks_published(s.totals.marks_published);
  out->set_early_publishes(s.totals.early_publishes);
  out->set_timers_skipped(s.timers_skipped);
  for (const status::ProducerStatus& p : s.producers) {
    v1::ProducerStatus* ps = out->add_producers();
    ps->set_name(p.name);
    if (!p.venue.empty()) ps->set_venue(p.venue);
    ps->set_pushed(p.pushed);
    ps->set_consumed(p.consumed);
    ps->set_dropped(p.dropped);
  }
  for (int r = 0; r < kNumErrorReasons; ++r) {
    const std::string name(ErrorReasonName(static_cast<ErrorReason>(r)));
    (*out->mutable_request_errors())[name] = s.request_errors[static_cast<size_t>(r)];
  }
  out->set_open_streams(static_cast<uint32_t>(s.open_streams));
  for (const status::RateProviderStatus& p : s.rate_providers) {
    FillRateProviderProto(p, out->add_rate_providers());
  }
  FillPersistenceProto(s.persistence, out->mutable_persistence());
}

}  // namespace oracle
