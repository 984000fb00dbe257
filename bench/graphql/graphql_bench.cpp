// parse+validate+execute of three requests (the full introspection query, a login-shaped
// mutation with variables, `{ hello }`) on the seed schema, uncached and through the
// document cache, printed beside graphql-js's figures for the same requests
// (graphql_js_bench.mjs, run by this program). Prints; never fails on timing.
#include "graphql/execution/execute.hpp"
#include "graphql/language/parser.hpp"
#include "graphql/request/service.hpp"
#include "graphql/validation/validate.hpp"
#include "graphql/schema/schema.hpp"

#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

namespace json = boost::json;
using namespace cubeauth::graphql;

namespace {

std::shared_ptr<const Schema> seed_schema() {
  std::ifstream in(CUBEAUTH_SEED_SCHEMA);
  std::stringstream text;
  text << in.rdbuf();
  auto built = build_schema(text.str());
  if (!built) {
    std::cerr << "seed schema: " << built.error().front().message << "\n";
    std::exit(1);
  }
  std::shared_ptr<Schema> schema = *std::move(built);
  (void)schema->bind("Query.hello", Resolver([](const ResolveParams&) -> ResolverResult {
    return json::value("world");
  }));
  (void)schema->bind("Mutation.login", Resolver([](const ResolveParams&) -> ResolverResult {
    return json::object{{"message", "ok"},
                        {"token", "token"},
                        {"ccUserId", 42},
                        {"connectySession", "session"},
                        {"user", json::object{{"email", "alice@example.com"},
                                              {"firstName", "Alice"},
                                              {"id", "1"},
                                              {"lastName", "Smith"}}}};
  }));
  return schema;
}

struct Request {
  std::string query;
  json::object variables;
};

// graphql-js runs first: it prints its figures and the exact query texts we then time.
// CUBEAUTH_BENCH_JS_OUTPUT=<file> reads a saved output of graphql_js_bench.mjs instead (to
// profile our side alone).
json::object run_graphql_js(int repetitions) {
  if (const char* saved = std::getenv("CUBEAUTH_BENCH_JS_OUTPUT")) {
    std::ifstream in(saved);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str()).as_object();
  }
  std::string command = "node " CUBEAUTH_BENCH_DIR "/graphql_js_bench.mjs " CUBEAUTH_SEED_SCHEMA " " +
                        std::to_string(repetitions);
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (pipe != nullptr && fgets(buffer, sizeof buffer, pipe) != nullptr) {
    out += buffer;
  }
  if (pipe == nullptr || pclose(pipe) != 0 || out.empty()) {
    std::cerr << "graphql-js side failed (npm ci in " CUBEAUTH_BENCH_DIR "?)\n";
    std::exit(1);
  }
  return json::parse(out).as_object();
}

