#include "status_proto.h"

#include <string>

#include "oracle/api/mark_proto.h"

namespace oracle {
namespace {

void FillRatio(const Decimal& ratio, v1::Decimal* out) {
  out->set_mantissa(ratio.mantissa);
  out->set_exponent(ratio.exponent);
}

v1::RateProviderKind KindProto(RateProviderKind kind) {
  switch (kind) {
    case RateProviderKind::kEvmCall:
      return v1::RATE_PROVIDER_KIND_EVM_CALL;
    case RateProviderKind::kSolanaStakePool:
      return v1::RATE_PROVIDER_KIND_SOLANA_STAKE_POOL;
    case RateProviderKind::kConstant:
      return v1::RATE_PROVIDER_KIND_CONSTANT;
  }
  return v1::RATE_PROVIDER_KIND_UNSPECIFIED;
}

v1::PersistenceState StateProto(history::PersistenceState state) {
  switch (state) {
    case history::PersistenceState::kDisabled:
      return v1::PERSISTENCE_STATE_DISABLED;
    case history::PersistenceState::kOk:
      return v1::PERSISTENCE_STATE_OK;
    case history::PersistenceState::kFailing:
      return v1::PERSISTENCE_STATE_FAILING;
    case history::PersistenceState::kUnavailable:
      return v1::PERSISTENCE_STATE_UNAVAILABLE;
  }
  return v1::PERSISTENCE_STATE_UNSPECIFIED;
}

void FillPolledHealth(const rates::RateProviderHealth& h, v1::RateProviderStatus* rs) {
  rs->set_polled(true);
  rs->set_poll_count(h.polls);
  rs->set_failure_count(h.failures);
  rs->set_disagreement_count(h.disagreements);
  rs->set_pushed_count(h.pushed);
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
    es->set_success_count(e.successes);
    es->set_failure_count(e.failures);
    FillRatio(e.last_ratio, es->mutable_last_ratio());
    es->set_last_error(e.last_error);
  }
}

void FillRateProviderProto(const status::RateProviderStatus& p, v1::RateProviderStatus* rs) {
  const RateProviderSpec& spec = *p.spec;
  rs->set_name(spec.name);
  rs->set_pair(spec.pair);
  rs->set_kind(KindProto(spec.kind));
  if (spec.kind == RateProviderKind::kConstant) FillRatio(spec.constant, rs->mutable_last_ratio());
  if (p.polled) FillPolledHealth(p.health, rs);
}

void FillPersistenceProto(const status::PersistenceStatus& p, v1::PersistenceStatus* ps) {
  if (!p.enabled) {
    ps->set_state(v1::PERSISTENCE_STATE_DISABLED);
    return;
  }
  const history::PersistenceStats& st = p.stats;
  ps->set_state(StateProto(st.state));
  ps->set_data_dir(st.data_dir);
  ps->set_last_error(st.last_error);
  ps->set_persisted_sequence(st.persisted_sequence);
  ps->set_written_event_count(st.events_written);
  ps->set_written_mark_count(st.marks_written);
  ps->set_written_checkpoint_count(st.checkpoints_written);
  ps->set_write_batch_count(st.write_batches);
  ps->set_write_failure_count(st.write_failures);
  ps->set_dropped_record_count(st.dropped_records);
  ps->set_gap_count(st.gaps);
  ps->set_used_ring_bytes(st.ring_bytes_used);
  ps->set_ring_capacity_bytes(st.ring_bytes_capacity);
  ps->set_recovered_sequence(st.recovered_sequence);
  ps->set_restored_checkpoint_sequence(st.restored_checkpoint_sequence);
  ps->set_replayed_event_count(st.replayed_events);
  ps->set_recovery_fault_count(st.recovery_faults);
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
  out->set_message_count(v.messages);
  out->set_rejected_frame_count(v.rejected_frames);
  out->set_excluded_count(v.excluded_count);
  out->set_dropped_event_count(v.dropped_events);
  out->set_source_count(v.source_count);
  out->set_live(v.link.live);
  out->set_quarantined(v.link.quarantined);
  out->set_reconnect_count(v.link.reconnects);
  out->set_venue_error_count(v.link.venue_errors);
  out->set_sequence_gap_count(v.link.sequence_gaps);
  out->set_last_error(v.link.last_error);
}

void FillServingHealthProto(const status::ServingHealthStatus& h, v1::ServingHealth* out) {
  out->set_state(static_cast<v1::ServingState>(h.state));
  if (h.ready_time != 0) FillTimestamp(h.ready_time, out->mutable_ready_time());
  FillDuration(h.since_last_timer, out->mutable_since_last_timer());
  out->set_stall_count(static_cast<int64_t>(h.stall_count));
}

void FillClockProto(const status::ClockStatus& c, v1::ClockStatus* out) {
  out->set_step_count(static_cast<int64_t>(c.step_count));
  if (c.step_count != 0) {
    FillDuration(c.last_step, out->mutable_last_step());
    FillTimestamp(c.last_step_time, out->mutable_last_step_time());
  }
  out->set_stepping(c.stepping);
}

void FillSigningProto(const status::SigningStatus& g, v1::SigningStatus* out) {
  out->set_enabled(g.enabled);
  out->set_key_id(g.key_id);
  out->set_signed_count(static_cast<int64_t>(g.signed_count));
  out->set_failure_count(static_cast<int64_t>(g.failure_count));
  out->set_last_error(g.last_error);
}

void FillAuthProto(const status::AuthStatus& a, v1::AuthStatus* out) {
  out->set_mode(a.mode);
  out->set_tls(a.tls);
  out->set_client_auth(static_cast<v1::ClientAuth>(a.client_auth));
  out->set_identity_count(a.identity_count);
  (*out->mutable_refusal_counts())["UNAUTHENTICATED"] = static_cast<int64_t>(a.unauthenticated);
  (*out->mutable_refusal_counts())["PERMISSION_DENIED"] = static_cast<int64_t>(a.permission_denied);
  for (const auto& [identity, count] : a.refusals_by_identity) {
    (*out->mutable_refusals_by_identity())[identity] = static_cast<int64_t>(count);
  }
  out->set_tokens_file_error(a.tokens_file_error);
}

void FillServerStatusProto(const status::StatusSnapshot& s, v1::ServerStatus* out) {
  FillTimestamp(s.start_time, out->mutable_start_time());
  out->set_config_source(s.config_source);
  out->set_applied_event_count(s.events_applied);
  out->set_accepted_tick_count(s.totals.ticks_accepted);
  out->set_rejected_tick_count(status::TicksRejected(s.totals));
  out->set_out_of_order_tick_count(s.totals.ignored_out_of_order);
  out->set_published_mark_count(s.totals.marks_published);
  out->set_early_publish_count(s.totals.early_publishes);
  out->set_skipped_timer_count(s.timers_skipped);
  for (const status::ProducerStatus& p : s.producers) {
    v1::ProducerStatus* ps = out->add_producers();
    ps->set_name(p.name);
    if (!p.venue.empty()) ps->set_venue(p.venue);
    ps->set_pushed_count(p.pushed);
    ps->set_consumed_count(p.consumed);
    ps->set_dropped_count(p.dropped);
  }
  for (int r = 0; r < kNumErrorReasons; ++r) {
    const std::string name(ErrorReasonName(static_cast<ErrorReason>(r)));
    (*out->mutable_request_error_counts())[name] = s.request_errors[static_cast<size_t>(r)];
  }
  out->set_open_stream_count(static_cast<uint32_t>(s.open_streams));
  for (const status::RateProviderStatus& p : s.rate_providers) {
    FillRateProviderProto(p, out->add_rate_providers());
  }
  FillPersistenceProto(s.persistence, out->mutable_persistence());
  FillServingHealthProto(s.serving, out->mutable_serving());
  FillClockProto(s.clock, out->mutable_clock());
  FillSigningProto(s.signing, out->mutable_signing());
  FillAuthProto(s.auth, out->mutable_auth());
}

}  // namespace oracle
