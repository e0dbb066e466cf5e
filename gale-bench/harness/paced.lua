-- Fixed-rate load for wrk (Debian has no wrk2): every connection waits a random delay around
-- CONNECTIONS/RATE seconds after each response before it sends the next request, so the total
-- rate is about RATE while the server is below saturation. wrk starts its latency clock when the
-- request is written (after the delay), so reported latencies are per request, not queueing time
-- of the generator. If the server cannot keep up, the achieved rate falls below RATE: the harness
-- compares and flags it.
-- usage: wrk -t1 -cCONNECTIONS ... -s paced.lua URL -- RATE CONNECTIONS
local mean_ms

init = function(args)
  local rate = tonumber(args[1])
  local conns = tonumber(args[2])
  mean_ms = conns * 1000 / rate
  math.randomseed(os.time())
end

delay = function()
  -- uniform in [0.5, 1.5) x mean: the same mean, but connections do not fire in lock-step
  return mean_ms * (0.5 + math.random())
end
