// One table of venues: feeds/registry.cc is the truth; the venue folders CMake builds
// (ORACLE_VENUES in feeds/CMakeLists.txt) and the default configuration must agree with it.
#include "feeds/registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/strings/str_split.h"
#include "oracle/config/config.h"

namespace oracle::feeds {
namespace {

// A registration's folder: its name up to the first '-' ("binance-usdm" lives in feeds/binance/).
std::string FolderOf(std::string_view venue_name) {
  return std::string(venue_name.substr(0, venue_name.find('-')));
}

std::set<std::string> CmakeVenueFolders() {
  std::set<std::string> out;
  for (absl::string_view v : absl::StrSplit(ORACLE_VENUES_CSV, ',', absl::SkipEmpty())) {
    out.insert(std::string(v));
  }
  return out;
}

TEST(VenueRegistry, EveryRegisteredVenueIsBuiltAndEveryBuiltFolderIsRegistered) {
  const std::set<std::string> built = CmakeVenueFolders();
  std::set<std::string> registered;
  for (const VenueRegistration& r : VenueRegistry()) {
    registered.insert(FolderOf(r.name));
    EXPECT_TRUE(built.count(FolderOf(r.name)))
        << r.name << " is in feeds/registry.cc but its folder " << FolderOf(r.name)
        << " is not in ORACLE_VENUES (feeds/CMakeLists.txt)";
  }
  for (const std::string& folder : built) {
    EXPECT_TRUE(registered.count(folder))
        << folder << " is built (ORACLE_VENUES) but has no line in feeds/registry.cc";
  }
}

TEST(VenueRegistry, NamesAreUniqueAndEachMakesAProtocol) {
  std::set<std::string> names;
  for (const VenueRegistration& r : VenueRegistry()) {
    EXPECT_TRUE(names.insert(std::string(r.name)).second) << "duplicate " << r.name;
    EXPECT_NE(MakeVenueProtocol(r.name), nullptr) << r.name;
    EXPECT_FALSE(r.description.empty()) << r.name;
  }
  EXPECT_EQ(MakeVenueProtocol("no-such-venue"), nullptr);
}

TEST(VenueRegistry, EveryVenueOfTheDefaultConfigurationHasAnAdapter) {
  auto config = LoadDefaultConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  for (size_t v = 0; v < config->venues.size(); ++v) {
    EXPECT_NE(MakeVenueProtocol(config->venues[v].name), nullptr)
        << "feeds/default.textproto venues[" << v << "].name: " << config->venues[v].name
        << " has no adapter in feeds/registry.cc";
  }
}

}  // namespace
}  // namespace oracle::feeds
