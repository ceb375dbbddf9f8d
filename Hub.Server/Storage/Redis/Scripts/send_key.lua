-- Claims an idempotency key for one message (claim_key, lib_append.lua), when the claim cannot be made by the append
-- script itself: on a Redis Cluster (the claim lives in the sender's partition, the message in another slot) or for a
-- send that runs several scripts. The server first tries a plain SET NX of the same value; this script only runs for a
-- key already claimed (a retry, a reuse, or a claim the window has expired).
-- KEYS[1]: the sender's claim of the key. ARGV: 1 now (ms), 2 window (ms), 3 fingerprint.
-- Returns 'new', 'retry' or 'keyreused'.
return claim_key(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3])
