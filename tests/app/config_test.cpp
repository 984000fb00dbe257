#include "app/config.hpp"

#include <gtest/gtest.h>

namespace cubeauth::app {
namespace {

using namespace std::chrono_literals;

TEST(LoadConfig, HasTheContractDefaults) {
  const auto config = load_config({});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->http.port, 3000);
  EXPECT_EQ(config->jwt_expires_in, 3600s);
  EXPECT_EQ(config->bcrypt_cost, 10);
  EXPECT_EQ(config->password_min_length, 8u);
  const auto store = store::locate_store(config->store);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->kind, store::StoreKind::kSqlite);
  EXPECT_EQ(store->source, "default");
  EXPECT_EQ(config->connectycube_api_url, "https://api.connectycube.com");
  EXPECT_EQ(config->cidp_password, "cidp-temporary-password");
  EXPECT_TRUE(config->connectycube_signup);
  EXPECT_FALSE(config->connectycube_enabled());
}

TEST(LoadConfig, ReadsTheAccountLifecycleVariables) {
  const auto defaults = load_config({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->refresh_token_expires_in, std::chrono::hours(24 * 30));
  EXPECT_TRUE(defaults->admin_emails.empty());
  EXPECT_FALSE(defaults->strict_tokens);

  const auto set = load_config({{"REFRESH_TOKEN_EXPIRES_IN", "7d"},
                                {"ADMIN_EMAILS", " Root@Example.org, ,ops@example.org "},
                                {"CUBEAUTH_STRICT_TOKENS", "true"}});
  ASSERT_TRUE(set);
  EXPECT_EQ(set->refresh_token_expires_in, std::chrono::hours(24 * 7));
  EXPECT_EQ(set->admin_emails, (std::vector<std::string>{"root@example.org", "ops@example.org"}));
  EXPECT_TRUE(set->strict_tokens);

  const auto bad = load_config({{"ADMIN_EMAILS", "root@example.org,not-an-email"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().variable, "ADMIN_EMAILS");
  EXPECT_NE(bad.error().message.find("not-an-email"), std::string::npos);
}

TEST(LoadConfig, GeneratesARandomSecretInDevelopmentAndWarns) {
  const auto first = load_config({});
  const auto second = load_config({});
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->jwt_secret_generated);
  EXPECT_EQ(first->jwt_secret.size(), 64u);
  EXPECT_NE(first->jwt_secret, second->jwt_secret);
  EXPECT_NE(first->jwt_secret, "default_value");
  ASSERT_FALSE(first->warnings.empty());
}

TEST(LoadConfig, RefusesToStartInProductionWithoutASecret) {
  for (const char* name : {"NODE_ENV", "CUBEAUTH_ENV"}) {
    const auto config = load_config({{name, "production"}});
    ASSERT_FALSE(config) << name;
    EXPECT_EQ(config.error().variable, "JWT_SECRET");
  }
  EXPECT_TRUE(load_config({{"NODE_ENV", "production"}, {"JWT_SECRET", "x"}}));
}

TEST(LoadConfig, NamesTheVariableAndWhatItAccepts) {
  const auto config = load_config({{"PORT", "abc"}});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().variable, "PORT");
  EXPECT_EQ(config.error().message, "PORT must be an integer from 0 to 65535, got 'abc'");

  EXPECT_EQ(load_config({{"PORT", "70000"}}).error().variable, "PORT");
  EXPECT_EQ(load_config({{"BCRYPT_COST", "3"}}).error().variable, "BCRYPT_COST");
  EXPECT_EQ(load_config({{"JWT_EXPIRES_IN", "soon"}}).error().variable, "JWT_EXPIRES_IN");
  EXPECT_EQ(load_config({{"CONNECTYCUBE_SIGNUP", "maybe"}}).error().variable, "CONNECTYCUBE_SIGNUP");
  EXPECT_EQ(load_config({{"DATABASE_URL", "mysql://x"}}).error().variable, "DATABASE_URL");
  EXPECT_EQ(load_config({{"CONNECTYCUBE_API_URL", "ftp://x"}}).error().variable, "CONNECTYCUBE_API_URL");
  EXPECT_EQ(load_config({{"LOG_LEVEL", "loud"}}).error().variable, "LOG_LEVEL");
}

TEST(LoadConfig, ChoosesTheStoreFromTheOldAndNewVariables) {
  const auto where = [](const Variables& variables) {
    return store::locate_store(load_config(variables)->store)->source;
  };
  EXPECT_EQ(where({{"MONGO_URI", "mongodb://db/app"}}), "MONGO_URI");
  EXPECT_EQ(where({{"MONGODB_URL", "mongodb+srv://c/app"}}), "MONGODB_URL");
  const auto both = load_config({{"DATABASE_URL", "postgres://p/app"}, {"MONGO_URI", "mongodb://db/app"}});
  ASSERT_TRUE(both);
  EXPECT_EQ(store::locate_store(both->store)->kind, store::StoreKind::kPostgres);
  EXPECT_FALSE(both->warnings.empty());
}

TEST(LoadConfig, EnablesConnectyCubeWithAppIdAndAuthKey) {
  const auto config = load_config({{"APP_ID", "5120"}, {"AUTH_KEY", "Xk2pQr7sTuVw9yZ"},
                                   {"CONNECTYCUBE_SIGNUP", "false"}});
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->connectycube_enabled());
  EXPECT_FALSE(config->connectycube_signup);
}

TEST(ParseDuration, ReadsTheUnitsOfJwtExpiresIn) {
  EXPECT_EQ(*parse_duration("3600"), 3600s);
  EXPECT_EQ(*parse_duration("60m"), 3600s);
  EXPECT_EQ(*parse_duration("1h"), 3600s);
  EXPECT_EQ(*parse_duration("7d"), 7 * 24h);
  EXPECT_EQ(*parse_duration("250ms"), 250ms);
  EXPECT_FALSE(parse_duration("1w"));
  EXPECT_FALSE(parse_duration("h"));
  EXPECT_FALSE(parse_duration(""));
}

}  // namespace
}  // namespace cubeauth::app
