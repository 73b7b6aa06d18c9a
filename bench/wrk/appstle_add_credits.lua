-- Appstle Loyalty: POST /api/external/add-credits for demo customer 1001 of a sandbox shop.
-- Run as: wrk -t2 -c16 -d10s --latency -s bench/wrk/appstle_add_credits.lua \
--           http://127.0.0.1:PORT/api/external/add-credits
wrk.method = "POST"
wrk.headers["X-API-Key"] = "apst_test_bench"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"customerId": 1001, "credits": 1.25, "note": "bench"}'

dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")
