// Small blocking HTTP client over libcurl for venue REST tickers and bootstrap calls. One per
// adapter thread (not thread-safe); each call has a total timeout and a response size limit.
#ifndef ORACLE_FEEDS_COMMON_REST_CLIENT_H_
#define ORACLE_FEEDS_COMMON_REST_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "oracle/core/time.h"

namespace oracle::feeds {

class RestClient {
 public:
  // `ca_file`: extra trust anchors (tests); empty uses the system store. Certificates are always
  // verified.
  RestClient(DurationNs timeout, std::string ca_file);
  ~RestClient();
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  // The body of a 2xx reply; an error naming the URL and what went wrong otherwise.
  absl::StatusOr<std::string> Get(const std::string& url);
  absl::StatusOr<std::string> Post(const std::string& url, const std::string& body);

 private:
  absl::StatusOr<std::string> Perform(const std::string& url, const std::string* post_body);
  void* curl_;
  DurationNs timeout_;
  std::string ca_file_;
};

}  // namespace oracle::feeds

#endif  // ORACLE_FEEDS_COMMON_REST_CLIENT_H_
