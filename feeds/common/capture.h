// Raw frame capture, so a production incident can be replayed exactly (`oracled --capture FILE`,
// `oraclectl replay --capture FILE`). One JSON line per frame, exactly:
//   {"recv_time":"2026-06-14T05:35:01.123456789Z","venue":"binance","frame":"<the frame's text>"}
// with "frame_b64" instead of "frame" for binary or compressed frames (and text that is not valid
// UTF-8). recv_time always has nine fractional digits. Two optional fields follow:
//  - "conn":N on WebSocket frames: the adapter's connection number for the venue (1, 2, ...). Two
//    connections overlap while the adapter switches over (Binance's 24 h limit, an announced
//    restart); the number lets a replay give each connection its own parser and take the switch
//    at the same frame the live adapter did. A line without it belongs to connection 0.
//  - "rest":true on the REST replies the adapter used (start-up snapshot, fallback while the
//    socket is down), so a replay sees every input the live oracle saw.
#ifndef ORACLE_FEEDS_COMMON_CAPTURE_H_
#define ORACLE_FEEDS_COMMON_CAPTURE_H_

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "oracle/core/time.h"

namespace oracle::feeds {

// Appends capture lines. Thread-safe (every venue thread writes to one file); buffered, flushed
// at least once a second and on destruction. A failed write is counted, never fatal.
class CaptureWriter {
 public:
  static absl::StatusOr<std::unique_ptr<CaptureWriter>> Open(const std::string& path);
  ~CaptureWriter();

  void Write(TimeNs recv_time, std::string_view venue, std::string_view frame, bool binary,
             bool rest = false, uint64_t conn = 0);
  void Flush();

  uint64_t frames_written() const noexcept { return frames_.load(std::memory_order_relaxed); }
  uint64_t write_errors() const noexcept { return errors_.load(std::memory_order_relaxed); }

 private:
  explicit CaptureWriter(std::FILE* f) : file_(f) {}
  void FlushLocked();

  std::mutex mu_;
  std::FILE* file_;
  std::string buffer_;
  TimeNs last_flush_ = 0;
  std::atomic<uint64_t> frames_{0};
  std::atomic<uint64_t> errors_{0};
};

struct CapturedFrame {
  TimeNs recv_time = 0;
  std::string venue;
  std::string frame;  // text, or the decoded bytes of frame_b64
  bool binary = false;
  bool rest = false;  // a REST reply, not a WebSocket frame
  uint64_t conn = 0;  // the WebSocket connection it came on (0: not recorded)
};

// Reads one capture line. False with *error naming the field and the problem.
[[nodiscard]] bool ParseCaptureLine(std::string_view line, CapturedFrame* out, std::string* error);

// The capture line for a frame (what CaptureWriter writes), with its newline.
void AppendCaptureLine(TimeNs recv_time, std::string_view venue, std::string_view frame,
                       bool binary, bool rest, uint64_t conn, std::string* out);

std::string Base64Encode(std::string_view bytes);
[[nodiscard]] bool Base64Decode(std::string_view text, std::string* out);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_CAPTURE_H_
