// Bounded single-producer single-consumer ring that never blocks its producer.
//
// Push() always succeeds in O(1): when the consumer has fallen a whole ring behind, the producer
// overwrites the oldest unread slot. The consumer notices (each slot carries the index it holds)
// and counts every overwritten event in dropped(). This is the documented overflow policy: the
// oldest ticks are the data the oracle can best afford to lose, because a newer tick from the same
// venue supersedes them; a producer is never blocked and the newest data is never refused.
//
// Each slot is a seqlock over the event's 64-bit words (acquire/release per word, as in
// seqlock.h), so a read that races an overwrite is detected and skipped, never torn. No allocation
// after construction. Exactly one thread may call Push() and exactly one (other) thread TryPop().
#ifndef ORACLE_CORE_SPSC_RING_H_
#define ORACLE_CORE_SPSC_RING_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

namespace oracle {

template <typename T>
class SpscRing {
  static_assert(std::is_trivially_copyable_v<T>, "ring events are trivially copyable");
  static constexpr size_t kWords = (sizeof(T) + 7) / 8;

 public:
  // `capacity` is rounded up to a power of two (at least 2).
  explicit SpscRing(size_t capacity) {
    size_t c = 2;
    while (c < capacity) c <<= 1;
    capacity_ = c;
    mask_ = c - 1;
    slots_ = std::make_unique<Slot[]>(c);
    for (size_t i = 0; i < c; ++i) {
      // Slot i initially claims index i - capacity, which no reader ever asks for.
      slots_[i].seq.store(0, std::memory_order_relaxed);
    }
  }

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  size_t capacity() const noexcept { return capacity_; }

  // Producer side. Never fails, never waits.
  void Push(const T& value) noexcept {
    const uint64_t i = head_local_;
    Slot& s = slots_[i & mask_];
    // Sequence encoding per slot: 2*(i+1) - 1 while writing index i, 2*(i+1) once complete.
    s.seq.store(2 * (i + 1) - 1, std::memory_order_relaxed);
    uint64_t tmp[kWords];
    std::memcpy(tmp, &value, sizeof(T));
    for (size_t w = 0; w < kWords; ++w) s.words[w].store(tmp[w], std::memory_order_release);
    s.seq.store(2 * (i + 1), std::memory_order_release);
    head_local_ = i + 1;
    head_.store(i + 1, std::memory_order_release);
  }

  // Consumer side. Returns false when there is nothing new. Overwritten events are skipped and
  // counted in dropped().
  [[nodiscard]] bool TryPop(T* out) noexcept {
    for (;;) {
      uint64_t r = tail_local_;
      if (r == head_cache_) {
        head_cache_ = head_.load(std::memory_order_acquire);
        if (r == head_cache_) return false;
      }
      if (head_cache_ - r > capacity_) {  // lapped: the oldest events are gone
        uint64_t skip = head_cache_ - capacity_ - r;
        AddDropped(skip);
        r += skip;
        tail_local_ = r;
      }
      const Slot& s = slots_[r & mask_];
      const uint64_t want = 2 * (r + 1);
      uint64_t s1 = s.seq.load(std::memory_order_acquire);
      if (s1 != want) {
        // The producer is writing or has written a later index into this slot: we were lapped
        // between reading head_ and here. Refresh head_ and skip forward.
        head_cache_ = head_.load(std::memory_order_acquire);
        if (s1 < want) {
          // Slot not yet complete for r (writer mid-write of r itself): nothing to read yet.
          if (head_cache_ <= r) return false;
          Pause();
          continue;
        }
        Pause();
        continue;
      }
      uint64_t tmp[kWords];
      for (size_t w = 0; w < kWords; ++w) tmp[w] = s.words[w].load(std::memory_order_acquire);
      uint64_t s2 = s.seq.load(std::memory_order_relaxed);
      if (s2 != s1) {
        head_cache_ = head_.load(std::memory_order_acquire);
        continue;  // overwritten while copying; the lap check above will count it
      }
      std::memcpy(static_cast<void*>(out), tmp, sizeof(T));
      tail_local_ = r + 1;
      popped_.store(popped_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      return true;
    }
  }

  // Counters, readable from any thread.
  uint64_t pushed() const noexcept { return head_.load(std::memory_order_relaxed); }
  uint64_t popped() const noexcept { return popped_.load(std::memory_order_relaxed); }
  uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  // Events waiting, as the producer sees it (approximate from other threads).
  uint64_t backlog() const noexcept {
    uint64_t h = head_.load(std::memory_order_relaxed);
    uint64_t consumed = popped() + dropped();
    return h > consumed ? h - consumed : 0;
  }

 private:
  struct alignas(64) Slot {
    std::atomic<uint64_t> seq;
    std::atomic<uint64_t> words[kWords];
  };

  void AddDropped(uint64_t n) noexcept {
    dropped_.store(dropped_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  static void Pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  size_t capacity_ = 0;
  size_t mask_ = 0;
  std::unique_ptr<Slot[]> slots_;

  // Producer-owned.
  alignas(64) uint64_t head_local_ = 0;
  alignas(64) std::atomic<uint64_t> head_{0};
  // Consumer-owned.
  alignas(64) uint64_t tail_local_ = 0;
  uint64_t head_cache_ = 0;
  std::atomic<uint64_t> popped_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace oracle

#endif  // ORACLE_CORE_SPSC_RING_H_
