// Human-readable rendering of API messages for oraclectl.
#ifndef ORACLE_SRC_ORACLECTL_RENDER_H_
#define ORACLE_SRC_ORACLECTL_RENDER_H_

#include <string>

#include "oracle/core/time.h"
#include "oracle/v1/audit.pb.h"
#include "oracle/v1/oracle.pb.h"

namespace oracle::ctl {

std::string DecimalText(const v1::Decimal& d);
std::string StatusText(v1::MarkStatus s);
// One line: instrument, price ± confidence, status, venues, sequence, age.
std::string MarkLine(const v1::Mark& m, TimeNs now);
// MarkLine plus flags and the per-venue provenance table.
std::string MarkDetail(const v1::Mark& m, TimeNs now);
std::string InstrumentsTable(const v1::ListInstrumentsResponse& r);
std::string VenuesTable(const v1::ListVenuesResponse& r);
std::string StatusText(const v1::ServerStatus& s, TimeNs now);

// Audit commands. History and events: a header row, then one line per record.
std::string MarkHistoryHeader();
std::string MarkHistoryLine(const v1::Mark& m);
std::string EventHeader();
std::string EventLine(const v1::StoredEvent& e);
// `at`: MarkDetail as of `at`, the event that published the mark and how long it had been in
// force.
std::string MarkAtText(const v1::GetMarkAtResponse& r, TimeNs at);
std::string TwapText(const std::string& instrument, const v1::GetTwapResponse& r, TimeNs from,
                     TimeNs to);
// Stored vs recomputed, match, differences, checkpoint and replayed range, signature.
std::string VerifyText(const v1::VerifyMarkResponse& r);

}  // namespace oracle::ctl

#endif  // ORACLE_SRC_ORACLECTL_RENDER_H_
