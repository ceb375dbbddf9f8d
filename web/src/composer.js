// The message box's rules: when it cannot send (and why), and how long the message is against the server's limit.
import { utf8Bytes } from "./util.js";

/**
 * Why nothing can be sent to `view` (shown under the box, which is disabled), or null when it can. `room` is the
 * room's entry when the view is a room.
 */
export function blockedReason(view, room) {
  if (!view) return "Pick a conversation first.";
  if (view.kind !== "room" || !room) return null;
  if (room.deleted && room.deletedByOwner) return `#${room.name} was deleted by its owner: nothing more can be sent here.`;
  if (room.deleted) return `#${room.name} no longer exists on the server (it may have restarted). Create it again to use it.`;
  if (room.member === false) return `You are not in #${room.name}: join it to send messages.`;
  return null;
}

/** Share of the limit from which the counter warns. */
const WarnShare = 0.9;

/**
 * The byte counter for `text` against `max` UTF-8 bytes (null until the server has said its limit):
 * `{ bytes, over, text, state }` with state "ok", "near" or "over".
 */
export function byteCount(text, max) {
  const bytes = utf8Bytes(text);
  // Nothing typed, nothing to count: the counter shows up with the first character.
  if (bytes === 0) return { bytes, over: false, text: "", state: "ok" };
  if (!max) return { bytes, over: false, text: `${bytes} bytes`, state: "ok" };
  const over = bytes > max;
  return {
    bytes,
    over,
    text: `${bytes} / ${max} bytes`,
    state: over ? "over" : bytes >= max * WarnShare ? "near" : "ok",
  };
}

/** The words for a message refused before sending because it is too long (the server's own words for the same). */
export function tooLongText(bytes, max) {
  return `Message too long: ${bytes} bytes; the limit is ${max} bytes. Shorten it and send again.`;
}
