#include "app/app.hpp"

#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>

#include "api/auth_resolvers.hpp"
#include "api/graphql_route.hpp"
#include "api/graphql_ws_auth.hpp"
#include "api/health_routes.hpp"
#include "api/openapi_route.hpp"
#include "api/playground/playground.hpp"
#include "api/rest_routes.hpp"
#include "api/schema_sdl.hpp"
#include "api/social_resolvers.hpp"
#include "api/verify_route.hpp"
#include "app/config.hpp"
#include "app/environment.hpp"
#include "auth/auth_service.hpp"
#include "common/logging.hpp"
#include "connectycube/client.hpp"
#include "graphql/request/service.hpp"
#include "graphql/schema/schema.hpp"
#include "http/server.hpp"
#include "social/event_hub.hpp"
#include "social/relationship_service.hpp"
#include "store/event_channel.hpp"
#include "store/make_user_store.hpp"

namespace cubeauth::app {
namespace {

/// Runs `pass` every `interval` until the timer is cancelled (shutdown); a pass that
/// throws is logged as `what` and tried again at the next tick.
boost::asio::awaitable<void> every(boost::asio::steady_timer& timer, std::chrono::seconds interval,
                                   std::function<boost::asio::awaitable<void>()> pass,
                                   std::string what) {
  for (;;) {
    timer.expires_after(interval);
    boost::system::error_code cancelled;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, cancelled));
    if (cancelled) {
      co_return;
    }
    try {
      co_await pass();
    } catch (const std::exception& error) {
      log::error("{} failed, will try again: {}", what, error.what());
    }
  }
}

/// Removes the refresh tokens that expired over an hour ago (an hour, so that no token
/// can expire while it is being rotated), and the families they leave empty.
boost::asio::awaitable<void> purge_refresh_tokens(store::UserStore& users) {
  const auto before = std::chrono::system_clock::now() - std::chrono::hours(1);
  auto purged = co_await users.purge_refresh_tokens(before);
  if (!purged) {
    log::warn("refresh tokens: purging the expired ones failed ({}); will try again",
              store::to_string(purged.error()));
  } else if (*purged > 0) {
    log::info("refresh tokens: purged {} expired", *purged);
  }
}

/// Each connection holds a descriptor, and the default soft limit (often 1024) is far
/// below CUBEAUTH_MAX_CONNECTIONS: raise it to the hard limit, as nginx's
/// worker_rlimit_nofile does, and say so when even that is too low.
void raise_descriptor_limit(std::size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  // Listeners, the store's connections, logs and ConnectyCube's pool need some too.
  constexpr rlim_t kReserved = 64;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < max_connections + kReserved) {
    log::warn("the open file limit ({}) is below CUBEAUTH_MAX_CONNECTIONS ({}) plus {}: connections beyond it "
              "will be refused by the system (raise `ulimit -n`)",
              static_cast<unsigned long long>(limit.rlim_cur), max_connections, kReserved);
  }
}

}  // namespace

