#include "oracle/aggregation/mark_table.h"

#include <chrono>
#include <thread>

namespace oracle {

MarkTable::MarkTable(size_t instruments)
    : size_(instruments), slots_(std::make_unique<Slot[]>(instruments)) {}

void MarkTable::Publish(const Mark& mark) noexcept {
  if (mark.instrument >= size_) return;
  Slot& s = slots_[mark.instrument];
  s.mark.Write(mark, mark.UsedBytes());
  s.sequence.store(mark.sequence, std::memory_order_release);
}

void MarkTable::EndBatch() noexcept { epoch_.fetch_add(1, std::memory_order_release); }

bool MarkTable::Read(uint32_t instrument, Mark* out) const noexcept {
  if (instrument >= size_) return false;
  const Slot& s = slots_[instrument];
  if (s.sequence.load(std::memory_order_acquire) == 0) return false;
  // Read the header first to learn how many sources follow, then the used prefix.
  for (;;) {
    uint64_t v1 = s.mark.Read(out, offsetof(Mark, sources));
    size_t used = out->UsedBytes();
    uint64_t v2 = s.mark.Read(out, used);
    if (v1 == v2) return true;
  }
}

uint64_t MarkTable::LatestSequence(uint32_t instrument) const noexcept {
  if (instrument >= size_) return 0;
  return slots_[instrument].sequence.load(std::memory_order_acquire);
}

uint64_t MarkTable::WaitForEpochChange(uint64_t seen, int64_t timeout_ns) const noexcept {
  // The core must never pay for waking readers, so readers poll with a short sleep instead of the
  // writer calling notify. 1 ms granularity keeps stream latency low at negligible cost.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(timeout_ns);
  for (;;) {
    uint64_t e = epoch_.load(std::memory_order_acquire);
    if (e != seen) return e;
    if (std::chrono::steady_clock::now() >= deadline) return e;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

}  // namespace oracle
