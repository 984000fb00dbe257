#include "api/health_routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace cubeauth::api {

void add_health_routes(http::Router& router, std::vector<ReadinessCheck> checks,
                       std::function<bool()> draining) {
  router.add(http::Verb::get, "/", [](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
    co_return http::text_response(http::Status::ok, "Hello World!");
  });

  router.add(http::Verb::get, "/healthz",
             [](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
               co_return http::json_response(http::Status::ok, boost::json::object{{"status", "ok"}});
             });

  router.add(http::Verb::get, "/readyz",
             [checks = std::move(checks), draining = std::move(draining)](
                 http::RequestContext&) -> boost::asio::awaitable<http::Response> {
               boost::json::object body;
               boost::json::object details;
               bool ready = !draining();
               if (!ready) {
                 details["server"] = "draining";
               }
               for (const ReadinessCheck& check : checks) {
                 const bool ok = co_await check.ready();
                 details[check.name] = ok ? "ok" : "unavailable";
                 ready = ready && ok;
               }
               body["status"] = ready ? "ready" : "not ready";
               body["checks"] = std::move(details);
               co_return http::json_response(ready ? http::Status::ok : http::Status::service_unavailable,
                                             body);
             });
}

}  // namespace cubeauth::api
