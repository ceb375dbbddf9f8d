// How message texts, notification payloads and days are shown: DOM nodes built from text, never from HTML.
import { el } from "./util.js";

// A web address in a message: http(s):// up to whitespace or a character that cannot end one in running text.
const linkPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the address ("see https://x.org/a." or "(https://x.org/a)").
const trailing = /[.,;:!?)\]}]+$/;

/**
 * A message text cut into plain-text pieces (`{ text }`) and web addresses (`{ text, href }`): only http and https
 * addresses, without the sentence punctuation that follows them.
 */
export function linkSegments(text) {
  const source = String(text ?? "");
  const segments = [];
  let at = 0;
  for (const match of source.matchAll(linkPattern)) {
    let address = match[0];
    const cut = trailing.exec(address);
    if (cut) address = address.slice(0, cut.index);
    const href = safeUrl(address);
    if (!href) continue;
    if (match.index > at) segments.push({ text: source.slice(at, match.index) });
    segments.push({ text: address, href });
    at = match.index + address.length;
  }
  if (at < source.length) segments.push({ text: source.slice(at) });
  return segments;
}

/**
 * A message text as nodes: text, with each http or https address a link that opens in a new tab without access to
 * this page (rel=noopener noreferrer). Nothing is parsed as HTML, so no text can inject markup or a `javascript:` link.
 */
export function linkify(text) {
  return linkSegments(text).map((s) => (s.href ? el("a", { href: s.href, target: "_blank", rel: "noopener noreferrer" }, s.text) : s.text));
}

/** The address as the browser will follow it, or null unless it is http or https. */
function safeUrl(address) {
  try {
    const url = new URL(address);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Longest payload value shown before it is cut (a notification can carry up to 64 KiB). */
const MaxValueChars = 300;

/**
 * A notification's payload for people: an object as "key: value" lines (nested values as compact JSON), anything
 * else as its text; null when there is nothing to show.
 */
export function payloadNode(payload) {
  if (payload === null || payload === undefined || payload === "") return null;
  if (typeof payload !== "object" || Array.isArray(payload)) {
    return el("p", { class: "payload", dataset: { testid: "payload" } }, shorten(valueText(payload)));
  }
  const entries = Object.entries(payload);
  if (entries.length === 0) return null;
  return el("dl", { class: "payload", dataset: { testid: "payload" } },
    entries.flatMap(([key, value]) => [el("dt", {}, key), el("dd", {}, shorten(valueText(value)))]));
}

function valueText(value) {
  if (value === null) return "none";
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) return value.map(valueText).join(", ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function shorten(text) {
  return text.length > MaxValueChars ? `${text.slice(0, MaxValueChars)}…` : text;
}

/** The local calendar day of a time, as a key ("2026-12-01"); "" when it is not a time. */
export function dayKey(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

/** A day separator's words: "Today", "Yesterday", or the date ("Monday, November 30", with the year when not this one). */
export function dayLabel(iso, now = new Date()) {
  const date = new Date(iso);
  const today = dayKey(now);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  const key = dayKey(date);
  if (key === today) return "Today";
  if (key === dayKey(yesterday)) return "Yesterday";
  return date.toLocaleDateString([], {
    weekday: "long",
    month: "long",
    day: "numeric",
    year: date.getFullYear() === now.getFullYear() ? undefined : "numeric",
  });
}
