// Small helpers shared by the page's modules.

/**
 * Splits a message id into its position's numbers: `{unixMs}-{counter}`, followed by its room or conversation
 * (`/r/{room}`, `/d/{a}/{b}`) except for messages addressed to the user; null when it is not one.
 */
function parseId(id) {
  const m = /^(\d+)-(\d+)(?:\/|$)/.exec(id ?? "");
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/**
 * Orders message ids in send order: exactly within one room or conversation (the counter grows by one per message
 * there), by time across them. The empty string sorts first.
 */
export function compareIds(a, b) {
  if (a === b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  const pa = parseId(a);
  const pb = parseId(b);
  if (pa && pb) return pa[0] - pb[0] || pa[1] - pb[1];
  return a < b ? -1 : 1;
}

/** `count` random bytes as hex. crypto.getRandomValues works on plain http too (crypto.randomUUID needs a secure context). */
function randomHex(count) {
  const bytes = crypto.getRandomValues(new Uint8Array(count));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new idempotency key for one outgoing message: 32 hex characters. */
export function newSendKey() {
  return randomHex(16);
}

/**
 * A new device id for this browser: `web-` and 24 hex characters (the server's rule: 1-64 of letters, digits,
 * `_ . -`). Generated once per user and kept, so the server keeps this browser's delivery state apart from the
 * user's other devices.
 */
export function newDeviceId() {
  return `web-${randomHex(12)}`;
}

// The suffix the server adds to a refusal's text: " [code]", " [code; retryable]" or
// " [code; retryable; retry-after=1.5]" (docs/protocol.md, "Errors").
const errorSuffix = / \[([a-z][a-z0-9_]*)((?:; [a-z][a-z0-9_-]*(?:=[^;\]\s]*)?)*)\]$/;

/** The server's words for a failed hub invocation: after `HubException: `, without the code suffix. */
export function errorText(err) {
  const message = String(err?.message ?? err ?? "Unknown error");
  const marker = "HubException: ";
  const at = message.indexOf(marker);
  const text = at >= 0 ? message.slice(at + marker.length) : message;
  return text.replace(errorSuffix, "");
}

/** The stable code of a refused hub invocation (`not_member`, `rate_limited`, ...), or `null` when it has none. */
export function errorCode(err) {
  return errorSuffix.exec(String(err?.message ?? ""))?.[1] ?? null;
}

/** Whether the server said retrying the same call unchanged can succeed (`retryable` in the code suffix). */
export function isRetryable(err) {
  const flags = errorSuffix.exec(String(err?.message ?? ""))?.[2] ?? "";
  return flags.split("; ").includes("retryable");
}

/** Whether a hub invocation failed because the server refused it (rather than because the connection broke). */
export function isServerRefusal(err) {
  return String(err?.message ?? "").includes("HubException: ");
}

/** Whether connecting failed because the token was refused. */
export function isUnauthorized(err) {
  return err?.statusCode === 401 || /Status code '401'|\b401\b.*Unauthorized|Unauthorized/.test(String(err?.message ?? err));
}

/** Valid user and room names: 1-64 letters, digits, `_ . -`. */
export const namePattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** UTF-8 byte length of a string. */
export function utf8Bytes(text) {
  return new TextEncoder().encode(text).length;
}

/** A short time for a message: hh:mm, with the date when it is not today. */
export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const now = new Date();
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return date.toDateString() === now.toDateString()
    ? time
    : `${date.toLocaleDateString([], { month: "short", day: "numeric" })} ${time}`;
}

/** Creates an element: el("li", { class: "x", dataset: { id } }, child, "text"). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** localStorage that never throws (private mode, quota). */
export const storage = {
  get(key, fallback = null) {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or unavailable: the page still works, it just remembers less across reloads.
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // ignore
    }
  },
};
