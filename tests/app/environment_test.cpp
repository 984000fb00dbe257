#include "app/environment.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace cubeauth::app {
namespace {

TEST(ParseDotenv, ReadsPlainQuotedAndExportedLines) {
  const auto variables = parse_dotenv(
      "# comment\n"
      "PORT=4000\n"
      "export JWT_SECRET=\"s3cr#t \\\"x\\\"\"\n"
      "APP_ID='12345' \n"
      "AUTH_KEY=abc # trailing comment\n"
      "\n"
      "EMPTY=\n");
  ASSERT_TRUE(variables) << variables.error();
  EXPECT_EQ(variables->at("PORT"), "4000");
  EXPECT_EQ(variables->at("JWT_SECRET"), "s3cr#t \"x\"");
  EXPECT_EQ(variables->at("APP_ID"), "12345");
  EXPECT_EQ(variables->at("AUTH_KEY"), "abc");
  EXPECT_EQ(variables->at("EMPTY"), "");
}

TEST(ParseDotenv, NamesTheBadLine) {
  const auto variables = parse_dotenv("PORT=1\nthis is not a variable\n");
  ASSERT_FALSE(variables);
  EXPECT_EQ(variables.error(), ".env line 2 is not NAME=value");
  EXPECT_FALSE(parse_dotenv("A=\"open\n"));
}

TEST(ReadEnvironment, RealEnvironmentWinsOverDotenv) {
  const std::string path = ::testing::TempDir() + "/cubeauth-env-test";
  std::ofstream(path) << "PORT=4000\nAPP_ID=from-file\n";
  std::string port = "PORT=5000";
  char* environ[] = {port.data(), nullptr};
  const auto variables = read_environment(path, environ);
  std::remove(path.c_str());
  ASSERT_TRUE(variables);
  EXPECT_EQ(variables->at("PORT"), "5000");
  EXPECT_EQ(variables->at("APP_ID"), "from-file");
}

TEST(ReadEnvironment, AMissingFileIsFine) {
  char* environ[] = {nullptr};
  const auto variables = read_environment("/nonexistent/.env", environ);
  ASSERT_TRUE(variables);
  EXPECT_TRUE(variables->empty());
}

}  // namespace
}  // namespace cubeauth::app
