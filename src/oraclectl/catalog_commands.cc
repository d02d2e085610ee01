// instruments, venues, status: what the server is configured with and how it is doing.
#include <cstdio>

#include "commands.h"
#include "exit_codes.h"
#include "render.h"

namespace oracle::ctl {

int CmdInstruments(Connection& c) {
  v1::ListInstrumentsResponse all;
  std::string token;
  do {
    v1::ListInstrumentsRequest req;
    req.set_page_size(1000);
    req.set_page_token(token);
    grpc::ClientContext ctx;
    c.SetDeadline(&ctx);
    v1::ListInstrumentsResponse page;
    grpc::Status s = c.stub->ListInstruments(&ctx, req, &page);
    if (!s.ok()) return ReportRpcError("instruments", s, c.addr);
    for (auto& i : *page.mutable_instruments()) *all.add_instruments() = std::move(i);
    token = page.next_page_token();
  } while (!token.empty());
  if (c.json) {
    for (const auto& i : all.instruments()) std::printf("%s\n", Json(i).c_str());
  } else {
    std::printf("%s", InstrumentsTable(all).c_str());
  }
  return kExitOk;
}

int CmdVenues(Connection& c) {
  v1::ListVenuesResponse all;
  std::string token;
  do {
    v1::ListVenuesRequest req;
    req.set_page_size(1000);
    req.set_page_token(token);
    grpc::ClientContext ctx;
    c.SetDeadline(&ctx);
    v1::ListVenuesResponse page;
    grpc::Status s = c.stub->ListVenues(&ctx, req, &page);
    if (!s.ok()) return ReportRpcError("venues", s, c.addr);
    for (auto& v : *page.mutable_venues()) *all.add_venues() = std::move(v);
    token = page.next_page_token();
  } while (!token.empty());
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
  if (!s.ok()) return ReportRpcError("status", s, c.addr);
  if (c.json) {
    std::printf("%s\n", Json(status).c_str());
  } else {
    std::printf("%s", StatusText(status, WallClockNow()).c_str());
  }
  return kExitOk;
}

}  // namespace oracle::ctl
