// Converts the core's values into API messages (server and history).
#ifndef ORACLE_API_MARK_PROTO_H_
#define ORACLE_API_MARK_PROTO_H_

#include "oracle/aggregation/mark.h"
#include "oracle/config/config.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle {

void FillTimestamp(TimeNs t, google::protobuf::Timestamp* out);
void FillDuration(DurationNs d, google::protobuf::Duration* out);
DurationNs DurationFromProto(const google::protobuf::Duration& d);

// `full` adds the per-venue provenance (`sources`).
void FillMarkProto(const Config& config, const Mark& mark, bool full, v1::Mark* out);

void FillInstrumentProto(const Config& config, const InstrumentSpec& spec, v1::Instrument* out);

}  // namespace oracle

#endif  // ORACLE_API_MARK_PROTO_H_
