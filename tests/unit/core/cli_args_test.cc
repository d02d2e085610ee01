#include "oracle/core/cli_args.h"

#include <gtest/gtest.h>

namespace oracle {
namespace {

CliArgs Parse(std::vector<std::string> words) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return CliArgs(static_cast<int>(argv.size()), argv.data(), 0, {"addr", "max-age"}, {"json"});
}

TEST(CliArgs, ReadsValuesBooleansAndPositionals) {
  CliArgs a = Parse({"get", "--addr", "h:1", "ETH-USD", "--json", "--max-age=5s"});
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a.positionals(), (std::vector<std::string>{"get", "ETH-USD"}));
  EXPECT_EQ(*a.Get("addr"), "h:1");
  EXPECT_EQ(*a.Get("max-age"), "5s");
  EXPECT_TRUE(a.Has("json"));
}

TEST(CliArgs, NamesTheBadFlag) {
  EXPECT_EQ(Parse({"--nope"}).error(), "unknown flag --nope");
  EXPECT_EQ(Parse({"--addr"}).error(), "flag --addr needs a value");
  EXPECT_EQ(Parse({"--json=1"}).error(), "flag --json takes no value");
}

}  // namespace
}  // namespace oracle
