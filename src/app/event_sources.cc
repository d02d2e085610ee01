// The event sources a process runs, each with its producer ring on the core runner.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "feeds/common/ws_source.h"
#include "feeds/registry.h"
#include "oracle/app/oracle_app.h"
#include "oracle/core/log.h"
#include "oracle/replay/synthetic_source.h"
#include "pipeline.h"

namespace oracle {

absl::Status CheckLiveVenues(const Config& config) {
  std::vector<std::string> problems;
  for (size_t v = 0; v < config.venues.size(); ++v) {
    const VenueSpec& venue = config.venues[v];
    if (venue.live.disabled || feeds::MakeVenueProtocol(venue.name) != nullptr) continue;
    problems.push_back(absl::StrCat(
        "venues[", v, "].name: \"", venue.name,
        "\" has no live adapter (feeds/registry.cc); add one, or set live { disabled: true } on "
        "this venue to keep it offline under --live"));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
}

namespace app {
namespace {

void AddSource(Pipeline& p, std::unique_ptr<EventSource> source, const std::string& ring_name,
               int venue_id = -1) {
  p.sources.push_back(std::move(source));
  p.rings.push_back(p.runner->AddProducer(ring_name, p.config.ring_capacity, venue_id));
}

void AddReplaySource(Pipeline& p, const AppOptions& options) {
  auto replay = std::make_unique<ReplaySource>(p.config, options.replay_path, options.replay_speed,
                                               options.replay_loop);
  if (options.replay_log_clock) {
    const uint64_t skip = p.persister ? p.persister->stats().recovered_sequence : 0;
    replay->UseLogClock(skip);
    if (skip > 0) {
      Logf(LogLevel::kInfo, "oracled: replay resumes after the %llu stored events",
           static_cast<unsigned long long>(skip));
    }
  }
  p.replay = replay.get();
  AddSource(p, std::move(replay), "replay");
}

absl::Status OpenCapture(Pipeline& p, const AppOptions& options) {
  const std::string& path =
      !options.capture_path.empty() ? options.capture_path : p.config.capture_path;
  if (path.empty()) return absl::OkStatus();
  auto writer = feeds::CaptureWriter::Open(path);
  if (!writer.ok()) return writer.status();
  p.capture = std::move(*writer);
  return absl::OkStatus();
}

feeds::LiveOptions LiveOptionsFor(const Pipeline& p, uint32_t v) {
  const VenueSpec& venue = p.config.venues[v];
  feeds::LiveOptions lo;
  lo.ws_endpoint_override = venue.live.ws_endpoint_override;
  lo.rest_endpoint_override = venue.live.rest_endpoint_override;
  lo.tls_ca_file = venue.live.tls_ca_file;
  lo.silence_limit = venue.live.silence_limit_ns;
  lo.rest_snapshot = venue.live.rest_snapshot;
  lo.rest_fallback = venue.live.rest_fallback;
  lo.capture = p.capture.get();
  lo.seed = 0x9E3779B97F4A7C15ULL ^ (static_cast<uint64_t>(WallClockNow()) + v);
  return lo;
}

// Every configured venue not `live { disabled: true }` (CheckLiveVenues made sure each has an
// adapter).
void AddLiveVenueSources(Pipeline& p) {
  for (uint32_t v = 0; v < p.config.venues.size(); ++v) {
    const VenueSpec& venue = p.config.venues[v];
    if (venue.live.disabled) continue;
    auto source = std::make_unique<feeds::WebSocketVenueSource>(
        p.config, v, [name = venue.name] { return feeds::MakeVenueProtocol(name); },
        LiveOptionsFor(p, v));
    AddSource(p, std::move(source), venue.name, static_cast<int>(v));
    Logf(LogLevel::kInfo, "oracled: venue %s: live", venue.name.c_str());
  }
}

// Redemption ratios: every provider with endpoints (constants need none: the core holds them).
void AddRateSource(Pipeline& p) {
  std::vector<RateProviderSpec> polled;
  for (const RateProviderSpec& spec : p.config.rate_providers) {
    if (spec.kind == RateProviderKind::kConstant) continue;
    if (spec.endpoints.empty()) {
      Logf(LogLevel::kWarning,
           "oracled: rate provider %s has no endpoints: its ratio comes only from "
           "rate events (add JSON-RPC endpoints to rate_providers to read it live)",
           spec.name.c_str());
      continue;
    }
    polled.push_back(spec);
  }
  if (polled.empty()) return;
  Logf(LogLevel::kInfo, "oracled: polling %zu rate provider(s)", polled.size());
  auto rate_source = std::make_unique<rates::RateProviderSource>(std::move(polled));
  p.rate_source = rate_source.get();
  AddSource(p, std::move(rate_source), "rates");
}

}  // namespace

absl::Status AddEventSources(Pipeline& p, const AppOptions& options) {
  if (!options.replay_path.empty()) AddReplaySource(p, options);
  const bool live = options.live || p.config.live_enabled;
  if (absl::Status st = OpenCapture(p, options); !st.ok()) return st;
  if (live) {
    AddLiveVenueSources(p);
    AddRateSource(p);
  }
  if (options.synthetic_events_per_second > 0) {
    AddSource(p, std::make_unique<SyntheticSource>(p.config, options.synthetic_events_per_second),
              "synthetic");
  }
  return absl::OkStatus();
}

}  // namespace app
}  // namespace oracle
