// The data side of the process, built by the app step by step: signer, history, engine, core
// runner, event sources and their rings. Private to the app module.
#ifndef ORACLE_SRC_APP_PIPELINE_H_
#define ORACLE_SRC_APP_PIPELINE_H_

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "feeds/common/capture.h"
#include "oracle/aggregation/core_runner.h"
#include "oracle/aggregation/engine.h"
#include "oracle/aggregation/mark_table.h"
#include "oracle/app/oracle_app.h"
#include "oracle/core/event_source.h"
#include "oracle/history/persister.h"
#include "oracle/rates/rate_source.h"
#include "oracle/replay/replay_source.h"
#include "oracle/signing/mark_signer.h"
#include "oracle/signing/signature_cache.h"

namespace oracle::app {

struct Pipeline {
  Config config;
  std::unique_ptr<signing::MarkSigner> signer;          // null: marks are not signed
  std::unique_ptr<signing::SignatureCache> signatures;  // one signature per mark, shared
  std::unique_ptr<MarkTable> table;
  std::unique_ptr<history::Persister> persister;  // null without history.data_dir
  std::unique_ptr<Engine> engine;
  std::unique_ptr<CoreRunner> runner;
  std::unique_ptr<feeds::CaptureWriter> capture;  // null unless live frames are recorded
  std::vector<std::unique_ptr<EventSource>> sources;
  std::vector<SpscRing<Event>*> rings;                     // rings[i] feeds sources[i]
  ReplaySource* replay = nullptr;                          // in `sources`, when replaying
  const rates::RateProviderSource* rate_source = nullptr;  // in `sources`, when polling
};

// Checks the options against each other and the configuration before anything is opened.
absl::Status CheckOptions(const Config& config, const AppOptions& options);

// Loads (or, in development, generates) the signing key and makes the signature cache.
absl::Status LoadSigner(Pipeline& p);
// The persister (when history is configured), the engine, restart recovery and the core runner.
absl::Status BuildCore(Pipeline& p, const AppOptions& options);
// Every event source the options ask for, each with its producer ring (event_sources.cc).
absl::Status AddEventSources(Pipeline& p, const AppOptions& options);

}  // namespace oracle::app

#endif  // ORACLE_SRC_APP_PIPELINE_H_
