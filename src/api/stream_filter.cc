#include "oracle/api/stream_filter.h"

namespace oracle {

StreamFilter::StreamFilter(const std::vector<uint32_t>& instruments, StreamFilterParams params)
    : params_(params) {
  state_.reserve(instruments.size());
  for (uint32_t i : instruments) {
    PerInstrument p;
    p.instrument = i;
    state_.push_back(p);
  }
}

void StreamFilter::CollectDue(const MarkTable& table, TimeNs now, std::vector<Mark>* out) {
  for (PerInstrument& st : state_) {
    const uint64_t seq = table.LatestSequence(st.instrument);
    if (seq == 0) continue;
    const bool heartbeat_due =
        params_.heartbeat_ns > 0 && st.sent && now - st.last_sent_time >= params_.heartbeat_ns;
    if (seq == st.last_seen_sequence && !heartbeat_due) continue;
    if (st.sent && !heartbeat_due && params_.min_interval_ns > 0 &&
        now - st.last_sent_time < params_.min_interval_ns) {
      continue;  // re-examined once the interval has passed; the newest mark wins then
    }
    Mark mark;
    if (!table.Read(st.instrument, &mark)) continue;
    // With deviation_bps set, a price-less mark that follows a price-less mark of the same status
    // says nothing new (no price moved, no status changed): filtered like a small move.
    if (st.sent && !heartbeat_due && params_.deviation_bps > 0 && mark.status == st.last_status &&
        !mark.has_price && !st.last_has_price) {
      st.last_seen_sequence = mark.sequence;
      continue;
    }
    if (st.sent && !heartbeat_due && params_.deviation_bps > 0 && mark.status == st.last_status &&
        mark.has_price && st.last_has_price) {
      __int128 diff = static_cast<__int128>(mark.price) - st.last_price;
      if (diff < 0) diff = -diff;
      __int128 base = st.last_price < 0 ? -static_cast<__int128>(st.last_price) : st.last_price;
      if (diff * 10000 < base * params_.deviation_bps) {
        st.last_seen_sequence = mark.sequence;
        continue;
      }
    }
    if (st.sent && mark.sequence > st.last_sent_sequence + 1) {
      skipped_ += mark.sequence - st.last_sent_sequence - 1;
    }
    out->push_back(mark);
    st.sent = true;
    st.last_sent_sequence = mark.sequence;
    st.last_seen_sequence = mark.sequence;
    st.last_price = mark.price;
    st.last_has_price = mark.has_price;
    st.last_status = mark.status;
    st.last_sent_time = now;
  }
}

}  // namespace oracle
