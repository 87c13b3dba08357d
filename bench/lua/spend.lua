-- A customer with posted credit spends 1 minor unit at checkout, one new order per request
-- (items: customers; consecutive requests of a thread go to different customers).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args) bench_init() end

function request()
  local id = unique_id()
  local body = '{"amount":1,"currency":"USD","orderId":"s-' .. id .. '"}'
  return post("/v1/customers/" .. next_item() .. "/spends", body, "spend-" .. id)
end
