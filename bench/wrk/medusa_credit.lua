-- Medusa Loyalty Plugin: credit a store-credit account with the sk_test_bench secret key.
-- The URL names the account (mock_bench.py looks it up first):
--   wrk ... -s bench/wrk/medusa_credit.lua \
--     http://127.0.0.1:PORT/admin/store-credit-accounts/ACCOUNT_ID/credit
wrk.method = "POST"
wrk.headers["Authorization"] = "Basic c2tfdGVzdF9iZW5jaDo=" -- sk_test_bench:
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"amount": 1.25, "note": "bench"}'

dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "common.lua")
