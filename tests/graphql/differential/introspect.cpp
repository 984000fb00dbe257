// The cubeauth side of the introspection round trip (round_trip.mjs): builds a schema from the
// SDL file named on the command line, answers the GraphQL request read from stdin (an
// introspection query) and writes the JSON response to stdout. Exit 1 when the SDL is rejected.
#include "graphql/request/service.hpp"
#include "graphql/response/write_response.hpp"
#include "graphql/schema/schema.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

using namespace cubeauth::graphql;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: graphql_introspect <schema.graphql> < query\n";
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  std::ostringstream sdl;
  sdl << file.rdbuf();
  auto built = build_schema(sdl.str());
  if (!built) {
    for (const GraphQLError& error : built.error()) {
      std::cerr << argv[1] << ": " << error.message << "\n";
    }
    return 1;
  }
  const std::string query(std::istreambuf_iterator<char>(std::cin), {});
  Service service(*std::move(built));
  RequestContext context;
  const boost::json::object variables;
  std::cout << write_response(service.execute_request_blocking(query, variables, {}, context))
            << "\n";
  return 0;
}
