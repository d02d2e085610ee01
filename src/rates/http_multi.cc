#include "http_multi.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"

namespace oracle::rates::internal {
namespace {

// A JSON-RPC reply for one account or one word is small; anything bigger is not what was asked.
constexpr size_t kMaxBody = 1 << 20;

struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse* response = nullptr;
  bool too_large = false;
  bool done = false;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (t->response->body.size() + bytes > kMaxBody) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->response->body.append(data, bytes);
  return bytes;
}

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

HttpMulti::HttpMulti() {
  static GlobalInit init;
  multi_ = curl_multi_init();
}

HttpMulti::~HttpMulti() { curl_multi_cleanup(static_cast<CURLM*>(multi_)); }

void HttpMulti::Wakeup() { curl_multi_wakeup(static_cast<CURLM*>(multi_)); }

bool HttpMulti::Perform(const std::vector<HttpRequest>& requests,
                        std::vector<HttpResponse>* responses, const std::atomic<bool>& cancel) {
  CURLM* multi = static_cast<CURLM*>(multi_);
  responses->assign(requests.size(), HttpResponse{});
  std::vector<std::unique_ptr<Transfer>> transfers;
  for (size_t i = 0; i < requests.size(); ++i) {
    const HttpRequest& r = requests[i];
    auto t = std::make_unique<Transfer>();
    t->response = &(*responses)[i];
    t->easy = curl_easy_init();
    if (t->easy == nullptr) {
      t->response->error = "curl_easy_init failed";
      t->done = true;
      transfers.push_back(std::move(t));
      continue;
    }
    CURL* c = t->easy;
    const long timeout_ms = std::max<long>(1, static_cast<long>(r.timeout_ns / kNanosPerMilli));
    curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(c, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error_buffer);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "oracle-rates/0.1");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    // Loopback (tests, local nodes) never goes through a proxy from the environment.
    curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
    curl_multi_add_handle(multi, c);
    transfers.push_back(std::move(t));
  }

  bool cancelled = false;
  int running = 1;
  while (running > 0) {
    if (cancel.load(std::memory_order_acquire)) {
      cancelled = true;
      break;
    }
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
      t->done = true;
      HttpResponse* resp = t->response;
      if (t->too_large) {
        resp->error = absl::StrCat("response larger than ", kMaxBody, " bytes");
      } else if (msg->data.result != CURLE_OK) {
        resp->error = t->error_buffer[0] != '\0' ? std::string(t->error_buffer)
                                                 : curl_easy_strerror(msg->data.result);
      } else {
        resp->transport_ok = true;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &resp->http_status);
      }
    }
    if (running == 0) break;
    // Wakes on socket activity, a curl timer, Wakeup(), or after 1 s at the latest.
    if (curl_multi_poll(multi, nullptr, 0, 1000, nullptr) != CURLM_OK) break;
  }

  for (auto& t : transfers) {
    if (t->easy == nullptr) continue;
    if (!t->done && t->response->error.empty()) {
      t->response->error = cancelled ? "cancelled (stopping)" : "transfer did not complete";
    }
    curl_multi_remove_handle(multi, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
  }
  return !cancelled;
}

}  // namespace oracle::rates::internal
