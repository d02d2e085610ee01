// Safe defaults: what a configuration may expose.
#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "oracle/auth/auth.h"

namespace oracle::auth {

bool IsLoopbackAddress(std::string_view host_port) noexcept {
  const size_t colon = host_port.rfind(':');
  std::string host(host_port.substr(0, colon == std::string_view::npos ? host_port.size() : colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    static const in6_addr kLoopback = IN6ADDR_LOOPBACK_INIT;
    return std::memcmp(&v6, &kLoopback, sizeof v6) == 0;
  }
  return false;  // a name other than localhost, 0.0.0.0, [::]: reachable from elsewhere
}

absl::Status CheckExposure(const Config& config, std::vector<std::string>* warnings) {
  const bool loopback = IsLoopbackAddress(config.listen_address);
  const bool tls = config.tls.enabled();
  const bool authenticated = config.auth.enabled();
  if (!loopback && (!tls || !authenticated)) {
    std::string missing = !tls && !authenticated ? "TLS and authentication"
                          : !tls                 ? "TLS"
                                                 : "authentication";
    if (!config.allow_insecure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to serve ", config.listen_address, " without ", missing,
          ": anyone who reaches this address could ",
          authenticated ? "read every call" : "call everything", ". Add ",
          !tls ? "server { tls { cert_file key_file } } (or --tls-cert FILE --tls-key FILE)" : "",
          !tls && !authenticated ? " and " : "",
          !authenticated
              ? "server { auth { tokens_file } } (or --auth-tokens FILE) or certificate identities"
              : "",
          "; or listen on 127.0.0.1; or set server { allow_insecure: true } if something in front "
          "of this server does both (README \"Running it safely\")"));
    }
    warnings->push_back(absl::StrCat("serving ", config.listen_address, " without ", missing,
                                     " because server.allow_insecure is set"));
  }
  if (!authenticated) {
    warnings->push_back(absl::StrCat("no authentication configured: every caller on ",
                                     config.listen_address,
                                     " has every role (README \"Running it safely\")"));
  }
  return absl::OkStatus();
}

}  // namespace oracle::auth
