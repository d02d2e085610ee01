#include "oracle_service.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "oracle/history/persister.h"
#include "oracle/rates/rate_source.h"
#include "oracle/api/errors.h"
#include "oracle/api/mark_proto.h"
#include "oracle/signing/signature_cache.h"

namespace oracle {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

grpc::ServerUnaryReactor* FinishOk(grpc::CallbackServerContext* context) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

std::optional<ApiError> CheckMaxAge(const google::protobuf::Duration& d, DurationNs* out) {
  if (d.seconds() < 0 || d.nanos() < 0) {
    return ApiError{ErrorReason::kInvalidArgument,
                    absl::StrCat("max_age: ", d.seconds(), "s ", d.nanos(),
                                 "ns is negative; omit it or give a positive duration")};
  }
  *out = DurationFromProto(d);
  return std::nullopt;
}

// Page tokens are "p<offset>"; opaque to clients, checked here.
std::optional<ApiError> ParsePage(int32_t page_size, const std::string& token, size_t total,
                                  size_t* offset, size_t* size) {
  if (page_size < 0) {
    return ApiError{ErrorReason::kInvalidArgument,
                    absl::StrCat("page_size: ", page_size, " is negative")};
  }
  *size = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  *offset = 0;
  if (token.empty()) return std::nullopt;
  size_t v = 0;
  auto [ptr, ec] = std::from_chars(token.data() + 1, token.data() + token.size(), v);
  if (token[0] != 'p' || ec != std::errc() || ptr != token.data() + token.size() || v == 0 ||
      v > total) {
    return ApiError{ErrorReason::kInvalidPageToken,
                    "page_token: not a token this list returned; start again without one"};
  }
  *offset = v;
  return std::nullopt;
}

std::string NextToken(size_t offset, size_t size, size_t total) {
  return offset + size < total ? absl::StrCat("p", offset + size) : std::string();
}

}  // namespace

// The single place an ApiError becomes a unary gRPC status: code, "REASON: message", the reason in
// trailing metadata, and a count for GetServerStatus. (Streams do the same in stream_hub.cc.)
grpc::ServerUnaryReactor* OracleServiceImpl::Fail(grpc::CallbackServerContext* context,
                                                  const ApiError& error) {
  ctx_.errors->Count(error.reason);
  std::string_view reason = ErrorReasonName(error.reason);
  context->AddTrailingMetadata(kErrorReasonMetadataKey, std::string(reason));
  auto* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status(static_cast<grpc::StatusCode>(ErrorGrpcCode(error.reason)),
                               ErrorStatusMessage(error)));
  return reactor;
}

grpc::ServerUnaryReactor* OracleServiceImpl::GetMark(grpc::CallbackServerContext* context,
                                                     const v1::GetMarkRequest* request,
                                                     v1::Mark* response) {
  DurationNs max_age = 0;
  if (auto e = CheckMaxAge(request->max_age(), &max_age)) return Fail(context, *e);
  Mark mark;
  if (auto e = ctx_.lookup->Lookup(request->instrument(), max_age, WallClockNow(), &mark)) {
    return Fail(context, *e);
  }
  FillMarkProto(*ctx_.config, mark, request->view() != v1::MARK_VIEW_BASIC, response);
  ctx_.signatures->Sign(mark.instrument, response);
  return FinishOk(context);
}

