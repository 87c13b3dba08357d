-- A customer's balance (items: customers holding credit).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args) bench_init() end

function request()
  return get("/v1/customers/" .. next_item() .. "/balance")
end
