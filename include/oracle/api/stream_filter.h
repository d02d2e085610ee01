// Per-subscription filtering of published marks for StreamMarks, without gRPC.
//
// A subscription follows a set of instruments. CollectDue() reads the latest marks from the table
// (lock-free) and returns those that should be sent now: the first mark of each instrument, then a
// new mark when min_interval has passed since the last one sent and, if deviation_bps is set, its
// price moved that far or its status changed (a price-less mark repeating the status of the last
// one sent is no change); and the latest mark again when `heartbeat` has passed
// without a send. Because it always reads the newest mark, a subscriber that is slow to take
// messages is conflated: it skips intermediate marks instead of queueing them. Not thread-safe; one
// dispatcher thread owns each subscription's state.
#ifndef ORACLE_API_STREAM_FILTER_H_
#define ORACLE_API_STREAM_FILTER_H_

#include <cstdint>
#include <vector>

#include "oracle/aggregation/mark_table.h"

namespace oracle {

struct StreamFilterParams {
  DurationNs min_interval_ns = 0;
  uint32_t deviation_bps = 0;
  DurationNs heartbeat_ns = 0;
};

class StreamFilter {
 public:
  StreamFilter(const std::vector<uint32_t>& instruments, StreamFilterParams params);

  // Appends the marks due at wall time `now` to *out and records them as sent.
  void CollectDue(const MarkTable& table, TimeNs now, std::vector<Mark>* out);

  // Marks that were published but filtered out or conflated (skipped) so far.
  uint64_t skipped() const noexcept { return skipped_; }

 private:
  struct PerInstrument {
    uint32_t instrument = 0;
    bool sent = false;
    uint64_t last_sent_sequence = 0;
    uint64_t last_seen_sequence = 0;
    int64_t last_price = 0;
    bool last_has_price = false;
    MarkStatus last_status = MarkStatus::kUnspecified;
    TimeNs last_sent_time = 0;
  };
  std::vector<PerInstrument> state_;
  StreamFilterParams params_;
  uint64_t skipped_ = 0;
};

}  // namespace oracle

#endif  // ORACLE_API_STREAM_FILTER_H_
