-- (e) GET /auth/verify-connectycube?token=<not a JWT>: a 401 is the expected answer.
EXPECT_STATUS = 401
EXPECT_NO_ERRORS = false
