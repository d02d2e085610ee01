// oracled: the oracle server.
//
//   oracled [--config FILE] [--listen HOST:PORT] [--replay FILE [--speed N] [--loop]]
//           [--live [--capture FILE]] [--port-file FILE] [--synthetic-eps N]
//           [--core-idle-sleep-us N] [--drain-period DURATION]
//
// Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM drain, README "Health and drain"), 2 bad
// flags, 3 invalid configuration, 4 cannot start (port in use, replay file missing).
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "oracle/app/oracle_app.h"
#include "oracle/config/config.h"
#include "oracle/core/cli_args.h"
#include "oracle/core/time.h"

namespace {

constexpr char kUsage[] =
    "usage: oracled [--config FILE] [--listen HOST:PORT] [--replay FILE [--speed N] [--loop]]\n"
    "               [--live [--capture FILE]] [--port-file FILE] [--synthetic-eps N]\n"
    "               [--core-idle-sleep-us N] [--data-dir DIR] [--signing-key FILE]\n"
    "               [--replay-clock wall|log] [--tls-cert FILE --tls-key FILE\n"
    "               [--tls-client-ca FILE]] [--auth-tokens FILE]\n"
    "               [--drain-period DURATION]\n"
    "  --config FILE       configuration (protobuf text, oracle.v1.OracleConfig); default: the\n"
    "                      built-in feeds/default.textproto\n"
    "  --listen HOST:PORT  gRPC address (default from config: 127.0.0.1:50051; port 0 = any)\n"
    "  --replay FILE       feed a tick log (JSON Lines) on the wall clock\n"
    "  --speed N           replay N times faster than recorded (default 1)\n"
    "  --loop              start the replay again at its end\n"
    "  --data-dir DIR      keep the history (RocksDB) in DIR (overrides history.data_dir)\n"
    "  --signing-key FILE  sign marks with this Ed25519 PEM key (overrides signing.key_file)\n"
    "  --generate-signing-key  create --signing-key FILE if missing (development; warns)\n"
    "  --allow-readable-signing-key  accept a signing key file group or others may access\n"
    "               (signing.allow_readable_key_file; refused by default: chmod 600 FILE)\n"
    "  --replay-clock log  replay on the log's own clock as fast as the core goes, deterministic;\n"
    "                      with history a restart resumes after the stored events (default: wall)\n"
    "  --live              connect to the venues' public market data (feeds/); the default\n"
    "                      is offline\n"
    "  --capture FILE      with --live: record every raw frame (JSON Lines) for\n"
    "                      `oraclectl replay --capture FILE`\n"
    "  --tls-cert FILE     serve TLS with this PEM certificate chain (overrides server.tls;\n"
    "                      re-read when it changes)\n"
    "  --tls-key FILE      the certificate's PEM private key\n"
    "  --tls-client-ca FILE  require client certificates signed by this CA (mTLS)\n"
    "  --auth-tokens FILE  bearer tokens: `name role sha256hex` lines (overrides\n"
    "                      server.auth.tokens_file; re-read when it changes)\n"
    "  --port-file FILE    write the bound port to FILE once listening\n"
    "  --synthetic-eps N   add synthetic quotes at N events/s on every feed (load tests)\n"
    "  --core-idle-sleep-us N  core thread sleep when idle (default 50; 0 = spin: ~1 us tick\n"
    "                      to mark instead of ~90 us, one CPU always busy)\n"
    "  --drain-period DURATION  on SIGTERM/SIGINT, health NOT_SERVING this long before streams\n"
    "                      end (\"0s\", \"5s\"; overrides server.drain_period_ms, default 5s);\n"
    "                      a second signal cuts it short\n";

bool ParsePositiveDouble(const std::string& s, double* out) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !(v > 0) || v > 1e9) return false;
  *out = v;
  return true;
}

// Prints "oracled: <message>" and returns `code` (the exit code).
int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "oracled: %s\n", message.c_str());
  return code;
}

// The flags that shape the process (replay, live, load, core); returns 0 or exit code 2.
int ParseAppOptions(const oracle::CliArgs& args, oracle::AppOptions* options) {
  options->listen_address = args.GetOr("listen", "");
  options->replay_path = args.GetOr("replay", "");
  options->replay_loop = args.Has("loop");
  if (auto c = args.Get("replay-clock")) {
    if (*c == "log") {
      options->replay_log_clock = true;
    } else if (*c != "wall") {
      return Fail(2, "--replay-clock " + *c + ": expected wall or log");
    }
  }
  options->live = args.Has("live");
  options->capture_path = args.GetOr("capture", "");
  if (auto s = args.Get("speed"); s && !ParsePositiveDouble(*s, &options->replay_speed)) {
    return Fail(2, "--speed " + *s + ": expected a positive number");
  }
  if (auto s = args.Get("synthetic-eps");
      s && !ParsePositiveDouble(*s, &options->synthetic_events_per_second)) {
    return Fail(2, "--synthetic-eps " + *s + ": expected a positive number");
  }
  if (auto s = args.Get("core-idle-sleep-us")) {
    char* end = nullptr;
    long v = std::strtol(s->c_str(), &end, 10);
    if (s->empty() || *end != '\0' || v < 0 || v > 1'000'000) {
      return Fail(2, "--core-idle-sleep-us " + *s + ": expected 0 to 1000000");
    }
    options->idle_sleep_us = v;
  }
  if (auto d = args.Get("drain-period")) {
    oracle::DurationNs ns = 0;
    if (!oracle::ParseDurationFlag(*d, &ns) || ns < 0 || ns > 600 * oracle::kNanosPerSecond) {
      return Fail(2, "--drain-period " + *d + ": expected a duration from 0s to 10m (\"5s\")");
    }
    options->drain_period_ns = ns;
  }
  if ((args.Has("speed") || args.Has("loop")) && options->replay_path.empty()) {
    return Fail(2, "--speed and --loop need --replay FILE");
  }
  return 0;
}

