// The table of venue protocols. Adding a venue = its folder in feeds/ + one line in registry.cc.
// A configured venue whose name is in this table can be connected live (`oracled --live`) and its
// captured frames replayed (`oraclectl replay --capture`).
#ifndef ORACLE_FEEDS_REGISTRY_H_
#define ORACLE_FEEDS_REGISTRY_H_

#include <memory>
#include <string_view>
#include <vector>

#include "feeds/common/venue_protocol.h"

namespace oracle::feeds {

struct VenueRegistration {
  std::string_view name;         // the venue name used in the configuration
  std::string_view description;  // channels used, for people
  std::unique_ptr<VenueProtocol> (*make)();
};

const std::vector<VenueRegistration>& VenueRegistry();

// A new protocol instance (with its own parser) for a configured venue name; null if none.
std::unique_ptr<VenueProtocol> MakeVenueProtocol(std::string_view venue_name);

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_REGISTRY_H_
