-- (d) the register mutation, a new email on every request: <BENCH_RUN>-<thread>-<n>@bench.example.
EXPECT_STATUS = 200
EXPECT_NO_ERRORS = true
local counter = 0
local prefix = os.getenv("BENCH_RUN") or tostring(os.time())

function init(args)
  prefix = prefix .. "-" .. tostring(id or 0)
end

function request()
  counter = counter + 1
  local body = '{"query":"mutation($body: UserRegisterInput!) { register(body: $body) { message ' ..
    'user { id firstName lastName email } } }","variables":{"body":{"email":"' .. prefix ..
    "-" .. counter .. '@bench.example","password":"Lantern-8812","firstName":"Bench",' ..
    '"lastName":"Mark"}}}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