grpc::ServerUnaryReactor* OracleServiceImpl::BatchGetMarks(grpc::CallbackServerContext* context,
                                                           const v1::BatchGetMarksRequest* request,
                                                           v1::BatchGetMarksResponse* response) {
  const uint32_t limit = ctx_.config->max_batch_instruments;
  if (request->instruments_size() == 0) {
    return Fail(context, ApiError{ErrorReason::kInvalidArgument,
                                  "instruments: name at least one instrument"});
  }
  if (static_cast<uint32_t>(request->instruments_size()) > limit) {
    return Fail(context, ApiError{ErrorReason::kBatchTooLarge,
                                  absl::StrCat("instruments: ", request->instruments_size(),
                                               " names, at most ", limit, " per call")});
  }
  DurationNs max_age = 0;
  if (auto e = CheckMaxAge(request->max_age(), &max_age)) return Fail(context, *e);
  const bool full = request->view() != v1::MARK_VIEW_BASIC;
  const TimeNs now = WallClockNow();
  Mark mark;
  response->mutable_results()->Reserve(request->instruments_size());
  for (const std::string& name : request->instruments()) {
    v1::MarkResult* result = response->add_results();
    result->set_instrument(name);
    if (auto e = ctx_.lookup->Lookup(name, max_age, now, &mark)) {
      ctx_.errors->Count(e->reason);
      v1::MarkError* err = result->mutable_error();
      err->set_code(ErrorGrpcCode(e->reason));
      std::string_view reason = ErrorReasonName(e->reason);
      err->set_reason(reason.data(), reason.size());
      err->set_message(e->message);
    } else {
      FillMarkProto(*ctx_.config, mark, full, result->mutable_mark());
      ctx_.signatures->Sign(mark.instrument, result->mutable_mark());
    }
  }
  return FinishOk(context);
}

grpc::ServerWriteReactor<v1::StreamMarksResponse>* OracleServiceImpl::StreamMarks(
    grpc::CallbackServerContext* context, const v1::StreamMarksRequest* request) {
  return hub_->Open(context, request);
}

grpc::ServerUnaryReactor* OracleServiceImpl::ListInstruments(
    grpc::CallbackServerContext* context, const v1::ListInstrumentsRequest* request,
    v1::ListInstrumentsResponse* response) {
  const size_t total = ctx_.config->instruments.size();
  size_t offset = 0, size = 0;
  if (auto e = ParsePage(request->page_size(), request->page_token(), total, &offset, &size)) {
    return Fail(context, *e);
  }
  for (size_t i = offset; i < total && i < offset + size; ++i) {
    FillInstrumentProto(*ctx_.config, ctx_.config->instruments[i], response->add_instruments());
  }
  response->set_next_page_token(NextToken(offset, size, total));
  return FinishOk(context);
}

grpc::ServerUnaryReactor* OracleServiceImpl::ListVenues(grpc::CallbackServerContext* context,
                                                        const v1::ListVenuesRequest* request,
                                                        v1::ListVenuesResponse* response) {
  const Config& cfg = *ctx_.config;
  const size_t total = cfg.venues.size();
  size_t offset = 0, size = 0;
  if (auto e = ParsePage(request->page_size(), request->page_token(), total, &offset, &size)) {
    return Fail(context, *e);
  }
  std::vector<VenueLinkHealth> links(total);
  for (const auto& source : *ctx_.sources) source->AddHealth(&links);
  std::vector<uint32_t> source_counts(total, 0);
  for (const auto& ins : cfg.instruments) {
    for (const auto& s : ins.sources) ++source_counts[s.venue_id];
  }
  const TimeNs now = WallClockNow();
  for (size_t v = offset; v < total && v < offset + size; ++v) {
    const VenueCounters& c = ctx_.engine->venue_counters(static_cast<uint32_t>(v));
    v1::Venue* out = response->add_venues();
    out->set_name(cfg.venues[v].name);
    out->set_display_name(cfg.venues[v].display_name);
    out->set_connected(links[v].connected);
    TimeNs last = c.last_message_time.load(std::memory_order_relaxed);
    if (last != 0) {
      FillDuration(std::max<DurationNs>(0, now - last), out->mutable_last_message_age());
      FillTimestamp(last, out->mutable_last_message_time());
    }
    out->set_messages(c.messages.load(std::memory_order_relaxed));
    out->set_rejected_frames(c.rejected.load(std::memory_order_relaxed) + links[v].frames_rejected);
    out->set_excluded_count(c.excluded.load(std::memory_order_relaxed));
    out->set_dropped_events(ctx_.runner->dropped_for_venue(static_cast<int>(v)));
    out->set_sources(source_counts[v]);
    out->set_live(links[v].live);
    out->set_quarantined(links[v].quarantined);
    out->set_reconnects(links[v].reconnects);
    out->set_venue_errors(links[v].venue_errors);
    out->set_sequence_gaps(links[v].sequence_gaps);
    out->set_last_error(links[v].last_error);
  }
  response->set_next_page_token(NextToken(offset, size, total));
  return FinishOk(context);
}

}  // namespace oracle

