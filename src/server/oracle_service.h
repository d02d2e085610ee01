// The OracleService gRPC handlers (callback API). Private to the server module.
#ifndef ORACLE_SRC_SERVER_ORACLE_SERVICE_H_
#define ORACLE_SRC_SERVER_ORACLE_SERVICE_H_

#include "oracle/api/errors.h"
#include "oracle/v1/oracle.grpc.pb.h"
#include "service_context.h"
#include "stream_hub.h"

namespace oracle {

class OracleServiceImpl final : public v1::OracleService::CallbackService {
 public:
  OracleServiceImpl(const ServiceContext& ctx, StreamHub* hub) : ctx_(ctx), hub_(hub) {}

  grpc::ServerUnaryReactor* GetMark(grpc::CallbackServerContext* context,
                                    const v1::GetMarkRequest* request, v1::Mark* response) override;
  grpc::ServerUnaryReactor* BatchGetMarks(grpc::CallbackServerContext* context,
                                          const v1::BatchGetMarksRequest* request,
                                          v1::BatchGetMarksResponse* response) override;
  grpc::ServerWriteReactor<v1::StreamMarksResponse>* StreamMarks(
      grpc::CallbackServerContext* context, const v1::StreamMarksRequest* request) override;
  grpc::ServerUnaryReactor* ListInstruments(grpc::CallbackServerContext* context,
                                            const v1::ListInstrumentsRequest* request,
                                            v1::ListInstrumentsResponse* response) override;
  grpc::ServerUnaryReactor* ListVenues(grpc::CallbackServerContext* context,
                                       const v1::ListVenuesRequest* request,
                                       v1::ListVenuesResponse* response) override;
  grpc::ServerUnaryReactor* GetServerStatus(grpc::CallbackServerContext* context,
                                            const v1::GetServerStatusRequest* request,
                                            v1::ServerStatus* response) override;

 private:
  grpc::ServerUnaryReactor* Fail(grpc::CallbackServerContext* context, const ApiError& error);

  ServiceContext ctx_;
  StreamHub* hub_;
};

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_ORACLE_SERVICE_H_
