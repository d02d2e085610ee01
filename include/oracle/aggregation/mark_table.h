// The latest mark of every instrument, written by the core and read by any number of threads.
//
// One seqlock slot per instrument: Publish() never waits for readers, Read() never takes a lock the
// writer needs (it retries only while a write of that instrument is in progress). A publish epoch
// counter, bumped once per publication batch, lets stream dispatchers wait for news without polling
// every slot. No allocation after construction.
#ifndef ORACLE_AGGREGATION_MARK_TABLE_H_
#define ORACLE_AGGREGATION_MARK_TABLE_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "oracle/aggregation/mark.h"
#include "oracle/core/seqlock.h"

namespace oracle {

class MarkTable {
 public:
  explicit MarkTable(size_t instruments);

  size_t size() const noexcept { return size_; }

  // Single writer (the core thread).
  void Publish(const Mark& mark) noexcept;
  // Marks the end of a batch of Publish() calls and wakes waiters.
  void EndBatch() noexcept;

  // Any thread. False if the instrument was never published (or is out of range).
  [[nodiscard]] bool Read(uint32_t instrument, Mark* out) const noexcept;
  // Sequence of the instrument's latest mark without copying it (0 if none).
  uint64_t LatestSequence(uint32_t instrument) const noexcept;

  uint64_t epoch() const noexcept { return epoch_.load(std::memory_order_acquire); }
  // Blocks until epoch() != seen or the timeout passes. Returns the current epoch.
  uint64_t WaitForEpochChange(uint64_t seen, int64_t timeout_ns) const noexcept;

 private:
  struct alignas(64) Slot {
    Seqlock<Mark> mark;
    std::atomic<uint64_t> sequence{0};
  };
  size_t size_;
  std::unique_ptr<Slot[]> slots_;
  std::atomic<uint64_t> epoch_{0};
};

}  // namespace oracle

#endif  // ORACLE_AGGREGATION_MARK_TABLE_H_
