-- Checkout asks whether a code would work for a new customer (items: codes).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args) bench_init() end

function request()
  local code = next_item()
  return get("/v1/codes/" .. code .. "?customerId=v-" .. unique_id())
end
