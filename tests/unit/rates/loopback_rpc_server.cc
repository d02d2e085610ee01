#include "unit/rates/loopback_rpc_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace oracle::testing {
namespace {

int ListenLoopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(fd, 16) != 0) {
    close(fd);
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

// Waits up to `ms` for `fd` to be readable.
bool Readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, ms) > 0;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    default:
      return "Status";
  }
}

}  // namespace

LoopbackRpcServer::LoopbackRpcServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ListenLoopback(&port_);
  thread_ = std::thread([this] { Run(); });
}

LoopbackRpcServer::~LoopbackRpcServer() { Stop(); }

void LoopbackRpcServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_.store(true);
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
  }
}

std::string LoopbackRpcServer::last_request() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_request_;
}

void LoopbackRpcServer::Run() {
  while (!stopping_.load()) {
    if (!Readable(listen_fd_, 20)) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Serve(fd);
    close(fd);
  }
}

void LoopbackRpcServer::Serve(int fd) {
  // Read the head, then Content-Length bytes of body (5 s at most in all).
  std::string in;
  size_t head_end = std::string::npos;
  size_t content_length = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!stopping_.load() && std::chrono::steady_clock::now() < deadline) {
    if (head_end != std::string::npos && in.size() >= head_end + 4 + content_length) break;
    if (!Readable(fd, 20)) continue;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return;
    in.append(buf, static_cast<size_t>(n));
    if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
      for (const char* key : {"Content-Length:", "content-length:"}) {
        size_t at = in.find(key);
        if (at != std::string::npos && at < head_end) {
          content_length = std::strtoul(in.c_str() + at + 15, nullptr, 10);
        }
      }
    }
  }
  if (head_end == std::string::npos || in.size() < head_end + 4 + content_length) return;
  const std::string body = in.substr(head_end + 4, content_length);
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_request_ = body;
  }
  requests_.fetch_add(1);
  RpcReply reply = handler_(body);
  if (reply.delay_ms > 0) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(reply.delay_ms),
                 [this] { return stopping_.load(); });
  }
  if (stopping_.load()) return;
  std::string out =
      "HTTP/1.1 " + std::to_string(reply.status) + " " + Reason(reply.status) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.body.size()) +
      "\r\nConnection: close\r\n\r\n" + reply.body;
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

uint64_t RequestId(const std::string& body) {
  size_t at = body.find("\"id\":");
  return at == std::string::npos ? 0 : std::strtoull(body.c_str() + at + 5, nullptr, 10);
}

int DeadLoopbackPort() {
  int port = 0;
  int fd = ListenLoopback(&port);
  close(fd);
  return port;
}

}  // namespace oracle::testing
