-- (c) the login mutation for one registered user (BENCH_EMAIL, BENCH_PASSWORD).
EXPECT_STATUS = 200
EXPECT_NO_ERRORS = true
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"mutation($body: LoginUserDto!) { login(body: $body) { message token ' ..
  'connectySession ccUserId user { id email } } }","variables":{"body":{"email":"' ..
  os.getenv("BENCH_EMAIL") .. '","password":"' .. os.getenv("BENCH_PASSWORD") .. '"}}}'