int run(int /*argc*/, char** /*argv*/, char** environ) {
  const auto start = std::chrono::steady_clock::now();
  auto variables = read_environment(".env", environ);
  if (!variables) {
    log::error("configuration: {}", variables.error());
    return 2;
  }
  auto config = load_config(*variables);
  if (!config) {
    log::error("configuration: {}", config.error().message);
    return 2;
  }
  log::set_level(config->log_level);
  raise_descriptor_limit(config->http.max_connections);
  for (const std::string& warning : config->warnings) {
    log::warn("{}", warning);
  }

  // The store: a bad location stops here; an unreachable server does not (readiness says so).
  auto store = store::make_user_store(config->store);
  if (!store) {
    log::error("store: {}", store.error());
    return 1;
  }
  if (auto located = store::locate_store(config->store)) {
    log::info("users are stored in {} ({}, from {})", store::to_string(located->kind),
              store::redact_url(located->url), located->source);
  }

  // ConnectyCube, when APP_ID and AUTH_KEY are set.
  std::unique_ptr<connectycube::Client> connectycube;
  if (config->connectycube_enabled()) {
    connectycube::ClientOptions options;
    options.api_url = config->connectycube_api_url;
    options.app_id = config->connectycube_app_id;
    options.auth_key = config->connectycube_auth_key;
    options.response_timeout = config->connectycube_timeout;
    connectycube = std::make_unique<connectycube::Client>(options);
    log::info("ConnectyCube: application {} at {} (sign-up at registration: {})", config->connectycube_app_id,
              config->connectycube_api_url, config->connectycube_signup ? "on" : "off");
  } else {
    log::warn("ConnectyCube integration is off: set APP_ID and AUTH_KEY to turn it on. Registration and "
              "login work locally; connectySession and ccUserId will be null.");
  }

  auth::PasswordHasher passwords(config->bcrypt_cost, 0, config->hash_nice);
  const auth::JwtCodec tokens(config->jwt_secret);
  auth::AuthOptions auth_options;
  auth_options.token_lifetime = config->jwt_expires_in;
  auth_options.password_rules.min_length = config->password_min_length;
  // Synchronised passwords must suit ConnectyCube's own clients (at most 40 characters).
  auth_options.password_rules.max_length = config->connectycube_signup ? 40 : 0;
  auth_options.connectycube_signup = config->connectycube_signup;
  auth_options.cidp_password = config->cidp_password;
  auth_options.refresh_token_lifetime = config->refresh_token_expires_in;
  auth_options.admin_emails = config->admin_emails;
  auth_options.strict_tokens = config->strict_tokens;
  auth_options.per_client = {static_cast<double>(config->rate_per_client_burst),
                             static_cast<double>(config->rate_per_client_per_minute)};
  auth_options.failed_logins_per_account = {static_cast<double>(config->rate_failed_logins_burst),
                                            static_cast<double>(config->rate_failed_logins_per_minute)};
  auth::AuthService auth(**store, connectycube.get(), passwords, tokens, auth_options);
  {
    // Before serving: the ADMIN_EMAILS accounts that exist get their role now.
    boost::asio::io_context startup;
    boost::asio::co_spawn(startup, auth.grant_configured_admins(), boost::asio::detached);
    startup.run();
  }

  auto schema = graphql::build_schema(api::schema_sdl());
  if (!schema) {
    log::error("the served GraphQL schema does not build: {}", schema.error().front().message);
    return 1;
  }
  if (auto bound = api::bind_auth_resolvers(**schema, auth); !bound) {
    log::error("binding resolvers failed: {}", bound.error());
    return 1;
  }

  // Friends, and their events to subscribers in every process sharing a PostgreSQL
  // store (LISTEN/NOTIFY); with SQLite or MongoDB, in this process only.
  std::unique_ptr<store::EventChannel> event_channel = (*store)->open_event_channel();
  social::EventHub events(event_channel.get());
  events.start();
  // A user disabled, deleted or signed out everywhere loses their live subscriptions
  // at once, in every process (auth knows nothing of them; the hub does). The server,
  // declared below, stops before `events` goes.
  auth.set_revocation_listener([&events](const std::string& user_id) { events.revoke(user_id); });
  social::RelationshipService friends(**store, auth, connectycube.get(), events);
  friends.limit_actions({static_cast<double>(config->rate_friend_actions_burst),
                         static_cast<double>(config->rate_friend_actions_per_minute)});
  if (auto bound = api::bind_social_resolvers(**schema, auth, friends, events); !bound) {
    log::error("binding resolvers failed: {}", bound.error());
    return 1;
  }
  auto graphql_service = std::make_shared<const graphql::Service>(std::move(*schema));

  auto router = std::make_shared<http::Router>();
  http::Server server(config->http, router);
  store::UserStore& users = **store;
  api::add_health_routes(
      *router,
      {api::ReadinessCheck{"store",
                           [&users]() -> boost::asio::awaitable<bool> {
                             auto healthy = co_await users.health();
                             co_return healthy.has_value();
                           }}},
      [&server] { return server.draining(); });
  api::add_verify_routes(*router, auth);
  api::add_rest_routes(*router, auth);
  api::add_openapi_route(*router);
  api::add_graphql_routes(*router, graphql_service);
  api::GraphqlWsOptions websocket_options;
  websocket_options.authenticate = api::graphql_ws_authenticator(auth);
  api::add_graphql_ws_route(*router, "/api", graphql_service, std::move(websocket_options));
  api::add_playground_asset_routes(*router);

  if (auto listening = server.listen(); !listening) {
    log::error("{}", listening.error());
    return 1;
  }

  boost::asio::steady_timer dialog_retry_timer(server.main_context());
  if (connectycube && !config->connectycube_signup && config->dialog_retry_interval.count() > 0) {
    auto pass = [&friends]() -> boost::asio::awaitable<void> {
      co_await friends.create_missing_dialogs(50);
    };
    boost::asio::co_spawn(server.main_context(),
                          every(dialog_retry_timer, config->dialog_retry_interval, pass,
                                "friends: the dialog retry pass"),
                          boost::asio::detached);
  }
  boost::asio::steady_timer token_purge_timer(server.main_context());
  if (config->token_purge_interval.count() > 0) {
    auto pass = [&users]() { return purge_refresh_tokens(users); };
    boost::asio::co_spawn(
        server.main_context(),
        every(token_purge_timer, config->token_purge_interval, pass, "refresh tokens: the purge"),
        boost::asio::detached);
  }

  boost::asio::signal_set signals(server.main_context(), SIGINT, SIGTERM);
  signals.async_wait([&server, &dialog_retry_timer, &token_purge_timer](
                         const boost::system::error_code& ec, int signal) {
    if (!ec) {
      log::info("received {}, draining connections", signal == SIGINT ? "SIGINT" : "SIGTERM");
      dialog_retry_timer.cancel();
      token_purge_timer.cancel();
      server.shutdown();
    }
  });
  std::signal(SIGPIPE, SIG_IGN);

  log::info("cubeauth listening on http://{}:{} ({} ms to start)", config->http.address,
            server.port(),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
  server.run();
  // No more events into the I/O threads' executors, which go with the server.
  events.stop();
  log::info("cubeauth stopped");
  return 0;
}

}  // namespace cubeauth::app
