// Runs real venue frames from ../shared/fixtures through a venue's parser and checks each frame's
// classification, and the normalized ticks of data frames against a reviewed golden file.
//
// Fixture files: *.jsonl (one frame per line), *.json (one pretty-printed message or REST body),
// *.log (cryptofeed "<receive ts>: <frame>"), *.txt (one frame per line). Golden files live in
// feeds/<venue>/testdata/ and hold one line per frame: its kind, then its ticks. With
// ORACLE_UPDATE_GOLDENS=1 the runner writes them instead of comparing (review the diff!).
#ifndef ORACLE_TESTS_CONFORMANCE_FIXTURE_RUNNER_H_
#define ORACLE_TESTS_CONFORMANCE_FIXTURE_RUNNER_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "feeds/common/frame.h"

namespace oracle::feeds::testing {

// ../shared/fixtures next to the repository, or "" if absent (tests then skip with a message).
std::string FixturesDir();

struct FixtureCase {
  std::string file;             // relative to FixturesDir(), e.g. "binance/spot_trade.tardis.jsonl"
  std::set<FrameKind> allowed;  // kinds every frame of the file must have
  bool rest = false;            // parse with ParseRestTicker instead of Parse
  size_t min_ticks = 0;         // at least this many ticks over the file
};

using ParseFn = std::function<ParseResult(std::string_view frame, TickBuffer* out)>;

// Reads the frames of a fixture file.
std::vector<std::string> ReadFrames(const std::string& path);

// One line describing a frame's result: "data trade BTCUSDT p=81207.45 q=0.00016 t=...; ...".
std::string DescribeResult(const ParseResult& r, const TickBuffer& ticks);

// Checks one fixture case with gtest assertions; `golden_dir` is the venue's testdata folder.
void RunFixtureCase(const FixtureCase& c, const ParseFn& parse, const std::string& golden_dir);

}  // namespace oracle::feeds::testing

#endif  // ORACLE_TESTS_CONFORMANCE_FIXTURE_RUNNER_H_
