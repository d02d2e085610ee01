#include "oracle_service.h"

#include "absl/strings/str_cat.h"
#include "call_auth.h"
#include "google/rpc/status.pb.h"
#include "grpc_errors.h"
#include "oracle/api/error_status.h"
#include "oracle/api/errors.h"
#include "oracle/api/mark_lookup.h"
#include "oracle/api/mark_proto.h"
#include "oracle/api/paging.h"
#include "oracle/api/serving_counters.h"
#include "oracle/signing/signature_cache.h"
#include "oracle/status/status_snapshot.h"
#include "status_proto.h"

namespace oracle {
namespace {

constexpr PageLimits kListPageLimits{.default_size = 100, .max_size = 1000};

grpc::ServerUnaryReactor* FinishOk(grpc::CallbackServerContext* context) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

std::optional<ApiError> CheckMaxAge(const google::protobuf::Duration& d, DurationNs* out) {
  if (d.seconds() < 0 || d.nanos() < 0) {
    return ApiError{.reason = ErrorReason::kInvalidArgument,
                    .message = absl::StrCat("max_age: ", d.seconds(), "s ", d.nanos(),
                                            "ns is negative; omit it or give a positive duration"),
                    .field = "max_age"};
  }
  *out = DurationFromProto(d);
  return std::nullopt;
}

// Both lists are fixed by the configuration, so a token is bound to the list and to the
// configuration's fingerprint: after a reload with other instruments it is refused, not misread.
std::optional<ApiError> ReadPage(const char* list, const Config& config, int32_t page_size,
                                 const std::string& token, size_t total, size_t* offset,
                                 size_t* size, uint64_t* query) {
  int n = 0;
  if (auto e = CoercePageSize(page_size, kListPageLimits, &n)) return e;
  *size = static_cast<size_t>(n);
  *query = PageQueryHash(absl::StrCat(list, "|", config.fingerprint));
  return ReadOffsetToken(token, *query, total, offset);
}

}  // namespace

grpc::ServerUnaryReactor* OracleServiceImpl::Fail(grpc::CallbackServerContext* context,
                                                  const ApiError& error) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(FailCall(context, error, &ctx_.counters->errors));
  return reactor;
}

grpc::ServerUnaryReactor* OracleServiceImpl::GetMark(grpc::CallbackServerContext* context,
                                                     const v1::GetMarkRequest* request,
                                                     v1::Mark* response) {
  auth::Caller caller;
  if (auto e = AuthorizeCall(ctx_, context, auth::Rpc::kGetMark, &caller)) {
    return Fail(context, *e);
  }
  DurationNs max_age = 0;
  if (auto e = CheckMaxAge(request->max_age(), &max_age)) return Fail(context, *e);
  max_age = EffectiveMaxAge(*ctx_.config, caller, max_age);
  if (auto e = CheckMaxConfidenceBps(request->max_confidence_bps())) return Fail(context, *e);
  const ReadLimits limits{.max_age_ns = max_age,
                          .max_confidence_bps = request->max_confidence_bps()};
  Mark mark;
  if (auto e = ctx_.lookup->Read(request->instrument(), limits, WallClockNow(), &mark)) {
    return Fail(context, *e);
  }
  FillMarkProto(*ctx_.config, mark, request->view() != v1::MARK_VIEW_BASIC, response);
  ctx_.signatures->Sign(mark.instrument, response);
  return FinishOk(context);
}

