#include "feeds/common/rest_client.h"

#include <curl/curl.h>

#include "absl/strings/str_cat.h"

namespace oracle::feeds {
namespace {

constexpr size_t kMaxBody = 8 << 20;

struct Sink {
  std::string body;
  bool too_large = false;
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t bytes = size * n;
  if (sink->body.size() + bytes > kMaxBody) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  sink->body.append(data, bytes);
  return bytes;
}

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

RestClient::RestClient(DurationNs timeout, std::string ca_file)
    : timeout_(timeout), ca_file_(std::move(ca_file)) {
  static GlobalInit init;
  curl_ = curl_easy_init();
}

RestClient::~RestClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

absl::StatusOr<std::string> RestClient::Get(const std::string& url) {
  return Perform(url, nullptr);
}

absl::StatusOr<std::string> RestClient::Post(const std::string& url, const std::string& body) {
  return Perform(url, &body);
}

absl::StatusOr<std::string> RestClient::Perform(const std::string& url,
                                                const std::string* post_body) {
  CURL* c = static_cast<CURL*>(curl_);
  if (c == nullptr) return absl::InternalError("curl_easy_init failed");
  curl_easy_reset(c);
  Sink sink;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ / kNanosPerMilli));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ / kNanosPerMilli));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "oracle/0.1");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate if the server offers
  // Loopback (tests, local sidecars) never goes through a proxy from the environment.
  curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  if (!ca_file_.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
  struct curl_slist* headers = nullptr;
  if (post_body != nullptr) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
  }
  CURLcode rc = curl_easy_perform(c);
  if (headers != nullptr) curl_slist_free_all(headers);
  if (sink.too_large) {
    return absl::ResourceExhaustedError(
        absl::StrCat(url, ": response larger than ", kMaxBody, " bytes"));
  }
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat(url, ": ", curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    return absl::UnavailableError(
        absl::StrCat(url, ": HTTP ", status, ": ", sink.body.substr(0, 200)));
  }
  return std::move(sink.body);
}

}  // namespace oracle::feeds
