-- Mixed traffic for the soak (bench/soak/soak.py): each connection cycles through a fixed
-- rotation of requests, so the share of each kind is known. Arguments after "--":
-- <valid JWT> <email> <password>. Every answer's status is counted per thread; done()
-- prints them as one JSON line "SOAK_STATUSES {...}" for soak.py.
local token, email, password = "", "", ""
local rotation = {}
local next_index = 0
statuses = {}

local function json_post(body, headers)
  headers = headers or {}
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api", headers, body)
end

local function nested(depth)
  return '{"query":"{ hello }","variables":' .. string.rep('{"a":', depth) .. "1" .. string.rep("}", depth) .. "}"
end

local function alias_bomb(count)
  local parts = {}
  for i = 1, count do
    parts[#parts + 1] = "a" .. i .. ": hello"
  end
  return '{"query":"{ ' .. table.concat(parts, " ") .. ' }"}'
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  token, email, password = args[1] or "", args[2] or "", args[3] or ""
  local verify = wrk.format("GET", "/auth/verify-connectycube?token=" .. token)
  local hello = json_post('{"query":"{ hello }"}')
  local invalid = wrk.format("GET", "/auth/verify-connectycube?token=not-a-jwt")
  local tampered = wrk.format("GET", "/auth/verify-connectycube?token=" .. token:sub(1, -3) .. "xx")
  local me = json_post('{"query":"{ me { id email } }"}', {["Authorization"] = "Bearer " .. token})
  local login = json_post('{"query":"mutation($body: LoginUserDto!) { login(body: $body) { token ' ..
    'connectySession } }","variables":{"body":{"email":"' .. email .. '","password":"' .. password .. '"}}}')
  local wrong_password = json_post('{"query":"mutation($body: LoginUserDto!) { login(body: $body) { token } }",' ..
    '"variables":{"body":{"email":"' .. email .. '","password":"Wrong-password-1"}}}')
  -- Hostile, each refused by design: JSON too deep (400), an alias bomb (400), not JSON
  -- (400), a query that is not a string (400).
  local deep = json_post(nested(200))
  local bomb = json_post(alias_bomb(150))
  local not_json = json_post("{\"query\": \"{ hello }\"")
  local wrong_type = json_post('{"query": 42}')
  -- 40 requests per turn: 12 verify, 12 hello, 4 invalid, 2 tampered, 4 me, 1 login,
  -- 1 wrong password, 4 hostile.
  local turn = {
    verify, hello, verify, hello, invalid, verify, hello, me, verify, hello,
    deep, verify, hello, tampered, verify, hello, invalid, me, verify, hello,
    login, verify, hello, bomb, verify, hello, invalid, me, verify, hello,
    not_json, verify, hello, tampered, invalid, me, verify, hello, wrong_password, wrong_type,
  }
  rotation = turn
  next_index = (id or 0) % #rotation
end

function request()
  next_index = next_index % #rotation + 1
  return rotation[next_index]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for key, value in pairs(counted) do
      total[key] = (total[key] or 0) + value
    end
  end
  local parts = {}
  for key, value in pairs(total) do
    parts[#parts + 1] = '"' .. key .. '":' .. value
  end
  io.write("SOAK_STATUSES {" .. table.concat(parts, ",") .. "}\n")
  io.write(string.format("SOAK_SUMMARY {\"requests\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,\"timeout\":%d,\"status\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
