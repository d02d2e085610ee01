#include "feeds/common/inflate.h"

#include <zlib.h>

#include <algorithm>
#include <new>

namespace oracle::feeds {
namespace {

// zlib's allocations go through operator new, so allocation counters (bench/feeds_bench) see them.
voidpf ZAlloc(voidpf, uInt items, uInt size) {
  return ::operator new(static_cast<size_t>(items) * size, std::nothrow);
}
void ZFree(voidpf, voidpf p) { ::operator delete(p); }

// One inflate stream, initialised once and reset per frame: its state and 32 KiB window are
// allocated on the first frame only.
class Stream {
 public:
  explicit Stream(int window_bits) : window_bits_(window_bits) {
    zs_.zalloc = &ZAlloc;
    zs_.zfree = &ZFree;
    ok_ = inflateInit2(&zs_, window_bits_) == Z_OK;
  }
  ~Stream() {
    if (ok_) inflateEnd(&zs_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  bool Run(std::string_view in, std::string* out, size_t max_bytes) {
    if (!ok_ || inflateReset2(&zs_, window_bits_) != Z_OK) return false;
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    out->clear();
    int rc = Z_OK;
    while (rc == Z_OK) {
      if (out->size() >= max_bytes) break;
      const size_t old = out->size();
      const size_t grow = std::max<size_t>(in.size() * 4, 4096);
      out->resize(std::min(max_bytes, old + grow));
      zs_.next_out = reinterpret_cast<Bytef*>(out->data() + old);
      zs_.avail_out = static_cast<uInt>(out->size() - old);
      rc = inflate(&zs_, Z_NO_FLUSH);
      out->resize(out->size() - zs_.avail_out);
    }
    return rc == Z_STREAM_END;
  }

 private:
  int window_bits_;
  z_stream zs_{};
  bool ok_ = false;
};

}  // namespace

bool InflateFrame(std::string_view compressed, std::string* out, size_t max_bytes) {
  // One pair of streams per thread (each venue connection reads on its own thread).
  thread_local Stream gzip_or_zlib(15 + 32);  // gzip or zlib header, detected
  thread_local Stream raw(-15);               // raw deflate
  return gzip_or_zlib.Run(compressed, out, max_bytes) || raw.Run(compressed, out, max_bytes);
}

}  // namespace oracle::feeds
