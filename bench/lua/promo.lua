-- A promo redemption at checkout: a new customer's new order uses the one shared promo code (items: that code),
-- with a fresh Idempotency-Key. The program has a discount offer and no limits, so the code row is only read.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args) bench_init() end

function request()
  local id = unique_id()
  local body = '{"code":"' .. next_item() .. '","customerId":"p-' .. id .. '","orderId":"po-' .. id ..
               '","orderAmount":5000,"currency":"USD"}'
  return post("/v1/redemptions", body, "promo-" .. id)
end
