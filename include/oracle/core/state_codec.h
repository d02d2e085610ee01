// Appends and reads back plain values for engine checkpoints (history/).
//
// The bytes are this build's in-memory representation of trivially copyable values: a checkpoint
// is read back only by a build with the same methodology version and configuration fingerprint
// (history/persister.h checks both). Writing appends to a caller-owned string, so once its
// capacity has grown to a checkpoint's size, writing allocates nothing.
#ifndef ORACLE_CORE_STATE_CODEC_H_
#define ORACLE_CORE_STATE_CODEC_H_

#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace oracle {

class StateWriter {
 public:
  explicit StateWriter(std::string* out) : out_(out) {}
  template <typename T>
  void Put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  template <typename T>
  void PutArray(const T* v, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<uint64_t>(n);
    out_->append(reinterpret_cast<const char*>(v), sizeof(T) * n);
  }

 private:
  std::string* out_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}
  template <typename T>
  [[nodiscard]] bool Get(T* v) noexcept {
    static_assert(std::is_trivially_copyable_v<T>);
    if (in_.size() < sizeof(T)) return ok_ = false;
    std::memcpy(static_cast<void*>(v), in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return ok_;
  }
  // Reads an array written by PutArray into `v`, which must hold exactly `n` elements.
  template <typename T>
  [[nodiscard]] bool GetArray(T* v, size_t n) noexcept {
    uint64_t stored = 0;
    if (!Get(&stored) || stored != n || in_.size() < sizeof(T) * n) return ok_ = false;
    std::memcpy(static_cast<void*>(v), in_.data(), sizeof(T) * n);
    in_.remove_prefix(sizeof(T) * n);
    return ok_;
  }
  bool ok() const noexcept { return ok_; }
  bool done() const noexcept { return ok_ && in_.empty(); }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace oracle

#endif  // ORACLE_CORE_STATE_CODEC_H_
