-- (b) POST /api { hello }
EXPECT_STATUS = 200
EXPECT_NO_ERRORS = true
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ hello }"}'
