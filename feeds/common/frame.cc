#include "feeds/common/frame.h"

namespace oracle::feeds {

std::string_view FrameKindName(FrameKind kind) noexcept {
  switch (kind) {
    case FrameKind::kData:
      return "data";
    case FrameKind::kIgnored:
      return "ignored";
    case FrameKind::kHeartbeat:
      return "heartbeat";
    case FrameKind::kAck:
      return "ack";
    case FrameKind::kError:
      return "error";
    case FrameKind::kReconnect:
      return "reconnect";
    case FrameKind::kUnparseable:
      return "unparseable";
  }
  return "unknown";
}

}  // namespace oracle::feeds
