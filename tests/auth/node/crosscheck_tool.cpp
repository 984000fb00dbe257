// Command-line face of cubeauth's JWT and bcrypt code for node/crosscheck.mjs:
//   sign <secret> <id> <email> <lifetime-seconds>   prints a token
//   verify <secret> <token>                          prints {"id","email","iat","exp"} or "error: <why>"
//   hash <password> <cost>                           prints a bcrypt hash
//   check <password> <hash>                          prints true or false
#include "auth/jwt.hpp"
#include "auth/password.hpp"

#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  using namespace cubeauth::auth;
  const std::string command = argc > 1 ? argv[1] : "";
  const auto now = std::chrono::system_clock::now();
  if (command == "sign" && argc == 6) {
    std::cout << JwtCodec(argv[2]).sign(argv[3], argv[4], now, std::chrono::seconds(std::stoll(argv[5])))
              << "\n";
    return 0;
  }
  if (command == "verify" && argc == 4) {
    const auto claims = JwtCodec(argv[2]).verify(argv[3], now);
    if (!claims) {
      std::cout << "error: " << describe(claims.error()) << "\n";
      return 0;
    }
    std::cout << "{\"id\":\"" << claims->user_id << "\",\"email\":\"" << claims->email
              << "\",\"iat\":" << claims->issued_at << ",\"exp\":" << claims->expires_at << "}\n";
    return 0;
  }
  if (command == "hash" && argc == 4) {
    auto hashed = bcrypt_hash(argv[2], std::stoi(argv[3]));
    if (!hashed) {
      return 1;
    }
    std::cout << *hashed << "\n";
    return 0;
  }
  if (command == "check" && argc == 4) {
    std::cout << (bcrypt_verify(argv[2], argv[3]) ? "true" : "false") << "\n";
    return 0;
  }
  std::cerr << "usage: sign|verify|hash|check ...\n";
  return 2;
}
