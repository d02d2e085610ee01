// instruments, venues, status, health: what the server is configured with and how it is doing.
#include <grpcpp/generic/generic_stub.h>

#include <cstdio>

#include "commands.h"
#include "exit_codes.h"
#include "render.h"

namespace oracle::ctl {

int CmdInstruments(Connection& c) {
  v1::ListInstrumentsResponse all;
  const PagingResult r =
      ForEachPage(c, *c.stub, v1::ListInstrumentsRequest(), /*limit=*/0,
                  &v1::OracleService::Stub::ListInstruments,
                  &v1::ListInstrumentsResponse::instruments, [&](const v1::Instrument& i) {
                    *all.add_instruments() = i;
                    return true;
                  });
  if (!r.status.ok()) return ReportRpcError("instruments", r.status, c.addr, r.trailer_reason);
  if (c.json) {
    for (const auto& i : all.instruments()) std::printf("%s\n", Json(i).c_str());
  } else {
    std::printf("%s", InstrumentsTable(all).c_str());
  }
  return kExitOk;
}

int CmdVenues(Connection& c) {
  v1::ListVenuesResponse all;
  const PagingResult r = ForEachPage(c, *c.stub, v1::ListVenuesRequest(), /*limit=*/0,
                                     &v1::OracleService::Stub::ListVenues,
                                     &v1::ListVenuesResponse::venues, [&](const v1::Venue& v) {
                                       *all.add_venues() = v;
                                       return true;
                                     });
  if (!r.status.ok()) return ReportRpcError("venues", r.status, c.addr, r.trailer_reason);
  if (c.json) {
    for (const auto& v : all.venues()) std::printf("%s\n", Json(v).c_str());
  } else {
    std::printf("%s", VenuesTable(all).c_str());
  }
  return kExitOk;
}

int CmdStatus(Connection& c) {
  grpc::ClientContext ctx;
  c.PrepareCall(&ctx);
  v1::ServerStatus status;
  grpc::Status s = c.stub->GetServerStatus(&ctx, v1::GetServerStatusRequest(), &status);
  if (!s.ok()) return ReportRpcError("status", s, c.addr, TrailerReason(ctx));
  if (c.json) {
    std::printf("%s\n", Json(status).c_str());
  } else {
    std::printf("%s", StatusText(status, WallClockNow()).c_str());
  }
  return kExitOk;
}

namespace {

// grpc.health.v1.HealthCheckRequest{service} in protobuf wire format (field 1, a string), so the
// command needs no generated health stubs.
grpc::ByteBuffer HealthRequest(const std::string& service) {
  std::string bytes;
  if (!service.empty()) {
    bytes.push_back(0x0a);
    for (size_t n = service.size();; n >>= 7) {  // varint length
      bytes.push_back(static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
      if (n < 0x80) break;
    }
    bytes += service;
  }
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// HealthCheckResponse.status (field 1, an enum): 1 SERVING, 2 NOT_SERVING, 0 UNKNOWN.
int HealthStatusOf(const grpc::ByteBuffer& reply) {
  std::vector<grpc::Slice> slices;
  if (!reply.Dump(&slices).ok()) return -1;
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  if (bytes.empty()) return 0;
  if (bytes.size() < 2 || bytes[0] != 0x08) return -1;
  return static_cast<unsigned char>(bytes[1]);
}

}  // namespace

int CmdHealth(Connection& c, const CliArgs& args) {
  const std::string service =
      args.positionals().size() > 1 ? args.positionals()[1] : "oracle.v1.OracleService";
  grpc::GenericStub stub(c.channel);
  grpc::ClientContext ctx;
  c.PrepareCall(&ctx);
  grpc::ByteBuffer reply;
  grpc::Status s;
  grpc::CompletionQueue cq;
  auto call =
      stub.PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", HealthRequest(service), &cq);
  call->StartCall();
  call->Finish(&reply, &s, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  if (!s.ok()) return ReportRpcError("health", s, c.addr, TrailerReason(ctx));
  const int status = HealthStatusOf(reply);
  const char* names[] = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
  const char* name = status >= 0 && status <= 3 ? names[status] : "UNREADABLE";
  if (c.json) {
    std::printf("{\"service\":\"%s\",\"status\":\"%s\"}\n", service.c_str(), name);
  } else {
    std::printf("%s %s\n", service.empty() ? "(server)" : service.c_str(), name);
  }
  return status == 1 ? kExitOk : kExitNotOk;
}

}  // namespace oracle::ctl
