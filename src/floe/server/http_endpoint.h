// The HTTP side of `floe serve` (cpp-httplib, from Debian): a GET route
// table served on a thread pool. /metrics, /healthz and /readyz today; the
// REST catalog protocol later adds its routes here.
//
// Thread-safe: handlers run on the server's pool threads, concurrently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "floe/result.h"

namespace httplib {
class Server;
}

namespace floe::server {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};
using HttpHandler = std::function<HttpResponse()>;

class HttpEndpoint {
 public:
  HttpEndpoint();
  ~HttpEndpoint();

  // Routes, before Start. `observe` (optional) gets each request's path and
  // duration.
  void Get(const std::string& path, HttpHandler handler);
  void SetObserver(std::function<void(const std::string&, double)> observe);

  // Binds "host:port" (port 0: any free port) and serves on a thread of its
  // own. Invalid for an address that does not parse; IOError naming it when
  // it cannot be bound (in use, not local).
  Status Start(const std::string& listen);
  int port() const { return port_; }
  // Stops accepting, waits for requests in flight.
  void Stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::function<void(const std::string&, double)> observe_;
};

// Splits "host:port" / "[v6]:port" / ":port" (all interfaces).
Result<std::pair<std::string, int>> ParseListenAddress(const std::string& listen);

}  // namespace floe::server
