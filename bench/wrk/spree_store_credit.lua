-- Spree Platform API: create a store credit for demo user 1, with the bearer token that
-- mock_bench.py got from POST /spree_oauth/token (client test_bench) in BENCH_BEARER_TOKEN.
--   BENCH_BEARER_TOKEN=... wrk ... -s bench/wrk/spree_store_credit.lua \
--     http://127.0.0.1:PORT/api/v2/platform/store_credits
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_BEARER_TOKEN") or "missing")
wrk.headers["Content-Type"] = "application/vnd.api+json"
wrk.body = '{"store_credit": {"user_id": "1", "created_by_id": "2", "category_id": "1", '
  .. '"type_id": "1", "store_id": "1", "currency": "USD", "amount": 1.25, "memo": "bench"}}'

dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")
