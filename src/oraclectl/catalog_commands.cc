// instruments, venues, status: what the server is configured with and how it is doing.
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
  c.SetDeadline(&ctx);
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

}  // namespace oracle::ctl
