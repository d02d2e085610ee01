// replay: the core run offline over a tick log (--input) or recorded venue frames (--capture).
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "exit_codes.h"
#include "feeds/common/capture_replay.h"
#include "oracle/config/config.h"
#include "oracle/replay/replay_runner.h"
#include "usage.h"

namespace oracle::ctl {

int CmdReplay(const CliArgs& args) {
  if (args.positionals().size() != 1) return Usage("replay takes no positional arguments");
  auto capture = args.Get("capture");
  auto input = capture ? capture : args.Get("input");
  auto output = args.Get("output");
  if (capture && args.Has("input")) return Usage("replay takes --input or --capture, not both");
  if (!input) return Usage("replay needs --input TICKS.jsonl (or --capture FRAMES.jsonl)");
  if (!output) return Usage("replay needs --output MARKS.jsonl (or - for stdout)");
  auto config = args.Has("config") ? LoadConfigFile(*args.Get("config")) : LoadDefaultConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "oraclectl replay: %s\n", std::string(config.status().message()).c_str());
    return kExitReplay;
  }
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (*input != "-") {
    in_file.open(*input, std::ios::binary);
    if (!in_file) {
      std::fprintf(stderr, "oraclectl replay: cannot open --%s %s\n", capture ? "capture" : "input",
                   input->c_str());
      return kExitReplay;
    }
    in = &in_file;
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (*output != "-") {
    out_file.open(*output, std::ios::binary | std::ios::trunc);
    if (!out_file) {
      std::fprintf(stderr, "oraclectl replay: cannot write --output %s\n", output->c_str());
      return kExitReplay;
    }
    out = &out_file;
  }
  std::ios::sync_with_stdio(false);
  ReplayOptions options;
  options.provenance = args.Has("provenance");
  const int64_t start = MonotonicNowNs();
  absl::StatusOr<ReplaySummary> summary;
  if (capture) {
    feeds::CaptureDecoder decoder(*config);
    summary = RunReplay(*config, decoder, *in, *out, std::cerr, options);
  } else {
    summary = RunReplay(*config, *in, *out, std::cerr, options);
  }
  if (!summary.ok()) {
    std::fprintf(stderr, "oraclectl replay: %s\n", std::string(summary.status().message()).c_str());
    return kExitReplay;
  }
  const double secs = static_cast<double>(MonotonicNowNs() - start) / 1e9;
  std::cerr << summary->ToString();
  std::fprintf(stderr, "  wall time:         %.2fs (%.0f events/s)\n", secs,
               secs > 0 ? static_cast<double>(summary->events) / secs : 0.0);
  return kExitOk;
}

}  // namespace oracle::ctl
