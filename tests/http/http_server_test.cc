#include "http/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/router.h"
#include "tests/http/http_test_client.h"

namespace wetlink::http {
namespace {

using testing::ClientResponse;
using testing::Fetch;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestConnection;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char kHelloRequest[] = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

HttpServerOptions Options(std::function<void(HttpServerOptions&)> change) {
  HttpServerOptions options;
  change(options);
  return options;
}

Router TestRoutes() {
  Router router;
  router.Get("/hello", [](const HttpRequest&, const RouteParams&) {
    return HttpResponse::Text(200, "hello, wetlands");
  });
  router.Get("/sites/{id}", [](const HttpRequest& request, const RouteParams& params) {
    HttpResponse response =
        HttpResponse::Html(200, "<p>" + HtmlEscape(params.at("id")) + " " +
                                    HtmlEscape(request.QueryValue("lang").value_or("en")) + "</p>");
    response.headers.emplace_back("X-Site", params.at("id"));
    return response;
  });
  router.Get("/throw", [](const HttpRequest&, const RouteParams&) -> HttpResponse {
    throw std::runtime_error("secret detail");
  });
  router.Get("/bad-header", [](const HttpRequest&, const RouteParams&) {
    HttpResponse response = HttpResponse::Text(200, "x");
    response.headers.emplace_back("X-Injected", "a\r\nSet-Cookie: b");
    return response;
  });
  return router;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options = HttpServerOptions()) {
    options.listen = "127.0.0.1:0";
    auto server = HttpServer::Start(
        options, [router = TestRoutes()](const HttpRequest& r) { return router.Handle(r); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_GT(server_->port(), 0);
  }
  std::unique_ptr<TestConnection> Connect() {
    std::string error;
    auto connection = TestConnection::Open(server_->port(), &error);
    EXPECT_NE(connection, nullptr) << error;
    return connection;
  }
  ClientResponse MustFetch(std::string_view target, std::string_view method = "GET") {
    std::string error;
    std::optional<ClientResponse> response = Fetch(server_->port(), target, method, &error);
    EXPECT_TRUE(response.has_value()) << target << ": " << error;
    return response.value_or(ClientResponse{});
  }
  // Sends `request` on a fresh connection and reads the answer, which must
  // be followed by the server closing the connection.
  ClientResponse SendAndExpectClose(const std::string& request) {
    auto connection = Connect();
    if (!connection) return {};
    EXPECT_TRUE(connection->Send(request)) << connection->error();
    std::optional<ClientResponse> response = connection->ReadResponse();
    EXPECT_TRUE(response.has_value()) << connection->error();
    EXPECT_TRUE(connection->WaitClosed(milliseconds(3000))) << connection->error();
    return response.value_or(ClientResponse{});
  }

  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ServesGetWithBodyAndHeaders) {
  Start();
  ClientResponse response = MustFetch("/hello");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.reason, "OK");
  EXPECT_EQ(response.body, "hello, wetlands\n");
  EXPECT_EQ(response.Header("content-length"), std::to_string(response.body.size()));
  EXPECT_EQ(response.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(response.Header("cache-control"), "no-store");
  EXPECT_EQ(response.Header("x-content-type-options"), "nosniff");
  EXPECT_THAT(response.Header("date"), HasSubstr("GMT"));
  EXPECT_EQ(response.Header("connection"), "close");
}

TEST_F(HttpServerTest, PassesDecodedParametersQueryAndExtraHeaders) {
  Start();
  ClientResponse response = MustFetch("/sites/ras%3Con?lang=r+u");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(response.body, "<p>ras&lt;on r u</p>");
  EXPECT_EQ(response.Header("x-site"), "ras<on");
}

TEST_F(HttpServerTest, HeadSendsHeadersOnly) {
  Start();
  auto connection = Connect();
  ASSERT_TRUE(connection->Send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = connection->ReadResponse(/*head=*/true);
  ASSERT_TRUE(head.has_value()) << connection->error();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("content-length"), "16");
  // Had a body followed, it would be read as the next status line.
  ASSERT_TRUE(connection->Send(kHelloRequest));
  auto get = connection->ReadResponse();
  ASSERT_TRUE(get.has_value()) << connection->error();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "hello, wetlands\n");
}

TEST_F(HttpServerTest, UnknownPathIs404WithAMessage) {
  Start();
  ClientResponse response = MustFetch("/reports/sites/atlantis");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_THAT(response.body, HasSubstr("/reports/sites/atlantis"));
  EXPECT_EQ(MustFetch("/hello", "HEAD").status, 200);
  EXPECT_EQ(MustFetch("/nothing", "HEAD").status, 404);
}

TEST_F(HttpServerTest, OtherMethodsAre405WithAllow) {
  Start();
  ClientResponse response = MustFetch("/hello", "DELETE");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("allow"), "GET, HEAD");
  EXPECT_THAT(response.body, HasSubstr("DELETE"));
  response = SendAndExpectClose(
      "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(response.status, 405);
}

TEST_F(HttpServerTest, MalformedRequestLineIs400) {
  Start();
  for (const char* request : {"THIS IS NOT HTTP\r\n\r\n", "GET /hello\r\n\r\n",
                              "GET /hello HTTP/1.1 extra\r\nHost: x\r\n\r\n",
                              "GET /hello HTTP/1.1\r\nBad Header Line\r\n\r\n"}) {
    ClientResponse response = SendAndExpectClose(request);
    EXPECT_EQ(response.status, 400) << request;
    EXPECT_THAT(response.body, HasSubstr("malformed HTTP request")) << request;
  }
}

TEST_F(HttpServerTest, MalformedTargetIs400) {
  Start();
  ClientResponse response = MustFetch("/sites/%zz");
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("two hex digits"));
  EXPECT_EQ(MustFetch("/sites/a%00b").status, 400);
  EXPECT_EQ(MustFetch("/hello?lang=%").status, 400);
  EXPECT_EQ(MustFetch("*").status, 400);
}

TEST_F(HttpServerTest, Http11WithoutHostIs400) {
  Start();
  ClientResponse response = SendAndExpectClose("GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("Host"));
}

TEST_F(HttpServerTest, Http10IsAnsweredAndClosed) {
  Start();
  ClientResponse response = SendAndExpectClose("GET /hello HTTP/1.0\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello, wetlands\n");
}

TEST_F(HttpServerTest, OversizeHeaderIs431) {
  Start();
  const std::string request =
      "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20 * 1024, 'a') + "\r\n\r\n";
  ClientResponse response = SendAndExpectClose(request);
  EXPECT_EQ(response.status, 431);
  EXPECT_THAT(response.body, HasSubstr("16384 bytes"));
  // A header just under the limit is fine.
  auto connection = Connect();
  ASSERT_TRUE(connection->Send(
      "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(15 * 1024, 'a') + "\r\n\r\n"));
  auto ok = connection->ReadResponse();
  ASSERT_TRUE(ok.has_value()) << connection->error();
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServerTest, BodyOnGetIs413) {
  Start();
  ClientResponse response =
      SendAndExpectClose("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(response.status, 413);
  EXPECT_THAT(response.body, HasSubstr("body"));
  response = SendAndExpectClose(
      "GET /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(response.status, 413);
}

TEST_F(HttpServerTest, HandlerExceptionIs500WithoutTheDetail) {
  Start();
  ClientResponse response = MustFetch("/throw");
  EXPECT_EQ(response.status, 500);
  EXPECT_THAT(response.body, HasSubstr("internal server error"));
  EXPECT_THAT(response.body, Not(HasSubstr("secret detail")));
  // A header field that would split the response is refused as well.
  EXPECT_EQ(MustFetch("/bad-header").status, 500);
  // The server goes on serving.
  EXPECT_EQ(MustFetch("/hello").status, 200);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Start();
  auto connection = Connect();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(connection->Send(kHelloRequest));
    auto response = connection->ReadResponse();
    ASSERT_TRUE(response.has_value()) << i << ": " << connection->error();
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->Header("connection"), "close");
  }
  // Pipelined: two requests in one write, two answers in order.
  ASSERT_TRUE(
      connection->Send(std::string(kHelloRequest) + "GET /sites/x HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto first = connection->ReadResponse();
  auto second = connection->ReadResponse();
  ASSERT_TRUE(first.has_value() && second.has_value()) << connection->error();
  EXPECT_EQ(first->body, "hello, wetlands\n");
  EXPECT_EQ(second->body, "<p>x en</p>");
}

TEST_F(HttpServerTest, MaxRequestsPerConnectionClosesAfterTheLast) {
  Start(Options([](auto& o) { o.max_requests_per_connection = 2; }));
  auto connection = Connect();
  ASSERT_TRUE(connection->Send(kHelloRequest));
  auto first = connection->ReadResponse();
  ASSERT_TRUE(first.has_value()) << connection->error();
  EXPECT_NE(first->Header("connection"), "close");
  ASSERT_TRUE(connection->Send(kHelloRequest));
  auto second = connection->ReadResponse();
  ASSERT_TRUE(second.has_value()) << connection->error();
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->Header("connection"), "close");
  EXPECT_TRUE(connection->WaitClosed(milliseconds(3000))) << connection->error();
}

TEST_F(HttpServerTest, TwentyConcurrentClients) {
  Start();
  constexpr int kClients = 20;
  constexpr int kRequestsEach = 5;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto connection = TestConnection::Open(server_->port());
      if (!connection) return;
      for (int i = 0; i < kRequestsEach; ++i) {
        const std::string id = std::to_string(c) + "-" + std::to_string(i);
        if (!connection->Send("GET /sites/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n")) return;
        auto response = connection->ReadResponse();
        if (response && response->status == 200 && response->body == "<p>" + id + " en</p>") {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequestsEach);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  Start(Options([](auto& o) { o.max_connections = 2; }));
  std::vector<std::unique_ptr<TestConnection>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(Connect());
    ASSERT_TRUE(held.back()->Send(kHelloRequest));
    auto response = held.back()->ReadResponse();
    ASSERT_TRUE(response.has_value()) << held.back()->error();
    EXPECT_EQ(response->status, 200);
  }
  ClientResponse busy = SendAndExpectClose(kHelloRequest);
  EXPECT_EQ(busy.status, 503);
  EXPECT_THAT(busy.body, HasSubstr("busy"));
  EXPECT_EQ(busy.Header("retry-after"), "1");
  // The held connections still work.
  ASSERT_TRUE(held[0]->Send(kHelloRequest));
  auto still = held[0]->ReadResponse();
  ASSERT_TRUE(still.has_value()) << held[0]->error();
  EXPECT_EQ(still->status, 200);

  // Once one closes, a new connection is served again.
  held.pop_back();
  int status = 0;
  const Clock::time_point deadline = Clock::now() + milliseconds(5000);
  while (Clock::now() < deadline) {
    status = MustFetch("/hello").status;
    if (status == 200) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(status, 200);
}

TEST_F(HttpServerTest, ReadTimeoutClosesIdleAndSlowConnections) {
  Start(Options([](auto& o) { o.read_timeout = milliseconds(300); }));
  const Clock::time_point start = Clock::now();
  auto idle = Connect();
  auto slow = Connect();
  ASSERT_TRUE(slow->Send("GET /hello HTTP/1.1\r\nHo"));
  auto kept = Connect();
  ASSERT_TRUE(kept->Send(kHelloRequest));
  ASSERT_TRUE(kept->ReadResponse().has_value()) << kept->error();
  for (TestConnection* connection : {idle.get(), slow.get(), kept.get()}) {
    EXPECT_TRUE(connection->WaitClosed(milliseconds(5000))) << connection->error();
  }
  EXPECT_GE(Clock::now() - start, milliseconds(250));
}

TEST_F(HttpServerTest, ShutdownWithClientsConnectedReturnsPromptly) {
  Start();
  std::vector<std::unique_ptr<TestConnection>> connections;
  for (int i = 0; i < 3; ++i) connections.push_back(Connect());
  connections.push_back(Connect());
  ASSERT_TRUE(connections.back()->Send("GET /hello HTTP/1.1\r\n"));  // half a request
  connections.push_back(Connect());
  ASSERT_TRUE(connections.back()->Send(kHelloRequest));  // kept alive after its answer
  ASSERT_TRUE(connections.back()->ReadResponse().has_value());
  const int port = server_->port();

  const Clock::time_point start = Clock::now();
  server_->Shutdown();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  for (auto& connection : connections) {
    EXPECT_TRUE(connection->WaitClosed(milliseconds(2000))) << connection->error();
  }
  EXPECT_EQ(TestConnection::Open(port), nullptr);
  server_->Shutdown();  // a second call is harmless
  server_.reset();      // and so is the destructor's
}

TEST_F(HttpServerTest, ShutdownWaitsForARunningHandler) {
  std::atomic<bool> entered{false};
  std::atomic<bool> finished{false};
  auto server = HttpServer::Start(HttpServerOptions(), [&](const HttpRequest&) {
    entered = true;
    std::this_thread::sleep_for(milliseconds(300));
    finished = true;
    return HttpResponse::Text(200, "late");
  });
  ASSERT_TRUE(server.ok()) << server.status();
  auto connection = TestConnection::Open((*server)->port());
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(connection->Send(kHelloRequest));
  const Clock::time_point deadline = Clock::now() + milliseconds(5000);
  while (!entered && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(5));
  ASSERT_TRUE(entered);
  (*server)->Shutdown();
  EXPECT_TRUE(finished);
  connection->ReadResponse(false, milliseconds(2000));  // answered or closed, never hangs
}

TEST_F(HttpServerTest, PortInUseIsUnavailableNamingTheAddress) {
  Start();
  const std::string listen = "127.0.0.1:" + std::to_string(server_->port());
  auto second = HttpServer::Start(Options([&](auto& o) { o.listen = listen; }),
                                  [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  ASSERT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr(listen));
}

TEST(HttpServerStartTest, MalformedAddressOrOptionsAreInvalidArgument) {
  const HttpHandler handler = [](const HttpRequest&) { return HttpResponse::Text(200, ""); };
  for (const char* listen :
       {"", "8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http", ":8080",
        "::1:8080", "[::1", "[::1]8080", "[127.0.0.1]:80", "wetlands.example:80", "300.1.1.1:80"}) {
    auto server = HttpServer::Start(Options([&](auto& o) { o.listen = listen; }), handler);
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << listen;
    EXPECT_THAT(std::string(server.status().message()), HasSubstr("'")) << listen;
  }
  EXPECT_EQ(HttpServer::Start(Options([](auto& o) { o.threads = 0; }), handler).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpServer::Start(HttpServerOptions(), nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(HttpServerStartTest, ParseListenAddressTellsLoopback) {
  struct Case {
    const char* listen;
    const char* host;
    int port;
    bool loopback;
  };
  for (const Case& c :
       {Case{"127.0.0.1:8080", "127.0.0.1", 8080, true}, Case{"127.9.9.9:0", "127.9.9.9", 0, true},
        Case{"localhost:8080", "localhost", 8080, true}, Case{"[::1]:8080", "::1", 8080, true},
        Case{"0.0.0.0:8080", "0.0.0.0", 8080, false}, Case{"192.0.2.7:80", "192.0.2.7", 80, false},
        Case{"[::]:65535", "::", 65535, false}}) {
    auto address = ParseListenAddress(c.listen);
    ASSERT_TRUE(address.ok()) << c.listen << ": " << address.status();
    EXPECT_EQ(address->host, c.host);
    EXPECT_EQ(address->port, c.port);
    EXPECT_EQ(address->loopback, c.loopback) << c.listen;
  }
}

}  // namespace
}  // namespace wetlink::http
