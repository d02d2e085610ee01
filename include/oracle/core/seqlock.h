// Seqlock storage for one trivially copyable value: one writer, any number of readers, no locks.
//
// The writer never waits for readers; a reader that overlaps a write retries. The value is kept as
// an array of atomic 64-bit words, so concurrent reads and writes are not data races in the C++
// memory model, and the sequence word orders them (Boehm's acquire/release seqlock, no standalone
// fences, so ThreadSanitizer models it exactly; on x86 every one of these is a plain mov):
//   writer: seq = odd (relaxed); words (release each); seq = even (release)
//   reader: s1 = seq (acquire); words (acquire each); s2 = seq (relaxed); valid if s1 == s2 even
// A reader that sees any word of a newer write synchronizes with it and so sees the odd sequence.
// Neither side allocates. Write() must only ever be called by one thread at a time.
#ifndef ORACLE_CORE_SEQLOCK_H_
#define ORACLE_CORE_SEQLOCK_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace oracle {

template <typename T>
class Seqlock {
  static_assert(std::is_trivially_copyable_v<T>, "Seqlock holds trivially copyable values");

 public:
  static constexpr size_t kWords = (sizeof(T) + 7) / 8;

  Seqlock() noexcept {
    for (auto& w : words_) w.store(0, std::memory_order_relaxed);
  }

  // Publishes `value`. Single writer only. Copies only the first `bytes` bytes of the value
  // (a prefix is enough when the tail is unused); the default copies all of it.
  void Write(const T& value, size_t bytes = sizeof(T)) noexcept {
    uint64_t seq = seq_.load(std::memory_order_relaxed);
    seq_.store(seq + 1, std::memory_order_relaxed);
    const size_t n = (bytes + 7) / 8;
    uint64_t tmp[kWords];
    std::memcpy(tmp, &value, sizeof(T));
    for (size_t i = 0; i < n; ++i) words_[i].store(tmp[i], std::memory_order_release);
    seq_.store(seq + 2, std::memory_order_release);
  }

  // Copies the latest complete value into *out. Returns its version (an even number, 0 if never
  // written). Spins only while a write is in progress, which lasts a few hundred nanoseconds.
  uint64_t Read(T* out, size_t bytes = sizeof(T)) const noexcept {
    const size_t n = (bytes + 7) / 8;
    uint64_t tmp[kWords];
    for (;;) {
      uint64_t s1 = seq_.load(std::memory_order_acquire);
      if (s1 & 1) {
        Pause();
        continue;
      }
      for (size_t i = 0; i < n; ++i) tmp[i] = words_[i].load(std::memory_order_acquire);
      uint64_t s2 = seq_.load(std::memory_order_relaxed);
      if (s1 == s2) {
        std::memcpy(static_cast<void*>(out), tmp, bytes < sizeof(T) ? bytes : sizeof(T));
        return s1;
      }
    }
  }

  // The version of the value, without reading it (even when stable).
  uint64_t Version() const noexcept { return seq_.load(std::memory_order_acquire); }

  static void Pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

 private:
  std::atomic<uint64_t> seq_{0};
  std::atomic<uint64_t> words_[kWords];
};

}  // namespace oracle

#endif  // ORACLE_CORE_SEQLOCK_H_
