#include "conformance/fixture_runner.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace oracle::feeds::testing {
namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

std::string TimeText(TimeNs t) { return t == 0 ? std::string("-") : FormatRfc3339(t); }

}  // namespace

std::string FixturesDir() {
  if (const char* env = std::getenv("ORACLE_FIXTURES_DIR")) return env;
  std::string d = std::string(ORACLE_SOURCE_DIR) + "/../shared/fixtures";
  return Exists(d) ? d : std::string();
}

std::vector<std::string> ReadFrames(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> frames;
  const bool whole = path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (whole) {
    std::stringstream ss;
    ss << in.rdbuf();
    frames.push_back(ss.str());
    return frames;
  }
  const bool log = path.size() > 4 && path.compare(path.size() - 4, 4, ".log") == 0;
  for (std::string line; std::getline(in, line);) {
    line = Trim(line);
    if (line.empty()) continue;
    if (log) {
      size_t colon = line.find(": ");
      if (colon == std::string::npos) continue;
      line = line.substr(colon + 2);
    }
    frames.push_back(line);
  }
  return frames;
}

std::string DescribeResult(const ParseResult& r, const TickBuffer& ticks) {
  std::string s(FrameKindName(r.kind));
  if (r.kind == FrameKind::kError || r.kind == FrameKind::kReconnect) {
    s += " \"" + std::string(r.detail) + "\"";
  }
  if (!r.reply.empty()) s += " reply=" + std::string(r.reply);
  for (const Tick& t : ticks) {
    s += "; ";
    if (t.type == TickType::kTrade) {
      s += "trade " + std::string(t.symbol) + " p=" + FormatDecimal(t.price) +
           " q=" + FormatDecimal(t.size);
    } else {
      s += "quote " + std::string(t.symbol) + " b=" + FormatDecimal(t.bid) +
           " a=" + FormatDecimal(t.ask);
    }
    s += " t=" + TimeText(t.event_time);
    if (t.sequence != 0) s += " seq=" + std::to_string(t.sequence);
    if (t.prev_sequence != 0) s += " prev=" + std::to_string(t.prev_sequence);
  }
  if (ticks.overflow() > 0) s += "; overflow=" + std::to_string(ticks.overflow());
  return s;
}

void RunFixtureCase(const FixtureCase& c, const ParseFn& parse, const std::string& golden_dir) {
  SCOPED_TRACE(c.file);
  const std::string path = FixturesDir() + "/" + c.file;
  ASSERT_TRUE(Exists(path)) << "fixture missing: " << path;
  std::vector<std::string> frames = ReadFrames(path);
  ASSERT_FALSE(frames.empty()) << "no frames in " << path;
  std::string described;
  size_t ticks_total = 0;
  TickBuffer ticks;
  for (size_t i = 0; i < frames.size(); ++i) {
    ticks.Clear();
    ParseResult r = parse(frames[i], &ticks);
    EXPECT_TRUE(c.allowed.count(r.kind))
        << "frame " << i + 1 << " classified " << FrameKindName(r.kind) << " (" << r.detail
        << "): " << frames[i].substr(0, 300);
    for (const Tick& t : ticks) {
      EXPECT_FALSE(t.symbol.empty()) << "frame " << i + 1;
      if (t.type == TickType::kTrade) {
        EXPECT_GT(t.price.mantissa, 0) << "frame " << i + 1;
      } else {
        EXPECT_GT(t.bid.mantissa, 0) << "frame " << i + 1;
        EXPECT_GT(t.ask.mantissa, 0) << "frame " << i + 1;
      }
    }
    ticks_total += ticks.size();
    described += DescribeResult(r, ticks) + "\n";
  }
  EXPECT_GE(ticks_total, c.min_ticks);
  std::string name = c.file;
  for (char& ch : name) {
    if (ch == '/') ch = '_';
  }
  const std::string golden = golden_dir + "/" + name + ".golden";
  if (std::getenv("ORACLE_UPDATE_GOLDENS") != nullptr) {
    std::ofstream(golden) << described;
    return;
  }
  std::ifstream in(golden);
  ASSERT_TRUE(in.good()) << "no golden file " << golden
                         << " (run with ORACLE_UPDATE_GOLDENS=1 and review it)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(described, ss.str()) << "normalized output differs from " << golden;
}

}  // namespace oracle::feeds::testing
