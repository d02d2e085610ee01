// A tiny HTTP/1.1 JSON-RPC server on 127.0.0.1 (an ephemeral port) for the rate-provider tests.
//
// One thread accepts and answers one connection at a time (Connection: close): reads a POST,
// hands its body to the test's handler and writes what the handler returns, after an optional
// delay that Stop() cuts short. Plain sockets, no TLS: the provider under test uses http://.
#ifndef ORACLE_TESTS_UNIT_RATES_LOOPBACK_RPC_SERVER_H_
#define ORACLE_TESTS_UNIT_RATES_LOOPBACK_RPC_SERVER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace oracle::testing {

struct RpcReply {
  int status = 200;
  std::string body;
  int delay_ms = 0;  // wait this long before answering (Stop() ends the wait)
};

class LoopbackRpcServer {
 public:
  using Handler = std::function<RpcReply(const std::string& request_body)>;

  explicit LoopbackRpcServer(Handler handler);
  ~LoopbackRpcServer();
  LoopbackRpcServer(const LoopbackRpcServer&) = delete;
  LoopbackRpcServer& operator=(const LoopbackRpcServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }  // requests received (before answering)
  std::string last_request() const;
  void Stop();

 private:
  void Run();
  void Serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string last_request_;
};

// The "id" of a JSON-RPC request body (the requests the providers send: `"id":<digits>`).
uint64_t RequestId(const std::string& body);

// A port on 127.0.0.1 where nothing listens (bound then closed): connecting is refused.
int DeadLoopbackPort();

}  // namespace oracle::testing

#endif  // ORACLE_TESTS_UNIT_RATES_LOOPBACK_RPC_SERVER_H_
