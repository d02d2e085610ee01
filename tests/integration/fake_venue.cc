#include <utility>  // before Asio (GCC 12)

#include "integration/fake_venue.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <chrono>

namespace oracle::testing {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

// One accepted TCP connection. The session thread owns the socket; Stop() on another thread only
// shuts the descriptor down (never closes it), under `mu`, so the two never race on its state.
struct FakeConn {
  explicit FakeConn(net::io_context& ioc) : socket(ioc) {}
  tcp::socket socket;
  std::mutex mu;
};

struct FakeVenue::Impl {
  net::io_context ioc;
  ssl::context ssl_ctx{ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  std::thread accept_thread;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<FakeConn>> conns;  // to shut them down on Stop
  std::vector<std::string> received;
  Script script;
  HttpHandler http;
  FakeVenue* owner = nullptr;
};

namespace {

class Session : public VenueSession {
 public:
  Session(FakeVenue::Impl* impl, websocket::stream<beast::ssl_stream<tcp::socket&>>* ws,
          FakeConn* conn)
      : impl_(impl), ws_(ws), conn_(conn), socket_(&conn->socket) {}

  bool Send(const std::string& text) override {
    beast::error_code ec;
    ws_->text(true);
    ws_->write(net::buffer(text), ec);
    return !ec;
  }
  bool SendBinary(const std::string& bytes) override {
    beast::error_code ec;
    ws_->binary(true);
    ws_->write(net::buffer(bytes), ec);
    return !ec;
  }
  bool Read(std::string* out, int timeout_ms) override {
    // Poll for readable bytes so the read cannot block past the timeout.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline && !impl_->stopping.load()) {
      beast::error_code ec;
      size_t avail = socket_->available(ec);
      if (ec) return false;
      if (avail > 0 || SSL_pending(ws_->next_layer().native_handle()) > 0) {
        beast::flat_buffer buf;
        ws_->read(buf, ec);
        if (ec) return false;
        *out = beast::buffers_to_string(buf.data());
        std::lock_guard<std::mutex> lock(impl_->mu);
        impl_->received.push_back(*out);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }
  void Drop() override {
    std::lock_guard<std::mutex> lock(conn_->mu);
    beast::error_code ec;
    socket_->shutdown(tcp::socket::shutdown_both, ec);
    socket_->close(ec);
  }
  bool Stopping() const override { return impl_->stopping.load(); }
  void SleepMs(int ms) override {
    for (int i = 0; i < ms / 5 + 1 && !impl_->stopping.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

 private:
  FakeVenue::Impl* impl_;
  websocket::stream<beast::ssl_stream<tcp::socket&>>* ws_;
  FakeConn* conn_;
  tcp::socket* socket_;
};

void Serve(FakeVenue::Impl* impl, const std::shared_ptr<FakeConn>& conn, int index,
           std::atomic<int>* connections, std::atomic<int>* http_requests) {
  beast::error_code ec;
  beast::ssl_stream<tcp::socket&> tls(conn->socket, impl->ssl_ctx);
  tls.handshake(ssl::stream_base::server, ec);
  if (ec) return;
  beast::flat_buffer buffer;
  http::request<http::string_body> req;
  http::read(tls, buffer, req, ec);
  if (ec) return;
  if (websocket::is_upgrade(req)) {
    websocket::stream<beast::ssl_stream<tcp::socket&>> ws(std::move(tls));
    ws.accept(req, ec);
    if (ec) return;
    connections->fetch_add(1);
    Session session(impl, &ws, conn.get());
    impl->script(session, index);
    return;
  }
  http_requests->fetch_add(1);
  std::string body = impl->http ? impl->http(std::string(req.method_string()),
                                             std::string(req.target()), req.body())
                                : "!404";
  http::response<http::string_body> res;
  res.version(11);
  res.keep_alive(false);
  if (body == "!404") {
    res.result(http::status::not_found);
    res.body() = "not found";
  } else {
    res.result(http::status::ok);
    res.set(http::field::content_type, "application/json");
    res.body() = body;
  }
  res.prepare_payload();
  http::write(tls, res, ec);
  tls.shutdown(ec);
}

}  // namespace

FakeVenue::FakeVenue(const TestCertificate& cert, Script script, HttpHandler http)
    : impl_(std::make_unique<Impl>()) {
  impl_->owner = this;
  impl_->script = std::move(script);
  impl_->http = std::move(http);
  impl_->ssl_ctx.use_certificate_chain_file(cert.cert_pem_path);
  impl_->ssl_ctx.use_private_key_file(cert.key_pem_path, ssl::context::pem);
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept_thread = std::thread([this] {
    int index = 0;
    while (!impl_->stopping.load()) {
      auto conn = std::make_shared<FakeConn>(impl_->ioc);
      beast::error_code ec;
      impl_->acceptor.accept(conn->socket, ec);
      if (ec || impl_->stopping.load()) break;
      std::lock_guard<std::mutex> lock(impl_->mu);
      impl_->conns.push_back(conn);
      const int i = index++;
      impl_->threads.emplace_back(
          [this, conn, i] { Serve(impl_.get(), conn, i, &connections_, &http_requests_); });
    }
  });
}

FakeVenue::~FakeVenue() { Stop(); }

std::vector<std::string> FakeVenue::received() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->received;
}

void FakeVenue::Stop() {
  if (impl_->stopping.exchange(true)) return;
  beast::error_code ec;
  // Wake the blocking accept by connecting once; the accept loop sees `stopping` and ends.
  {
    tcp::socket s(impl_->ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port_)), ec);
  }
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  impl_->acceptor.close(ec);
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (auto& c : impl_->conns) {
      std::lock_guard<std::mutex> conn_lock(c->mu);
      c->socket.shutdown(tcp::socket::shutdown_both, ec);  // wakes blocked reads; owner closes
    }
    threads = std::move(impl_->threads);
  }
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace oracle::testing
