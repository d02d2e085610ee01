// The formats of oraclectl's audit commands, without gRPC: TIME arguments, exact decimals, CSV rows
// of marks and stored events. No I/O, no clock (the caller passes `now`); thread-safe. (In the
// namespace of oraclectl, whose formats they are.)
#ifndef ORACLE_EXPORT_EXPORT_FORMAT_H_
#define ORACLE_EXPORT_EXPORT_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "oracle/core/time.h"
#include "oracle/v1/audit.pb.h"

namespace oracle::ctl {

TimeNs FromTimestamp(const google::protobuf::Timestamp& t);
DurationNs FromDuration(const google::protobuf::Duration& d);
void ToTimestamp(TimeNs t, google::protobuf::Timestamp* out);

// A TIME argument: RFC 3339 ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00.25+01:00"), integer
// nanoseconds since the epoch ("1795341600000000000"), or "-" and a duration ("-5m", "-1.5h",
// "-30s") meaning that long before `now`. False on anything else.
bool ParseTimeArg(std::string_view text, TimeNs now, TimeNs* out) noexcept;

// RFC 3339 in UTC with all nine fractional digits: "2026-11-22T10:00:00.250000000Z".
std::string Rfc3339Nanos(TimeNs t);

// mantissa * 10^exponent as a plain decimal string, exactly and at the given scale (trailing zeros
// of the mantissa kept): (38001500, -4) -> "3800.1500", (-5, -3) -> "-0.005", (15, 2) -> "1500".
// Exponents beyond +-1000 (never sent by oracled) are written "15e2000" rather than as a
// thousand-digit string.
std::string ExactDecimal(int64_t mantissa, int32_t exponent);
inline std::string ExactDecimal(const v1::Decimal& d) {
  return ExactDecimal(d.mantissa(), d.exponent());
}

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
std::string CsvField(std::string_view s);

// Enum names without their prefix: "OK", "OUTLIERS_PRESENT"; the number when the name is unknown
// (`name` empty: a value newer than this build). EnumLabel is the general form:
// EnumLabel(v1::RedemptionPolicy_Name(p), "REDEMPTION_POLICY_", p) -> "LOWER_OF".
std::string EnumLabel(const std::string& name, std::string_view prefix, int number);
std::string MarkStatusName(v1::MarkStatus s);
std::string EventTypeName(v1::StoredEventType t);  // "TRADE", "QUOTE", "RATE", "TIMER"
std::string EventResultName(v1::EventResult r);    // "ACCEPTED", "REJECTED_CROSSED_BOOK", ...
std::string MarkFlagName(int flag);

// CSV of marks and of stored events: the header row and one row per record, each ending in "\n".
// Absent decimals and times are empty fields.
//   marks:  instrument,publish_time,publish_time_ns,price,confidence,status,status_reason,flags,
//           venues_used,venues_required,sequence,key_id,signature
//   events: sequence,type,venue,pair,rate_source,event_time,recv_time,price,size,bid,ask,
//           venue_sequence,result
// flags are ';'-joined names, signature is base64, times are Rfc3339Nanos.
std::string MarkCsvHeader();
std::string MarkCsvRow(const v1::Mark& m);
std::string EventCsvHeader();
std::string EventCsvRow(const v1::StoredEvent& e);

}  // namespace oracle::ctl

#endif  // ORACLE_EXPORT_EXPORT_FORMAT_H_
