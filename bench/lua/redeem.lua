-- A new friend redeems a referral code (items: codes) with a fresh Idempotency-Key.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function init(args) bench_init() end

function request()
  local id = unique_id()
  local body = '{"code":"' .. next_item() .. '","customerId":"f-' .. id .. '"}'
  return post("/v1/redemptions", body, "redeem-" .. id)
end
