-- A steady stream rather than a flood: each connection waits BENCH_DELAY_MS between requests
-- (verify measured while logins keep the hash pool busy).
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "2")
function delay()
  return pause
end
