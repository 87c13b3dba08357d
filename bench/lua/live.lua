-- The redirect's baseline: GET /health/live (no database, no token), on the same connections.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args) end

function request()
  n = n + 1
  return wrk.format("GET", "/health/live", {}, nil)
end
