// Renders the status snapshot (oracle/status/status_snapshot.h) to the API's messages:
// GetServerStatus and ListVenues. Pure; allocates the messages' strings. Private to the server.
#ifndef ORACLE_SRC_SERVER_STATUS_PROTO_H_
#define ORACLE_SRC_SERVER_STATUS_PROTO_H_

#include "oracle/status/status_snapshot.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle {

void FillVenueProto(const status::VenueStatus& venue, v1::Venue* out);
void FillServerStatusProto(const status::StatusSnapshot& snapshot, v1::ServerStatus* out);

}  // namespace oracle

#endif  // ORACLE_SRC_SERVER_STATUS_PROTO_H_
