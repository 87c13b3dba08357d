-- The friend's qualifying order posts a pending redemption (items: pending redemption ids, each
-- qualified once).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args)
  fresh_items = true
  bench_init()
end

function request()
  local id = unique_id()
  local body = '{"orderId":"q-' .. id .. '","orderAmount":5000}'
  return post("/v1/redemptions/" .. next_item() .. "/qualify", body, "qualify-" .. id)
end
