// One published mark as a JSON line, the replay output format:
//   {"time":"2025-10-10T21:36:00.300Z","instrument":"USDE-USD","price":"0.99991","confidence":"0.00012",
//    "status":"OK","flags":["OUTLIERS_PRESENT"],"venues_used":5,"sequence":1234}
// `price` and `confidence` are exact decimals (null when the mark has no price). Keys always appear
// in this order and numbers are formatted exactly, so equal marks give equal bytes.
#ifndef ORACLE_REPLAY_MARK_JSON_H_
#define ORACLE_REPLAY_MARK_JSON_H_

#include <string>

#include "oracle/aggregation/mark.h"
#include "oracle/config/config.h"

namespace oracle {

// Appends the line (with a trailing newline). With `provenance`, adds "status_reason" and a
// "sources" array (venue, pair, price, weight, age_ms, excluded, outlier) before the newline.
void AppendMarkJson(const Config& config, const Mark& mark, bool provenance, std::string* out);

}  // namespace oracle

#endif  // ORACLE_REPLAY_MARK_JSON_H_
