// Creates/s, finds/s, refresh-token logins/s (create_refresh_token) and
// rotations/s of each store on this machine, printed. SQLite always;
// PostgreSQL with TEST_POSTGRES_URL (scripts/with-postgres.sh sets it); MongoDB
// with TEST_MONGO_URI. Arguments: [users per store, default 5000] [calls in
// flight, default 32]. Never fails on timing.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "store/mongo/mongo_user_store.hpp"
#include "store/object_id.hpp"
#include "store/postgres/postgres_user_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

namespace {

using cubeauth::store::UserStore;

struct Figures {
  double creates_per_second = 0;
  double finds_per_second = 0;
  double logins_per_second = 0;
  double rotations_per_second = 0;
  int failures = 0;
};

/// Runs `count` calls made by `call(i)`, `in_flight` at a time, on one I/O
/// thread; returns calls per second.
template <class Call>
double measure(int count, int in_flight, Call call, int& failures) {
  boost::asio::io_context io;
  int next = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int worker = 0; worker < in_flight; ++worker) {
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          while (next < count) {
            const int i = next++;
            if (!co_await call(i)) {
              ++failures;
            }
          }
        },
        boost::asio::detached);
  }
  io.run();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return count / elapsed.count();
}

Figures run(UserStore& store, int count, int in_flight) {
  Figures figures;
  const std::string token = cubeauth::store::new_object_id();
  auto email = [&](int i) { return "bench" + std::to_string(i) + "-" + token + "@example.com"; };
  std::vector<std::string> ids(static_cast<std::size_t>(count));
  figures.creates_per_second = measure(
      count, in_flight,
      [&](int i) -> boost::asio::awaitable<bool> {
        // A named argument: g++ 12 destroys temporaries inside a co_await twice.
        cubeauth::store::NewUser user{email(i), "Bench", "User",
                                      "$2b$10$abcdefghijklmnopqrstuuNmV0x8l1kqVtYwQ0e9I7dZ1uA2b"};
        auto created = co_await store.create_user(std::move(user));
        if (created) {
          ids[static_cast<std::size_t>(i)] = created->id;
        }
        co_return created.has_value();
      },
      figures.failures);
  figures.finds_per_second = measure(
      count, in_flight,
      [&](int i) -> boost::asio::awaitable<bool> {
        std::string address = email((i * 7919) % count);
        auto found = co_await store.find_by_email(std::move(address));
        co_return found.has_value() && found->has_value();
      },
      figures.failures);
  // One login (a new family) per user, then one rotation of each token.
  const auto now = std::chrono::system_clock::now();
  auto hash = [&](int i, int generation) {
    return token + "-" + std::to_string(i) + "-" + std::to_string(generation);
  };
  figures.logins_per_second = measure(
      count, in_flight,
      [&](int i) -> boost::asio::awaitable<bool> {
        cubeauth::store::NewRefreshToken first{hash(i, 0), cubeauth::store::new_object_id(),
                                               ids[static_cast<std::size_t>(i)], now,
                                               now + std::chrono::hours(1)};
        auto created = co_await store.create_refresh_token(std::move(first));
        co_return created.has_value();
      },
      figures.failures);
  figures.rotations_per_second = measure(
      count, in_flight,
      [&](int i) -> boost::asio::awaitable<bool> {
        std::string presented = hash(i, 0);
        cubeauth::store::NewRefreshToken next{hash(i, 1), "", "", now, now + std::chrono::hours(1)};
        auto rotated = co_await store.rotate_refresh_token(std::move(presented), std::move(next));
        co_return rotated.has_value() &&
            rotated->outcome == cubeauth::store::RotationOutcome::kRotated;
      },
      figures.failures);
  return figures;
}

void report(const char* name, const Figures& figures) {
  std::printf("%-10s %12.0f %12.0f %12.0f %12.0f %10d\n", name, figures.creates_per_second,
              figures.finds_per_second, figures.logins_per_second, figures.rotations_per_second,
              figures.failures);
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int in_flight = argc > 2 ? std::atoi(argv[2]) : 32;
  const auto threads = std::max(2u, std::thread::hardware_concurrency());
  std::printf("store bench: %d users per store, %d calls in flight, %u store threads\n", count,
              in_flight, threads);
  std::printf("%-10s %12s %12s %12s %12s %10s\n", "store", "creates/s", "finds/s", "logins/s",
              "rotations/s", "failures");

  const auto dir = std::filesystem::temp_directory_path() /
                   ("cubeauth-store-bench-" + cubeauth::store::new_object_id());
  {
    cubeauth::store::SqliteOptions options;
    options.path = dir / "bench.db";
    options.threads = threads;
    auto store = cubeauth::store::open_sqlite_store(options);
    if (store) {
      report("sqlite", run(**store, count, in_flight));
    } else {
      std::printf("sqlite: %s\n", store.error().c_str());
    }
  }
  std::filesystem::remove_all(dir);

  if (const char* url = std::getenv("TEST_POSTGRES_URL"); url != nullptr && *url != '\0') {
    cubeauth::store::PostgresOptions options;
    options.url = url;
    options.connections = threads;
    auto store = cubeauth::store::open_postgres_store(options);
    if (store) {
      report("postgres", run(**store, count, in_flight));
    }
  } else {
    std::printf("postgres   (skipped: run through scripts/with-postgres.sh)\n");
  }

  if (const char* uri = std::getenv("TEST_MONGO_URI"); uri != nullptr && *uri != '\0') {
    cubeauth::store::MongoOptions options;
    options.uri = uri;
    options.threads = threads;
    auto store = cubeauth::store::open_mongo_store(options);
    if (store) {
      report("mongodb", run(**store, count, in_flight));
    }
  } else {
    std::printf("mongodb    (skipped: set TEST_MONGO_URI)\n");
  }
  return 0;
}
