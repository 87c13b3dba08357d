-- Visitors following share links: GET /r/{code} without a token (items: codes), with a mix of User-Agents like a
-- share link's traffic: mostly phones, some desktops, some link-preview fetchers (bots: redirected, not recorded).
-- The version numbers vary, so the service's User-Agent cache sees a few dozen distinct strings.
-- BENCH_LIMIT=N (the click check): each thread follows N links, then asks /health/live only, and counts the 302s
-- that carry a click id; done() adds that count ("clicks"), so that no link is in flight when wrk stops.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
local agents = {}
for v = 0, 5 do
  local ios = string.format("%d_%d", 16 + v % 3, v)
  agents[#agents + 1] = "Mozilla/5.0 (iPhone; CPU iPhone OS " .. ios .. " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
  agents[#agents + 1] = "Mozilla/5.0 (iPhone; CPU iPhone OS " .. ios .. " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0." .. v .. " (iPhone14,5; iOS " .. ios .. "; en_US)"
  agents[#agents + 1] = "Mozilla/5.0 (Linux; Android " .. (10 + v) .. "; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12" .. v .. ".0.0.0 Mobile Safari/537.36"
  agents[#agents + 1] = "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/2" .. v .. ".0 Chrome/117.0.0.0 Mobile Safari/537.36"
  agents[#agents + 1] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12" .. v .. ".0.0.0 Safari/537.36"
end
agents[#agents + 1] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
agents[#agents + 1] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
agents[#agents + 1] = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
agents[#agents + 1] = "WhatsApp/2.23.20.0 A"
agents[#agents + 1] = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"

clicks = 0

function init(args) bench_init() end

function request()
  if limit > 0 and n >= limit then
    return wrk.format("GET", "/health/live", {}, nil)
  end
  local code = next_item()
  local agent = agents[(n + tid) % #agents + 1]
  local path = "/r/" .. code
  if n % 4 == 0 then path = path .. "?utm_source=bench&utm_medium=social&utm_campaign=b" .. (n % 7) end
  n = n + 1
  return wrk.format("GET", path, { ["User-Agent"] = agent }, nil)
end

if limit > 0 then
  function response(status, headers, body)
    local location = headers["Location"] or headers["location"]
    if status == 302 and location and string.find(location, "click=", 1, true) then
      clicks = clicks + 1
    end
  end

  local common_done = done
  function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads_list) do total = total + (thread:get("clicks") or 0) end
    local path = os.getenv("BENCH_RESULT") .. ".clicks"
    local f = assert(io.open(path, "w"))
    f:write(tostring(total) .. "\n")
    f:close()
    common_done(summary, latency, requests)
  end
end