class Capture : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> ns;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      // CPU time: on a shared machine wall time mostly measures the other processes.
      // Adjusted times are in the benchmark's unit; keep nanoseconds. With
      // --benchmark_repetitions the median stands for the request.
      const double cpu_ns =
          run.GetAdjustedCPUTime() * 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
      const std::string name = run.run_name.str();
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median") {
          ns[name] = cpu_ns;
          medians_.insert(name);
        }
      } else if (medians_.count(name) == 0) {
        ns[name] = cpu_ns;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

 private:
  std::set<std::string> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  // graphql-js repeats as often as we do (--benchmark_repetitions=N) and reports its median.
  int repetitions = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--benchmark_repetitions=")) {
      repetitions = std::max(1, std::atoi(argv[i] + std::string_view("--benchmark_repetitions=").size()));
    }
  }
  json::object js = run_graphql_js(repetitions);
  const json::object& queries = js.at("queries").as_object();
  std::map<std::string, Request> requests{
      {"introspection", {std::string(queries.at("introspection").as_string()), {}}},
      {"login",
       {std::string(queries.at("login").as_string()),
        json::object{{"body", json::object{{"email", "alice@example.com"}, {"password", "secret"}}}}}},
      {"hello", {std::string(queries.at("hello").as_string()), {}}},
  };
  auto schema = seed_schema();
  ServiceOptions uncached_options;
  uncached_options.cache_entries = 0;
  auto uncached = std::make_shared<Service>(schema, uncached_options);
  auto cached = std::make_shared<Service>(schema);
  // The cached path without remembered introspection answers: the cached document executed.
  ServiceOptions executing_options;
  executing_options.remember_introspection_answers = false;
  auto executing = std::make_shared<Service>(schema, executing_options);

  for (const auto& [name, request] : requests) {
    for (const auto& [mode, service] :
         {std::pair{"uncached", uncached}, std::pair{"cached", cached},
          std::pair{"cached-executed", executing}}) {
      if (name != "introspection" && service == executing) {
        continue;  // the same as cached: only introspection answers are remembered
      }
      benchmark::RegisterBenchmark((name + "/" + mode).c_str(), [&request, service = service](benchmark::State& state) {
        for (auto _ : state) {
          RequestContext context;
          Response response =
              service->execute_request_blocking(request.query, request.variables, "", context);
          if (!response.errors.empty()) {
            state.SkipWithError(response.errors.front().message.c_str());
            break;
          }
          benchmark::DoNotOptimize(response);
        }
      })->Unit(benchmark::kMicrosecond);
    }
  }
  // The phases of introspection/uncached alone (not compared: graphql-js is timed whole).
  const std::string& introspection = requests.at("introspection").query;
  static const ast::Document parsed = parse(introspection).value();
  benchmark::RegisterBenchmark("phase/introspection/parse", [&introspection](benchmark::State& state) {
    for (auto _ : state) {
      auto document = parse(introspection);
      benchmark::DoNotOptimize(document);
    }
  })->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("phase/introspection/validate", [schema](benchmark::State& state) {
    for (auto _ : state) {
      auto errors = validate(*schema, parsed);
      benchmark::DoNotOptimize(errors);
    }
  })->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("phase/introspection/execute", [schema](benchmark::State& state) {
    const json::object no_variables;
    const json::value root;
    for (auto _ : state) {
      RequestContext context;
      Response response =
          execute_blocking(ExecutionArgs{*schema, parsed, "", no_variables, context, root});
      benchmark::DoNotOptimize(response);
    }
  })->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&argc, argv);
  Capture reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  const json::object& js_ns = js.at("ns").as_object();
  std::printf(
      "\n%-30s %14s %16s %9s   (CPU time per operation, median of %d; graphql-js %s;\n"
      "%-30s cached: ours = Service with the document cache hot, graphql-js = execute() of a\n"
      "%-30s parsed and validated document; cached-executed: ours without remembered\n"
      "%-30s introspection answers; uncached: parse + validate + execute)\n",
      "request", "cubeauth us/op", "graphql-js us/op", "speed-up", repetitions,
      std::string(js.at("version").as_string()).c_str(), "", "", "");
  for (const auto& [name, ours] : reporter.ns) {
    std::string js_name = name;
    if (js_name.ends_with("/cached-executed")) {
      js_name.resize(js_name.size() - std::string_view("-executed").size());
    }
    const json::value* theirs = js_ns.if_contains(js_name);
    if (theirs == nullptr) {
      continue;
    }
    double js_value = theirs->to_number<double>();
    std::printf("%-30s %14.3f %16.3f %8.1fx\n", name.c_str(), ours / 1000.0, js_value / 1000.0,
                js_value / ours);
  }
  // graphql-js has no document cache of its own: a server built on it parses and validates
  // every request unless it adds one. This reading sets our cached path against that.
  std::printf("\n%-32s %15s %16s %9s   (ours: Service with the document cache hot; graphql-js:\n"
              "%-32s parse + validate + execute per request, i.e. its \"uncached\" figure)\n",
              "request", "cubeauth cached", "graphql-js full", "speed-up", "");
  for (const auto& [name, ours] : reporter.ns) {
    if (!name.ends_with("/cached")) {
      continue;
    }
    const std::string request = name.substr(0, name.size() - std::string_view("/cached").size());
    const json::value* theirs = js_ns.if_contains(request + "/uncached");
    if (theirs == nullptr) {
      continue;
    }
    double js_value = theirs->to_number<double>();
    std::printf("%-32s %15.3f %16.3f %8.1fx\n", (request + " (cached vs full)").c_str(),
                ours / 1000.0, js_value / 1000.0, js_value / ours);
  }
  return 0;
}
