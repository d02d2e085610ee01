// The gRPC face of AuditService (proto/oracle/v1/audit.proto): synchronous handlers on gRPC's
// thread pool, each a call into history::AuditQueries. Private to the server module.
#ifndef ORACLE_SRC_SERVER_AUDIT_SERVICE_H_
#define ORACLE_SRC_SERVER_AUDIT_SERVICE_H_

#include "oracle/api/errors.h"
#include "oracle/auth/auth.h"
#include "oracle/history/audit.h"
#include "oracle/v1/audit.grpc.pb.h"
#include "service_context.h"

namespace oracle {

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  explicit AuditServiceImpl(const ServiceContext& ctx)
      : ctx_(ctx), queries_(ctx.audit), errors_(&ctx.counters->errors) {}

  grpc::Status ListMarks(grpc::ServerContext* context, const v1::ListMarksRequest* request,
                         v1::ListMarksResponse* response) override;
  grpc::Status GetMarkAt(grpc::ServerContext* context, const v1::GetMarkAtRequest* request,
                         v1::GetMarkAtResponse* response) override;
  grpc::Status GetTwap(grpc::ServerContext* context, const v1::GetTwapRequest* request,
                       v1::GetTwapResponse* response) override;
  grpc::Status ListEvents(grpc::ServerContext* context, const v1::ListEventsRequest* request,
                          v1::ListEventsResponse* response) override;
  grpc::Status VerifyMark(grpc::ServerContext* context, const v1::VerifyMarkRequest* request,
                          v1::VerifyMarkResponse* response) override;

 private:
  grpc::Status Finish(grpc::ServerContext* context, const std::optional<ApiError>& error);
  // The caller may make this call; else the refusal to finish with.
  std::optional<ApiError> Authorize(grpc::ServerContext* context, auth::Rpc rpc);

  const ServiceContext& ctx_;

  const history::AuditQueries* queries_;
  RequestErrorCounters* errors_;
};

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_AUDIT_SERVICE_H_
