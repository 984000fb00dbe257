// The entry point for servers: one Service per schema answers GraphQL requests (query text,
// variables, operation name, per-request context) with a Response, using a bounded cache of
// prepared documents and the configured limits. Knows nothing of HTTP.
#pragma once

#include "graphql/execution/resolver.hpp"
#include "graphql/execution/subscribe.hpp"
#include "graphql/request/document_cache.hpp"
#include "graphql/request/limits.hpp"
#include "graphql/response/response.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <string_view>

namespace cubeauth::graphql {

class Schema;

struct ServiceOptions {
  RequestLimits limits;
  /// Prepared documents kept (least recently used evicted); 0 disables the cache.
  std::size_t cache_entries = 1000;
  /// Answer a cached document that reads only the schema (introspection) with its remembered
  /// answer, shared, instead of executing it again (request/introspection_answers.hpp).
  bool remember_introspection_answers = true;
  /// The parent value of root fields.
  boost::json::value root_value;
};

class Service {
 public:
  explicit Service(std::shared_ptr<const Schema> schema, ServiceOptions options = {});

  /// Parses (or finds in the cache), validates, checks limits and executes one request.
  /// Request errors (syntax, validation, limits, variables) come back without `data`.
  boost::asio::awaitable<Response> execute_request(std::string_view query,
                                                   const boost::json::object& variables,
                                                   std::string_view operation_name,
                                                   RequestContext& context) const;

  /// The same without an event loop (tests, tools, benchmarks).
  Response execute_request_blocking(std::string_view query, const boost::json::object& variables,
                                    std::string_view operation_name,
                                    RequestContext& context) const;

  /// graphql-transport-ws's "subscribe": parses (cache), validates and checks limits like
  /// execute_request. Request errors (syntax, validation, limits, variables, unknown
  /// operation) come back as the unexpected Response (errors only, no data). Otherwise a
  /// Subscription: a query or mutation yields its one Response then nullopt; a
  /// subscription calls the root field's Subscriber (a FieldError there, or no
  /// Subscriber bound, yields one Response {data: null, errors: [...]} then nullopt) and
  /// then one Response per event. The Subscription owns `context` and everything it needs
  /// (prepared document, coerced variables) and may outlive the call.
  boost::asio::awaitable<Result<std::unique_ptr<Subscription>, Response>> subscribe(
      std::string_view query, const boost::json::object& variables, std::string_view operation_name,
      std::shared_ptr<RequestContext> context) const;

  /// The prepared form of `query`: from the cache, or parsed, validated and checked now.
  std::shared_ptr<const PreparedDocument> prepare(std::string_view query) const;

  const Schema& schema() const { return *schema_; }
  const DocumentCache& cache() const { return cache_; }

 private:
  std::shared_ptr<const Schema> schema_;
  ServiceOptions options_;
  mutable DocumentCache cache_;
};

}  // namespace cubeauth::graphql
