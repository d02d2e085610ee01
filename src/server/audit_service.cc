#include "audit_service.h"

#include "call_auth.h"
#include "grpc_errors.h"

namespace oracle {

grpc::Status AuditServiceImpl::Finish(grpc::ServerContext* context,
                                      const std::optional<ApiError>& error) {
  if (!error) return grpc::Status::OK;
  return FailCall(context, *error, errors_);
}

std::optional<ApiError> AuditServiceImpl::Authorize(grpc::ServerContext* context, auth::Rpc rpc) {
  auth::Caller caller;
  return AuthorizeCall(ctx_, context, rpc, &caller);
}

grpc::Status AuditServiceImpl::ListMarks(grpc::ServerContext* context,
                                         const v1::ListMarksRequest* request,
                                         v1::ListMarksResponse* response) {
  if (auto refused = Authorize(context, auth::Rpc::kListMarks)) return Finish(context, refused);
  return Finish(context, queries_->ListMarks(*request, response,
                                             [context] { return context->IsCancelled(); }));
}

grpc::Status AuditServiceImpl::GetMarkAt(grpc::ServerContext* context,
                                         const v1::GetMarkAtRequest* request,
                                         v1::GetMarkAtResponse* response) {
  if (auto refused = Authorize(context, auth::Rpc::kGetMarkAt)) return Finish(context, refused);
  return Finish(context, queries_->GetMarkAt(*request, response));
}

grpc::Status AuditServiceImpl::GetTwap(grpc::ServerContext* context,
                                       const v1::GetTwapRequest* request,
                                       v1::GetTwapResponse* response) {
  if (auto refused = Authorize(context, auth::Rpc::kGetTwap)) return Finish(context, refused);
  return Finish(context, queries_->GetTwap(*request, response));
}

grpc::Status AuditServiceImpl::ListEvents(grpc::ServerContext* context,
                                          const v1::ListEventsRequest* request,
                                          v1::ListEventsResponse* response) {
  if (auto refused = Authorize(context, auth::Rpc::kListEvents)) return Finish(context, refused);
  return Finish(context, queries_->ListEvents(*request, response,
                                              [context] { return context->IsCancelled(); }));
}

grpc::Status AuditServiceImpl::VerifyMark(grpc::ServerContext* context,
                                          const v1::VerifyMarkRequest* request,
                                          v1::VerifyMarkResponse* response) {
  if (auto refused = Authorize(context, auth::Rpc::kVerifyMark)) return Finish(context, refused);
  return Finish(context, queries_->VerifyMark(*request, response,
                                              [context] { return context->IsCancelled(); }));
}

}  // namespace oracle
