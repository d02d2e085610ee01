// Replays a capture (capture.h) through the venues' real parsers into the core: the LineDecoder
// behind `oraclectl replay --capture FILE`. Each frame goes through the same protocol code as it
// did live (decompression, parsing, symbol to feed mapping), stamped with its recorded receive
// time, so the marks of an incident can be reproduced exactly.
#ifndef ORACLE_FEEDS_COMMON_CAPTURE_REPLAY_H_
#define ORACLE_FEEDS_COMMON_CAPTURE_REPLAY_H_

#include <map>
#include <memory>
#include <string>

#include "feeds/common/capture.h"
#include "feeds/common/venue_protocol.h"
#include "oracle/config/config.h"
#include "oracle/replay/replay_runner.h"

namespace oracle::feeds {

class CaptureDecoder : public LineDecoder {
 public:
  explicit CaptureDecoder(const Config& config);
  ~CaptureDecoder() override;

  LineOutcome Decode(std::string_view line, std::vector<Event>* events, TimeNs* line_time,
                     std::string* error) override;
  std::string SummaryLines() const override;

 private:
  struct Venue;
  Venue* FindVenue(const std::string& name);

  const Config& config_;
  std::map<std::string, std::unique_ptr<Venue>> venues_;
  CapturedFrame frame_;
  TickBuffer ticks_;
  std::string inflated_;
  uint64_t frames_by_kind_[7] = {};
  uint64_t rest_replies_ = 0;
  uint64_t unknown_symbols_ = 0;
  uint64_t venues_without_adapter_ = 0;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_CAPTURE_REPLAY_H_
