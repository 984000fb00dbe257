-- (a) GET /auth/verify-connectycube?token=<valid>; the token is in the URL given to wrk.
EXPECT_STATUS = 200
EXPECT_NO_ERRORS = false
