// A scriptable venue on loopback for adapter tests: TLS on 127.0.0.1 (test certificate), serving
// WebSocket upgrades and plain HTTPS GET/POST on the same port. Each accepted WebSocket runs the
// test's script on its own thread, so a script can stall, drop, flood or misbehave at will.
#ifndef ORACLE_TESTS_INTEGRATION_FAKE_VENUE_H_
#define ORACLE_TESTS_INTEGRATION_FAKE_VENUE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/test_tls.h"

namespace oracle::testing {

// One accepted WebSocket connection, as the script sees it.
class VenueSession {
 public:
  virtual ~VenueSession() = default;
  virtual bool Send(const std::string& text) = 0;  // false once the peer is gone
  virtual bool SendBinary(const std::string& bytes) = 0;
  // Next message from the client within timeout_ms; false on timeout or close.
  virtual bool Read(std::string* out, int timeout_ms) = 0;
  virtual void Drop() = 0;            // close the TCP connection without a close frame
  virtual bool Stopping() const = 0;  // the server is shutting down
  virtual void SleepMs(int ms) = 0;   // sleeps, waking early when stopping
};

class FakeVenue {
 public:
  using Script = std::function<void(VenueSession& session, int connection_index)>;
  // (method, target, body) -> response body; status 200. Return "!404" for a 404.
  using HttpHandler = std::function<std::string(
      const std::string& method, const std::string& target, const std::string& body)>;

  FakeVenue(const TestCertificate& cert, Script script, HttpHandler http = nullptr);
  ~FakeVenue();

  int port() const { return port_; }
  std::string ws_endpoint() const { return "wss://127.0.0.1:" + std::to_string(port_); }
  std::string https_endpoint() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }
  int http_requests() const { return http_requests_.load(); }
  // Every message clients sent over WebSocket (subscriptions, pings), in order.
  std::vector<std::string> received() const;
  void Stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<int> http_requests_{0};
};

}  // namespace oracle::testing

#endif  // ORACLE_TESTS_INTEGRATION_FAKE_VENUE_H_
