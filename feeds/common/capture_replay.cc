#include "feeds/common/capture_replay.h"

#include "absl/strings/str_cat.h"
#include "feeds/common/inflate.h"
#include "feeds/registry.h"

namespace oracle::feeds {

struct CaptureDecoder::Venue {
  std::unique_ptr<VenueProtocol> protocol;  // REST replies; null: not a venue with an adapter
  std::map<std::string, uint32_t, std::less<>> symbol_to_feed;
  // One parser per WebSocket connection, as live. The active connection's data counts; another
  // connection's data makes it the active one (the live adapter's switchover), and connections
  // older than the active one are forgotten.
  std::map<uint64_t, std::unique_ptr<VenueProtocol>> connections;
  uint64_t active = 0;
  bool has_active = false;

  VenueProtocol* Connection(const std::string& name, uint64_t conn) {
    auto& p = connections[conn];
    if (p == nullptr) p = MakeVenueProtocol(name);
    return p.get();
  }
  void Promote(uint64_t conn) {
    active = conn;
    has_active = true;
    connections.erase(connections.begin(), connections.lower_bound(conn));
  }
};

CaptureDecoder::CaptureDecoder(const Config& config) : config_(config) {}
CaptureDecoder::~CaptureDecoder() = default;

CaptureDecoder::Venue* CaptureDecoder::FindVenue(const std::string& name) {
  auto it = venues_.find(name);
  if (it != venues_.end()) return it->second.get();
  auto v = std::make_unique<Venue>();
  const int venue_id = config_.FindVenue(name);
  if (venue_id >= 0) {
    v->protocol = MakeVenueProtocol(name);
    for (uint32_t f = 0; f < config_.feeds.size(); ++f) {
      if (config_.feeds[f].venue_id == static_cast<uint32_t>(venue_id)) {
        v->symbol_to_feed[config_.feeds[f].venue_symbol] = f;
      }
    }
  }
  Venue* raw = v.get();
  venues_.emplace(name, std::move(v));
  return raw;
}

LineOutcome CaptureDecoder::Decode(std::string_view line, std::vector<Event>* events,
                                   TimeNs* line_time, std::string* error) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return LineOutcome::kBlank;
  if (!ParseCaptureLine(line, &frame_, error)) return LineOutcome::kError;
  *line_time = frame_.recv_time;
  Venue* venue = FindVenue(frame_.venue);
  if (venue->protocol == nullptr) {
    ++venues_without_adapter_;
    return LineOutcome::kUnrouted;
  }
  std::string_view text = frame_.frame;
  if (frame_.binary && venue->protocol->BinaryFramesAreCompressed()) {
    if (!InflateFrame(text, &inflated_)) {
      *error = absl::StrCat(frame_.venue, " frame does not inflate");
      return LineOutcome::kError;
    }
    text = inflated_;
  }
  ticks_.Clear();
  ParseResult r = frame_.rest ? venue->protocol->ParseRestTicker(text, &ticks_)
                              : venue->Connection(frame_.venue, frame_.conn)->Parse(text, &ticks_);
  if (frame_.rest) ++rest_replies_;
  ++frames_by_kind_[static_cast<int>(r.kind)];
  if (r.kind != FrameKind::kData) return LineOutcome::kEvent;  // counted, no events
  if (!frame_.rest && (!venue->has_active || frame_.conn != venue->active)) {
    venue->Promote(frame_.conn);
  }
  for (const Tick& t : ticks_) {
    auto it = venue->symbol_to_feed.find(t.symbol);
    if (it == venue->symbol_to_feed.end()) {
      ++unknown_symbols_;
      continue;
    }
    const TimeNs event_time = t.event_time != 0 ? t.event_time : frame_.recv_time;
    Event e = t.type == TickType::kTrade
                  ? Event::Trade(it->second, event_time, frame_.recv_time, t.price, t.size)
                  : Event::Quote(it->second, event_time, frame_.recv_time, t.bid, t.ask);
    e.venue_sequence = t.sequence;
    events->push_back(e);
  }
  return LineOutcome::kEvent;
}

std::string CaptureDecoder::SummaryLines() const {
  std::string s = "  captured frames:   ";
  for (int k = 0; k < 7; ++k) {
    if (k > 0) s += ", ";
    const std::string_view name = FrameKindName(static_cast<FrameKind>(k));
    absl::StrAppend(&s, absl::string_view(name.data(), name.size()), " ", frames_by_kind_[k]);
  }
  absl::StrAppend(&s, "\n  REST replies:      ", rest_replies_,
                  "\n  unknown symbols:   ", unknown_symbols_,
                  " (ticks of symbols the configuration does not use)\n");
  if (venues_without_adapter_ > 0) {
    absl::StrAppend(&s, "  frames of venues without an adapter or not configured: ",
                    venues_without_adapter_, "\n");
  }
  return s;
}

}  // namespace oracle::feeds