grpc::ServerUnaryReactor* OracleServiceImpl::BatchGetMarks(grpc::CallbackServerContext* context,
                                                           const v1::BatchGetMarksRequest* request,
                                                           v1::BatchGetMarksResponse* response) {
  auth::Caller caller;
  if (auto e = AuthorizeCall(ctx_, context, auth::Rpc::kBatchGetMarks, &caller)) {
    return Fail(context, *e);
  }
  const uint32_t limit = ctx_.config->max_batch_instruments;
  if (request->instruments_size() == 0) {
    return Fail(context, ApiError{.reason = ErrorReason::kInvalidArgument,
                                  .message = "instruments: name at least one instrument",
                                  .field = "instruments"});
  }
  if (static_cast<uint32_t>(request->instruments_size()) > limit) {
    return Fail(context,
                ApiError{.reason = ErrorReason::kBatchTooLarge,
                         .message = absl::StrCat("instruments: ", request->instruments_size(),
                                                 " names, at most ", limit, " per call"),
                         .field = "instruments",
                         .metadata = {
                             {"maxInstrumentsPerCall", absl::StrCat(limit)},
                             {"instrumentsRequested", absl::StrCat(request->instruments_size())}}});
  }
  DurationNs max_age = 0;
  if (auto e = CheckMaxAge(request->max_age(), &max_age)) return Fail(context, *e);
  max_age = EffectiveMaxAge(*ctx_.config, caller, max_age);
  if (auto e = CheckMaxConfidenceBps(request->max_confidence_bps())) return Fail(context, *e);
  const ReadLimits limits{.max_age_ns = max_age,
                          .max_confidence_bps = request->max_confidence_bps()};
  const bool full = request->view() != v1::MARK_VIEW_BASIC;
  const TimeNs now = WallClockNow();
  Mark mark;
  response->mutable_results()->Reserve(request->instruments_size());
  for (int i = 0; i < request->instruments_size(); ++i) {
    const std::string& name = request->instruments(i);
    v1::MarkResult* result = response->add_results();
    result->set_instrument(name);
    if (auto e = ctx_.lookup->ReadBatchEntry(i, name, limits, now, &mark)) {
      ctx_.counters->errors.Count(e->reason);
      FillErrorStatus(*e, result->mutable_error_status());
    } else {
      FillMarkProto(*ctx_.config, mark, full, result->mutable_mark());
      ctx_.signatures->Sign(mark.instrument, result->mutable_mark());
    }
  }
  return FinishOk(context);
}

grpc::ServerWriteReactor<v1::StreamMarksResponse>* OracleServiceImpl::StreamMarks(
    grpc::CallbackServerContext* context, const v1::StreamMarksRequest* request) {
  auth::Caller caller;
  return hub_->Open(context, request,
                    AuthorizeCall(ctx_, context, auth::Rpc::kStreamMarks, &caller));
}

grpc::ServerUnaryReactor* OracleServiceImpl::ListInstruments(
    grpc::CallbackServerContext* context, const v1::ListInstrumentsRequest* request,
    v1::ListInstrumentsResponse* response) {
  auth::Caller caller;
  if (auto e = AuthorizeCall(ctx_, context, auth::Rpc::kListInstruments, &caller)) {
    return Fail(context, *e);
  }
  const size_t total = ctx_.config->instruments.size();
  size_t offset = 0, size = 0;
  uint64_t query = 0;
  if (auto e = ReadPage("instruments", *ctx_.config, request->page_size(), request->page_token(),
                        total, &offset, &size, &query)) {
    return Fail(context, *e);
  }
  for (size_t i = offset; i < total && i < offset + size; ++i) {
    FillInstrumentProto(*ctx_.config, ctx_.config->instruments[i], response->add_instruments());
  }
  response->set_next_page_token(NextOffsetToken(query, offset, size, total));
  return FinishOk(context);
}

grpc::ServerUnaryReactor* OracleServiceImpl::ListVenues(grpc::CallbackServerContext* context,
                                                        const v1::ListVenuesRequest* request,
                                                        v1::ListVenuesResponse* response) {
  auth::Caller caller;
  if (auto e = AuthorizeCall(ctx_, context, auth::Rpc::kListVenues, &caller)) {
    return Fail(context, *e);
  }
  const size_t total = ctx_.config->venues.size();
  size_t offset = 0, size = 0;
  uint64_t query = 0;
  if (auto e = ReadPage("venues", *ctx_.config, request->page_size(), request->page_token(), total,
                        &offset, &size, &query)) {
    return Fail(context, *e);
  }
  const std::vector<status::VenueStatus> venues =
      status::GatherVenueStatus(*ctx_.status, WallClockNow());
  for (size_t v = offset; v < total && v < offset + size; ++v) {
    v1::Venue* venue = response->add_venues();
    FillVenueProto(venues[v], venue);
    // Venue error strings can name endpoints and their failures: operators only.
    if (!caller.unrestricted && !auth::SeesVenueErrors(caller.role)) venue->clear_last_error();
  }
  response->set_next_page_token(NextOffsetToken(query, offset, size, total));
  return FinishOk(context);
}

grpc::ServerUnaryReactor* OracleServiceImpl::GetServerStatus(
    grpc::CallbackServerContext* context, const v1::GetServerStatusRequest* /*request*/,
    v1::ServerStatus* response) {
  auth::Caller caller;
  if (auto e = AuthorizeCall(ctx_, context, auth::Rpc::kGetServerStatus, &caller)) {
    return Fail(context, *e);
  }
  FillServerStatusProto(status::GatherStatus(*ctx_.status, WallClockNow()), response);
  return FinishOk(context);
}

}  // namespace oracle