namespace oracle {

grpc::ServerUnaryReactor* OracleServiceImpl::GetServerStatus(
    grpc::CallbackServerContext* context, const v1::GetServerStatusRequest* /*request*/,
    v1::ServerStatus* response) {
  const Config& cfg = *ctx_.config;
  FillTimestamp(ctx_.start_time, response->mutable_start_time());
  response->set_config_source(cfg.source_name);
  response->set_events_applied(ctx_.runner->events_applied());
  const EngineTotals t = ctx_.engine->SharedTotals();
  response->set_ticks_accepted(t.ticks_accepted);
  response->set_ticks_rejected(t.rejected_non_positive + t.rejected_crossed + t.rejected_future +
                               t.rejected_out_of_range + t.rejected_unknown_feed);
  response->set_ticks_out_of_order(t.ignored_out_of_order);
  response->set_marks_published(t.marks_published);
  response->set_early_publishes(t.early_publishes);
  response->set_timers_skipped(ctx_.runner->timers_skipped());
  for (const auto& p : ctx_.runner->producer_stats()) {
    v1::ProducerStatus* ps = response->add_producers();
    ps->set_name(p.name);
    if (p.venue_id >= 0) ps->set_venue(cfg.venues[static_cast<size_t>(p.venue_id)].name);
    ps->set_pushed(p.pushed);
    ps->set_consumed(p.consumed);
    ps->set_dropped(p.dropped);
  }
  for (int r = 0; r < kNumErrorReasons; ++r) {
    const auto reason = static_cast<ErrorReason>(r);
    std::string_view name = ErrorReasonName(reason);
    (*response->mutable_request_errors())[std::string(name)] = ctx_.errors->Get(reason);
  }
  response->set_open_streams(static_cast<uint32_t>(hub_->open_streams()));
  {
    std::vector<rates::RateProviderHealth> polled;
    if (ctx_.rates != nullptr) polled = ctx_.rates->Health();
    for (const RateProviderSpec& p : cfg.rate_providers) {
      v1::RateProviderStatus* rs = response->add_rate_providers();
      rs->set_name(p.name);
      rs->set_pair(p.pair);
      rs->set_kind(p.kind == RateProviderKind::kEvmCall           ? "EVM_CALL"
                   : p.kind == RateProviderKind::kSolanaStakePool ? "SOLANA_STAKE_POOL"
                                                                  : "CONSTANT");
      if (p.kind == RateProviderKind::kConstant) {
        rs->mutable_last_ratio()->set_mantissa(p.constant.mantissa);
        rs->mutable_last_ratio()->set_exponent(p.constant.exponent);
      }
      for (const rates::RateProviderHealth& h : polled) {
        if (h.name != p.name) continue;
        rs->set_polled(true);
        rs->set_polls(h.polls);
        rs->set_failures(h.failures);
        rs->set_disagreements(h.disagreements);
        rs->set_pushed(h.pushed);
        if (h.pushed > 0) {
          rs->mutable_last_ratio()->set_mantissa(h.last_ratio.mantissa);
          rs->mutable_last_ratio()->set_exponent(h.last_ratio.exponent);
        }
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
          es->mutable_last_ratio()->set_mantissa(e.last_ratio.mantissa);
          es->mutable_last_ratio()->set_exponent(e.last_ratio.exponent);
          es->set_last_error(e.last_error);
        }
      }
    }
  }
  v1::PersistenceStatus* ps = response->mutable_persistence();
  if (ctx_.persister == nullptr) {
    ps->set_state("DISABLED");
  } else {
    const history::PersistenceStats st = ctx_.persister->stats();
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
  auto* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace oracle
