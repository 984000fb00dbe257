#include "api/openapi_route.hpp"

namespace cubeauth::api {

void add_openapi_route(http::Router& router) {
  router.add(http::Verb::get, "/openapi.json",
             [](http::RequestContext&) -> boost::asio::awaitable<http::Response> {
               http::Response response{http::Status::ok, 11};
               response.set(http::beast_http::field::content_type,
                            "application/json; charset=utf-8");
               response.set(http::beast_http::field::cache_control, "no-cache");
               response.body() = openapi_document();
               co_return response;
             });
}

}  // namespace cubeauth::api
