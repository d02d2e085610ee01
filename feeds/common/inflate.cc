#include "feeds/common/inflate.h"

#include <zlib.h>

namespace oracle::feeds {
namespace {

bool Run(std::string_view in, int window_bits, std::string* out, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  out->clear();
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out->size() >= max_bytes) break;
    size_t old = out->size();
    size_t grow = std::max<size_t>(in.size() * 4, 4096);
    out->resize(std::min(max_bytes, old + grow));
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + old);
    zs.avail_out = static_cast<uInt>(out->size() - old);
    rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(out->size() - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END;
}

}  // namespace

bool InflateFrame(std::string_view compressed, std::string* out, size_t max_bytes) {
  // 15 + 32: gzip or zlib header, detected; -15: raw deflate.
  return Run(compressed, 15 + 32, out, max_bytes) || Run(compressed, -15, out, max_bytes);
}

}  // namespace oracle::feeds
