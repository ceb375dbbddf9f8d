// Fast checks of the page's pure rules (links, payloads' words, days, the byte counter, refusals), under `node --test`.
// Run by Hub.Tests/Web/PageLogicTests.cs with TZ=UTC; the browser tests cover the same rules on the real page.
import assert from "node:assert/strict";
import test from "node:test";
import { blockedReason, byteCount } from "../src/composer.js";
import { dayKey, dayLabel, linkSegments } from "../src/format.js";
import { isRetryable } from "../src/util.js";

test("only http and https addresses become links, without the punctuation after them", () => {
  assert.deepEqual(linkSegments("see https://example.org/a?b=1&c=2. then (http://x.test/p)"), [
    { text: "see " },
    { text: "https://example.org/a?b=1&c=2", href: "https://example.org/a?b=1&c=2" },
    { text: ". then (" },
    { text: "http://x.test/p", href: "http://x.test/p" },
    { text: ")" },
  ]);
  for (const hostile of ["javascript:alert(1)", "<a href=\"javascript:alert(1)\">x</a>", "data:text/html,<script>1</script>",
    "ftp://example.org/f", "vbscript:msgbox(1)", "JAVASCRIPT://%0aalert(1)"]) {
    assert.deepEqual(linkSegments(hostile), [{ text: hostile }], hostile);
  }
  // Quotes and angle brackets end an address, so markup around one stays text.
  assert.deepEqual(linkSegments("<img src=\"https://e.org/x.png\" onerror=1>").filter((s) => s.href).map((s) => s.href), ["https://e.org/x.png"]);
  assert.deepEqual(linkSegments(""), []);
});

test("days are keyed and named in local time", () => {
  const now = new Date("2026-12-01T10:00:00Z");
  assert.equal(dayKey("2026-12-01T23:59:59Z"), "2026-12-01");
  assert.equal(dayKey("not a time"), "");
  assert.equal(dayLabel("2026-12-01T00:00:01Z", now), "Today");
  assert.equal(dayLabel("2026-11-30T23:59:59Z", now), "Yesterday");
  assert.equal(dayLabel("2026-11-27T12:00:00Z", now), "Friday, November 27");
  assert.equal(dayLabel("2025-11-27T12:00:00Z", now), "Thursday, November 27, 2025");
});

test("the byte counter counts UTF-8 bytes against the limit", () => {
  assert.deepEqual(byteCount("", 64), { bytes: 0, over: false, text: "", state: "ok" });
  assert.deepEqual(byteCount("€".repeat(22), 64), { bytes: 66, over: true, text: "66 / 64 bytes", state: "over" });
  assert.equal(byteCount("x".repeat(58), 64).state, "near");
  assert.equal(byteCount("x".repeat(57), 64).state, "ok");
  assert.equal(byteCount("x".repeat(64), 64).over, false);
  assert.equal(byteCount("héllo", null).text, "6 bytes");
});

test("the message box says why a room cannot be sent to", () => {
  const room = (fields) => ({ name: "r", member: true, deleted: false, deletedByOwner: false, ...fields });
  assert.equal(blockedReason({ kind: "room", key: "r" }, room({})), null);
  assert.equal(blockedReason({ kind: "dm", key: "bob" }, null), null);
  assert.match(blockedReason(null, null), /Pick a conversation/);
  assert.match(blockedReason({ kind: "room", key: "r" }, room({ member: false })), /not in #r/);
  assert.match(blockedReason({ kind: "room", key: "r" }, room({ member: false, deleted: true, deletedByOwner: true })), /deleted by its owner/);
  assert.match(blockedReason({ kind: "room", key: "r" }, room({ member: false, deleted: true })), /no longer exists/);
});

test("only refusals the server marks retryable offer Retry", () => {
  const refusal = (suffix) => new Error(`An unexpected error occurred invoking 'Send' on the server. HubException: Nope.${suffix}`);
  assert.equal(isRetryable(refusal(" [rate_limited; retryable; retry-after=1.5]")), true);
  assert.equal(isRetryable(refusal(" [store_unavailable; retryable]")), true);
  assert.equal(isRetryable(refusal(" [user_not_found]")), false);
  assert.equal(isRetryable(refusal("")), false);
});

test("the first unread message is the first from others after the read position, else counted from the end", async () => {
  const { firstUnread } = await import("../src/messagelist.js");
  const msg = (id, from, seq) => ({ type: "msg", id, env: { from, seq } });
  const items = [msg("1", "bob", 1), msg("2", "me", 2), { type: "notice", key: "n" }, msg("3", "bob", 3), msg("4", "bob", 4)];
  assert.equal(firstUnread(items, { me: "me", readSeq: 1 }), "3");
  assert.equal(firstUnread(items, { me: "me", readSeq: 0 }), "1");
  assert.equal(firstUnread(items, { me: "me", readSeq: 4 }), null);
  assert.equal(firstUnread(items, { me: "me", unread: 2 }), "3");
  assert.equal(firstUnread(items, { me: "me", unread: 9 }), "1");
  assert.equal(firstUnread(items, { me: "me" }), null);
});
