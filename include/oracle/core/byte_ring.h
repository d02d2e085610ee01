// Single-producer single-consumer ring of variable-size records (the core -> history persister
// hand-off).
//
// Unlike SpscRing it never overwrites: TryWrite() refuses a record that does not fit and the
// producer counts the loss (or waits, by choice). Records are contiguous (a record that would
// straddle the end starts again at offset 0), 8-byte aligned, with a 24-byte header. No allocation
// after construction; one thread writes, one other thread reads.
#ifndef ORACLE_CORE_BYTE_RING_H_
#define ORACLE_CORE_BYTE_RING_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace oracle {

class ByteRing {
 public:
  struct Record {
    uint16_t kind = 0;
    uint32_t aux = 0;
    uint64_t seq = 0;
    std::string_view payload;
  };

  // `capacity` is rounded up to a power of two (at least 64 KiB).
  explicit ByteRing(size_t capacity) {
    size_t c = 64 << 10;
    while (c < capacity) c <<= 1;
    capacity_ = c;
    mask_ = c - 1;
    buf_ = std::make_unique<char[]>(c);
  }

  size_t capacity() const noexcept { return capacity_; }
  // Largest payload a record may have.
  size_t max_payload() const noexcept { return capacity_ / 2 - kHeader; }
  // Bytes in use (any thread; approximate).
  size_t used() const noexcept {
    return static_cast<size_t>(head_.load(std::memory_order_relaxed) -
                               tail_.load(std::memory_order_relaxed));
  }

  // Producer. The payload is a followed by b. False when it does not fit now (or ever).
  bool TryWrite(uint16_t kind, uint32_t aux, uint64_t seq, const void* a, size_t na,
                const void* b = nullptr, size_t nb = 0) noexcept {
    const size_t payload = na + nb;
    if (payload > max_payload()) return false;
    const size_t n = Round8(kHeader + payload);
    const uint64_t head = head_local_;
    const size_t offset = static_cast<size_t>(head & mask_);
    const size_t pad = offset + n > capacity_ ? capacity_ - offset : 0;
    if (head + pad + n - tail_cache_ > capacity_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head + pad + n - tail_cache_ > capacity_) return false;
    }
    if (pad >= kHeader) WriteHeader(offset, kWrap, 0, 0, 0);
    const size_t at = pad > 0 ? 0 : offset;
    WriteHeader(at, kind, aux, seq, static_cast<uint32_t>(payload));
    if (na > 0) std::memcpy(buf_.get() + at + kHeader, a, na);
    if (nb > 0) std::memcpy(buf_.get() + at + kHeader + na, b, nb);
    head_local_ = head + pad + n;
    head_.store(head_local_, std::memory_order_release);
    return true;
  }

  // Consumer: the oldest record, valid until Pop().
  bool Peek(Record* r) noexcept {
    for (;;) {
      if (tail_local_ == head_cache_) {
        head_cache_ = head_.load(std::memory_order_acquire);
        if (tail_local_ == head_cache_) return false;
      }
      const size_t offset = static_cast<size_t>(tail_local_ & mask_);
      if (capacity_ - offset < kHeader) {
        Advance(capacity_ - offset);
        continue;
      }
      Header h;
      std::memcpy(&h, buf_.get() + offset, kHeader);
      if (h.kind == kWrap) {
        Advance(capacity_ - offset);
        continue;
      }
      r->kind = h.kind;
      r->aux = h.aux;
      r->seq = h.seq;
      r->payload = std::string_view(buf_.get() + offset + kHeader, h.payload);
      pending_ = Round8(kHeader + h.payload);
      return true;
    }
  }
  void Pop() noexcept {
    Advance(pending_);
    pending_ = 0;
  }
  bool Empty() const noexcept { return tail_local_ == head_.load(std::memory_order_acquire); }

 private:
  struct Header {
    uint32_t payload;
    uint16_t kind;
    uint16_t reserved;
    uint32_t aux;
    uint32_t reserved2;
    uint64_t seq;
  };
  static constexpr size_t kHeader = sizeof(Header);
  static_assert(kHeader == 24);
  static constexpr uint16_t kWrap = 0xffff;
  static size_t Round8(size_t n) noexcept { return (n + 7) & ~size_t{7}; }

  void WriteHeader(size_t at, uint16_t kind, uint32_t aux, uint64_t seq,
                   uint32_t payload) noexcept {
    Header h{payload, kind, 0, aux, 0, seq};
    std::memcpy(buf_.get() + at, &h, kHeader);
  }
  void Advance(size_t n) noexcept {
    tail_local_ += n;
    tail_.store(tail_local_, std::memory_order_release);
  }

  size_t capacity_ = 0;
  size_t mask_ = 0;
  std::unique_ptr<char[]> buf_;
  alignas(64) std::atomic<uint64_t> head_{0};
  uint64_t head_local_ = 0;  // producer
  uint64_t tail_cache_ = 0;  // producer
  alignas(64) std::atomic<uint64_t> tail_{0};
  uint64_t tail_local_ = 0;  // consumer
  uint64_t head_cache_ = 0;  // consumer
  size_t pending_ = 0;       // consumer
};

}  // namespace oracle

#endif  // ORACLE_CORE_BYTE_RING_H_
