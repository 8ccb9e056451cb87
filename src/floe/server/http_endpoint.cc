#include "floe/server/http_endpoint.h"

#include <httplib.h>

#include <chrono>

#include "floe/util/strings.h"

namespace floe::server {

HttpEndpoint::HttpEndpoint() : server_(std::make_unique<httplib::Server>()) {
  // httplib's default adds SO_REUSEPORT, which lets a second `floe serve`
  // bind the same port and take half the scrapes. SO_REUSEADDR alone
  // still allows a quick restart.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<void*>(&yes), sizeof(yes));
  });
  // Debian's cpp-httplib prefers brotli whenever a client accepts it, at
  // quality 11: six seconds of CPU for the 3 MB of a 1,000-table scrape,
  // where gzip (what Prometheus asks for) takes 30 ms. Brotli is taken out
  // of what clients accept. The Request is a mutable object of the server's
  // connection loop; only its const view reaches the handler.
  server_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    auto& headers = const_cast<httplib::Request&>(req).headers;
    auto it = headers.find("Accept-Encoding");
    if (it != headers.end() && it->second.find("br") != std::string::npos) {
      std::string kept;
      for (std::string_view part : util::Split(it->second, ',')) {
        const std::string name(util::Trim(part));
        if (name.rfind("br", 0) == 0) continue;
        if (!kept.empty()) kept += ", ";
        kept += name;
      }
      it->second = kept;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

HttpEndpoint::~HttpEndpoint() { Stop(); }

Result<std::pair<std::string, int>> ParseListenAddress(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  auto bad = [&] {
    return Status::Invalid("--listen ", util::Quote(listen),
                           ": give HOST:PORT, such as 127.0.0.1:9464 or :9464 (all interfaces)");
  };
  if (colon == std::string::npos) return bad();
  std::string host = listen.substr(0, colon);
  auto port = util::ParseInt64(listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) return bad();
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  return std::make_pair(host, static_cast<int>(*port));
}

void HttpEndpoint::Get(const std::string& path, HttpHandler handler) {
  server_->Get(path, [this, path, handler = std::move(handler)](const httplib::Request&,
                                                                 httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    HttpResponse r = handler();
    res.status = r.status;
    res.set_content(std::move(r.body), r.content_type.c_str());
    if (observe_) {
      observe_(path, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  });
}

void HttpEndpoint::SetObserver(std::function<void(const std::string&, double)> observe) {
  observe_ = std::move(observe);
}

Status HttpEndpoint::Start(const std::string& listen) {
  FLOE_ASSIGN_OR_RAISE(auto address, ParseListenAddress(listen));
  const auto& [host, port] = address;
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
    if (port_ < 0) port_ = 0;
  } else if (server_->bind_to_port(host, port)) {
    port_ = port;
  }
  if (port_ == 0) {
    return Status::IOError("cannot listen on ", listen,
                           ": the port is in use or the address is not local; choose another "
                           "with --listen");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // Stop() only reaches a server that is running: wait until it is.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::OK();
}

void HttpEndpoint::Stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace floe::server
