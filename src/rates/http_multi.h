// Concurrent HTTP POSTs over one libcurl multi handle (internal to src/rates): every endpoint of
// every due rate provider is asked at once, each request with its own total timeout, and a
// waiting Perform() can be woken from another thread so Stop() never waits out a timeout.
//
// feeds/common/rest_client.h is blocking, one request at a time and cannot be interrupted, which
// is why rates have this instead. One thread calls Perform(); Wakeup() may be called from any
// thread. Connections are kept in the multi handle's cache between polls.
#ifndef ORACLE_SRC_RATES_HTTP_MULTI_H_
#define ORACLE_SRC_RATES_HTTP_MULTI_H_

#include <atomic>
#include <string>
#include <vector>

#include "oracle/core/time.h"

namespace oracle::rates::internal {

struct HttpRequest {
  std::string url;
  std::string body;  // POSTed as application/json
  DurationNs timeout_ns = 5 * kNanosPerSecond;
};

struct HttpResponse {
  bool transport_ok = false;  // a complete HTTP response arrived (any status)
  long http_status = 0;
  std::string body;
  std::string error;  // why the transport failed: "Failed to connect to ... Connection refused"
};

class HttpMulti {
 public:
  HttpMulti();
  ~HttpMulti();
  HttpMulti(const HttpMulti&) = delete;
  HttpMulti& operator=(const HttpMulti&) = delete;

  // Performs all requests concurrently and fills `responses` (same order). Returns false, with
  // the unfinished requests abandoned, as soon as `cancel` is set (checked after every Wakeup()).
  bool Perform(const std::vector<HttpRequest>& requests, std::vector<HttpResponse>* responses,
               const std::atomic<bool>& cancel);

  // Wakes a Perform() waiting in another thread. Thread-safe.
  void Wakeup();

 private:
  void* multi_;
};

}  // namespace oracle::rates::internal

#endif  // ORACLE_SRC_RATES_HTTP_MULTI_H_
