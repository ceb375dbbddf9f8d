// Edit and delete of room messages: applying MessageEdited / MessageDeleted to the message they target, the
// "(edited)" marker, the "message deleted" tombstone, and the Edit / Delete controls (docs/protocol.md, "Editing and
// deleting messages").
import { el, errorText, formatTime } from "./util.js";

/** Ids of edit entries not acked yet, per conversation: acked once the conversation is shown (acks are cumulative). */
const deferredAcks = new WeakMap();

/**
 * Applies an edit entry (the envelope of MessageEdited or MessageDeleted) to its message in `conv`. Returns the
 * message's item when it changed, or null: the message is not loaded here (history shows it as it is now when it is).
 * Applying the same entry twice changes nothing.
 */
export function applyEditEntry(conv, entry) {
  const item = conv.byId.get(entry.targetId);
  if (!item) return null;
  item.env = { ...item.env, text: entry.deleted ? null : entry.text, editedAt: entry.editedAt ?? entry.sentAt, deleted: Boolean(entry.deleted) };
  return item;
}

/**
 * Takes a message as history shows it now over the copy already here, when history's is newer (an edit this page
 * did not see). Returns the item when it changed.
 */
export function refreshFromHistory(conv, env) {
  const item = conv.byId.get(env.id);
  if (!item || !env.editedAt || (item.env.editedAt && new Date(item.env.editedAt) >= new Date(env.editedAt))) return null;
  item.env = { ...item.env, text: env.text, editedAt: env.editedAt, deleted: Boolean(env.deleted) };
  return item;
}

/** Remembers an edit entry's id to ack when `conv` is next shown. */
export function deferAck(conv, id) {
  const ids = deferredAcks.get(conv) ?? [];
  ids.push(id);
  deferredAcks.set(conv, ids);
}

/** The edit entries of `conv` waiting for their ack; forgotten here once taken. */
export function takeDeferredAcks(conv) {
  const ids = deferredAcks.get(conv) ?? [];
  deferredAcks.delete(conv);
  return ids;
}

/**
 * Adds to a message's node what edits show: "(edited)", a tombstone for a deleted message, and the controls: Edit and
 * Delete on the user's own messages, Delete on anyone's for a room admin.
 * @param {HTMLElement} node the message's `li`, with its `.meta` and `.text`
 * @param {object} env the message as it is now
 * @param {{mine: boolean, canDelete: boolean, edit: (text: string) => Promise<void>, remove: () => Promise<void>}} actions
 */
export function decorateMessage(node, env, { mine, canDelete, edit, remove }) {
  const meta = node.querySelector(".meta");
  const text = node.querySelector(".text");
  if (env.deleted) {
    node.classList.add("deleted");
    node.dataset.deleted = "true";
    text.replaceChildren(el("span", { class: "tombstone" }, "message deleted"));
    return node;
  }
  if (env.editedAt) {
    node.dataset.edited = "true";
    meta.append(el("span", { class: "edited", dataset: { testid: "edited" }, title: `Edited ${new Date(env.editedAt).toLocaleString()}` },
      `(edited ${formatTime(env.editedAt)})`));
  }
  if (!env.room || (!mine && !canDelete)) return node;
  const error = el("span", { class: "edit-error", role: "alert" });
  const actions = el("span", { class: "msg-actions" });
  if (mine) {
    actions.append(el("button", { type: "button", class: "link", dataset: { testid: "edit-message" }, "aria-label": "Edit this message",
      onclick: () => startEditing(text, env, edit, error) }, "Edit"));
  }
  const del = el("button", { type: "button", class: "link danger", dataset: { testid: "delete-message" }, "aria-label": "Delete this message" }, "Delete");
  // Two clicks: the first asks, the second deletes; leaving the button takes the question back.
  del.addEventListener("click", () => {
    if (del.dataset.confirm !== "true") {
      del.dataset.confirm = "true";
      del.textContent = "Really delete?";
      return;
    }
    void run(remove, error);
  });
  del.addEventListener("blur", () => {
    del.dataset.confirm = "false";
    del.textContent = "Delete";
  });
  actions.append(del);
  meta.append(actions, error);
  return node;
}

// Swaps the text for a box with the text; Enter (or Save) sends the edit, Escape (or Cancel) puts the text back. The
// node is redrawn when MessageEdited arrives.
function startEditing(text, env, edit, error) {
  if (text.querySelector("form")) return;
  const before = [...text.childNodes];
  const input = el("input", { type: "text", class: "edit-input", value: env.text ?? "", "aria-label": "Edit message", dataset: { testid: "edit-input" } });
  const cancel = () => text.replaceChildren(...before);
  const form = el("form", { class: "edit-form" }, input,
    el("button", { type: "submit", dataset: { testid: "edit-save" } }, "Save"),
    el("button", { type: "button", onclick: cancel }, "Cancel"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = input.value;
    if (value.trim() === "" || value === env.text) {
      cancel();
      return;
    }
    void run(() => edit(value), error);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Escape") cancel();
  });
  text.replaceChildren(form);
  input.focus();
  input.select();
}

async function run(action, error) {
  error.textContent = "";
  try {
    await action();
  } catch (err) {
    error.textContent = errorText(err);
  }
}
