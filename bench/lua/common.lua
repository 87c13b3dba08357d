-- Shared by every scenario script (loaded with dofile). Environment:
--   BENCH_TOKEN    bearer token            BENCH_THREADS  wrk's -t
--   BENCH_PREFIX   makes ids unique per pass (customers, orders, Idempotency-Keys)
--   BENCH_DATA     file of items (codes, redemption ids, customer ids), one a line; each thread takes
--                  every BENCH_THREADS-th line from its own offset, so threads never share an item
--   BENCH_RATE     0: as fast as possible; N: paced at N requests/s in total (the half-rate pass)
--   BENCH_RESULT   where done() writes the summary (JSON)
--   BENCH_TRACE    1: count response statuses (slower; for debugging errors)

local threads = {}
local thread_count = 0
threads_list = threads -- for a scenario's own done() (redirect.lua)

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local token = os.getenv("BENCH_TOKEN") or ""
local prefix = os.getenv("BENCH_PREFIX") or "x"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local trace = os.getenv("BENCH_TRACE") == "1"

items = {}
n = 0        -- requests made by this thread
wraps = 0    -- items handed out again although the scenario set fresh_items (it ran out of data)
fresh_items = false
headers = {}

-- Called from each scenario's init(): loads this thread's share of BENCH_DATA.
function bench_init()
  local data = os.getenv("BENCH_DATA")
  if data and data ~= "" then
    local i = 0
    for line in io.lines(data) do
      if line ~= "" then
        if i % nthreads == tid then items[#items + 1] = line end
        i = i + 1
      end
    end
    if #items == 0 then error("no items for thread " .. tid .. " in " .. data) end
  end
  headers["Authorization"] = "Bearer " .. token
end

-- The next item of this thread, round robin.
function next_item()
  local index = n % #items
  if fresh_items and n >= #items then wraps = wraps + 1 end
  return items[index + 1]
end

-- A string no other request of this run uses.
function unique_id()
  return prefix .. "-" .. tid .. "-" .. n
end

-- wrk.format replaces (does not merge) wrk.headers, so every request passes the full set.
function post(path, body, key)
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = key
  n = n + 1
  return wrk.format("POST", path, headers, body)
end

function get(path)
  headers["Content-Type"] = nil
  headers["Idempotency-Key"] = nil
  n = n + 1
  return wrk.format("GET", path, headers, nil)
end

-- Pacing: each thread reserves evenly spaced send slots; a thread behind schedule does not burst
-- to catch up. wrk only calls delay() when it exists when the script loads, so define it only
-- when pacing (a zero delay still costs a timer per request).
if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_usec; } bench_timeval;
    int gettimeofday(bench_timeval *tv, void *tz);
  ]]
  local tv = ffi.new("bench_timeval")
  local interval_us = 1e6 * nthreads / rate
  local next_slot = 0

  function delay()
    ffi.C.gettimeofday(tv, nil)
    local now = tonumber(tv.tv_sec) * 1e6 + tonumber(tv.tv_usec)
    if next_slot < now then next_slot = now end
    local wait = next_slot - now
    next_slot = next_slot + interval_us
    return math.floor(wait / 1000)
  end
end

if trace then
  statuses = {}
  function response(status, headers, body)
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
    if status > 399 and (statuses[key] or 0) <= 3 then
      io.stderr:write("HTTP " .. status .. ": " .. (body or "") .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local total_wraps = 0
  local status_counts = {}
  for _, thread in ipairs(threads) do
    total_wraps = total_wraps + (thread:get("wraps") or 0)
    local counts = thread:get("statuses")
    if counts then
      for status, count in pairs(counts) do status_counts[status] = (status_counts[status] or 0) + count end
    end
  end
  local parts = {}
  for status, count in pairs(status_counts) do parts[#parts + 1] = string.format('"%s":%d', status, count) end
  local e = summary.errors
  local json = string.format(
    '{"requests":%d,"duration_us":%d,"status_errors":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"wraps":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    total_wraps, table.concat(parts, ","))
  local path = os.getenv("BENCH_RESULT")
  if path and path ~= "" then
    local f = assert(io.open(path, "w"))
    f:write(json)
    f:close()
  else
    io.write(json)
  end
end
