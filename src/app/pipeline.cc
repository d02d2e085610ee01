#include "pipeline.h"

#include <unistd.h>

#include <algorithm>

#include "oracle/core/log.h"

namespace oracle::app {

absl::Status CheckOptions(const Config& config, const AppOptions& options) {
  const bool live = options.live || config.live_enabled;
  if (options.replay_log_clock) {
    if (options.replay_path.empty()) {
      return absl::InvalidArgumentError("--replay-clock log needs --replay FILE");
    }
    if (options.replay_loop || live || options.synthetic_events_per_second > 0) {
      return absl::InvalidArgumentError(
          "--replay-clock log replays one log deterministically: it cannot be combined with "
          "--loop, --live or --synthetic-eps");
    }
  }
  const bool capture = !options.capture_path.empty() || !config.capture_path.empty();
  if (capture && !live) {
    return absl::InvalidArgumentError("a capture records live frames: it needs --live");
  }
  if (live) return CheckLiveVenues(config);
  return absl::OkStatus();
}

absl::Status LoadSigner(Pipeline& p) {
  const std::string& path = p.config.signing.key_file;
  const std::string& publisher_id = p.config.signing.publisher_id;
  if (!path.empty()) {
    if (p.config.signing.generate_if_missing && access(path.c_str(), F_OK) != 0) {
      auto gen = signing::MarkSigner::GenerateToFile(path, publisher_id);
      if (!gen.ok()) return gen.status();
      p.signer = std::move(*gen);
      Logf(LogLevel::kWarning,
           "oracled: WARNING: generated a new signing key in %s (key id %s): a development "
           "key; production keys are made and guarded outside the oracle",
           path.c_str(), p.signer->key_id().c_str());
    } else {
      auto loaded = signing::MarkSigner::FromPemFile(
          path, publisher_id,
          p.config.signing.allow_readable_key_file
              ? signing::MarkSigner::KeyFileAccess::kGroupOrOthersAllowed
              : signing::MarkSigner::KeyFileAccess::kOwnerOnly);
      if (!loaded.ok()) return loaded.status();
      p.signer = std::move(*loaded);
    }
    Logf(LogLevel::kInfo, "oracled: signing marks with key %s as publisher %s",
         p.signer->key_id().c_str(), p.signer->publisher_id().c_str());
  }
  // One signature per mark, shared by the API's readers and the history persister.
  p.signatures =
      std::make_unique<signing::SignatureCache>(p.signer.get(), p.config.instruments.size());
  return absl::OkStatus();
}

namespace {

// How long inputs from before a clock step can still shape a mark: the longest TWAP window or
// input age of any instrument (marks stay flagged CLOCK_STEP that long).
DurationNs LongestInputWindow(const Config& config) {
  DurationNs longest = config.publish_interval_ns;
  for (const InstrumentSpec& spec : config.instruments) {
    const MethodologyParams& m = spec.methodology;
    longest = std::max({longest, m.twap_window_ns, m.quote_max_age_ns, m.trade_max_age_ns});
  }
  return longest;
}

}  // namespace

absl::Status BuildCore(Pipeline& p, const AppOptions& options) {
  p.table = std::make_unique<MarkTable>(p.config.instruments.size());
  if (!p.config.history.data_dir.empty()) {
    // A deterministic replay records every event: the core waits for the disk rather than drop.
    if (options.replay_log_clock) p.config.history.block_when_full = true;
    p.persister = std::make_unique<history::Persister>(p.config, p.signatures.get());
  }
  auto engine = Engine::Create(p.config, p.table.get(), p.persister.get());
  if (!engine.ok()) return engine.status();
  p.engine = std::move(*engine);
  if (p.persister) {
    absl::Status st = p.persister->Recover(p.engine.get());
    if (!st.ok()) return st;
  }
  CoreRunner::Options ro;
  ro.publish_interval_ns = p.config.publish_interval_ns;
  ro.idle_sleep_us = options.idle_sleep_us;
  ro.source_timers = options.replay_log_clock;
  ro.clock_step_tolerance_ns = p.config.clock_step_tolerance_ns;
  ro.clock_step_flag_ns = LongestInputWindow(p.config);
  p.runner = std::make_unique<CoreRunner>(p.engine.get(), ro);
  return absl::OkStatus();
}

}  // namespace oracle::app