// --tls-cert/--tls-key/--tls-client-ca and --auth-tokens over server.tls and server.auth; returns
// 0 or exit code 2.
int ApplySecurityFlags(const oracle::CliArgs& args, oracle::Config* config) {
  const bool cert = args.Has("tls-cert"), key = args.Has("tls-key");
  if (cert != key) return Fail(2, "--tls-cert and --tls-key go together");
  if (args.Has("tls-client-ca") && !cert) return Fail(2, "--tls-client-ca needs --tls-cert");
  if (cert) {
    config->tls.cert_file = *args.Get("tls-cert");
    config->tls.key_file = *args.Get("tls-key");
  }
  if (auto ca = args.Get("tls-client-ca")) {
    config->tls.client_ca_file = *ca;
    config->tls.client_auth = oracle::ClientAuthMode::kRequire;
  }
  if (auto t = args.Get("auth-tokens")) config->auth.tokens_file = *t;
  return 0;
}

// --config (or the built-in default) with the flags that override it; returns 0, 2 or 3.
int LoadConfig(const oracle::CliArgs& args, const oracle::AppOptions& options,
               absl::StatusOr<oracle::Config>* config) {
  *config = args.Has("config") ? oracle::LoadConfigFile(*args.Get("config"))
                               : oracle::LoadDefaultConfig();
  if (!config->ok()) return Fail(3, std::string(config->status().message()));
  if (auto d = args.Get("data-dir")) (*config)->history.data_dir = *d;
  if (int code = ApplySecurityFlags(args, &**config); code != 0) return code;
  if (auto k = args.Get("signing-key")) {
    (*config)->signing.key_file = *k;
    (*config)->signing.generate_if_missing = args.Has("generate-signing-key");
  } else if (args.Has("generate-signing-key")) {
    return Fail(2, "--generate-signing-key needs --signing-key FILE");
  }
  if (args.Has("allow-readable-signing-key")) (*config)->signing.allow_readable_key_file = true;
  if (options.live || (*config)->live_enabled) {
    if (absl::Status st = oracle::CheckLiveVenues(**config); !st.ok()) {
      return Fail(3, std::string(st.message()));
    }
  }
  return 0;
}

void WritePortFile(const std::string& path, int port) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::fprintf(stderr, "oracled: cannot write --port-file %s\n", path.c_str());
  }
}

// During the drain: a further SIGINT/SIGTERM ends the drain period at once. Returns when `done`.
void CutDrainShortOnSignal(oracle::OracleApp& app, const sigset_t& stop_signals,
                           const std::atomic<bool>& done) {
  const timespec poll{0, 100'000'000};
  while (!done.load()) {
    int sig = sigtimedwait(&stop_signals, nullptr, &poll);
    if (sig > 0) {
      std::fprintf(stderr, "oracled: signal %d again, ending the drain period now\n", sig);
      app.EndDrainWait();
    }
  }
}

// Serves until SIGINT or SIGTERM (blocked in every thread; this one waits for them), then drains.
void ServeUntilSignalled(oracle::OracleApp& app, const sigset_t& stop_signals) {
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::fprintf(stderr, "oracled: signal %d, draining (a second signal skips the wait)\n", sig);
  std::atomic<bool> drained{false};
  std::thread second([&] { CutDrainShortOnSignal(app, stop_signals, drained); });
  app.Drain();
  drained.store(true);
  second.join();
}

}  // namespace

int main(int argc, char** argv) {
  oracle::CliArgs args(
      argc, argv, 1,
      {"config", "listen", "replay", "replay-clock", "speed", "port-file", "synthetic-eps",
       "core-idle-sleep-us", "capture", "data-dir", "signing-key", "tls-cert", "tls-key",
       "tls-client-ca", "auth-tokens", "drain-period"},
      {"loop", "help", "live", "generate-signing-key", "allow-readable-signing-key"});
  if (std::string problem = args.ProblemWithoutPositionals(); !problem.empty()) {
    std::fprintf(stderr, "oracled: %s\n%s", problem.c_str(), kUsage);
    return 2;
  }
  if (args.Has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  oracle::AppOptions options;
  if (int code = ParseAppOptions(args, &options); code != 0) return code;
  absl::StatusOr<oracle::Config> config;
  if (int code = LoadConfig(args, options, &config); code != 0) return code;

  // Debian's Abseil is built with mutex deadlock detection on; it only costs time here.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const std::string security = config->tls.enabled() ? " over TLS" : " in plaintext";
  auto app = oracle::OracleApp::Start(*std::move(config), options);
  if (!app.ok()) return Fail(4, std::string(app.status().message()));
  std::fprintf(stderr, "oracled: serving oracle.v1.OracleService on %s%s%s%s\n",
               (*app)->address().c_str(), security.c_str(),
               options.replay_path.empty() ? "" : ", replaying ", options.replay_path.c_str());
  if (auto pf = args.Get("port-file")) WritePortFile(*pf, (*app)->port());
  ServeUntilSignalled(**app, stop_signals);
  std::fprintf(stderr, "oracled: stopped after %llu events\n",
               static_cast<unsigned long long>((*app)->events_applied()));
  return 0;
}
