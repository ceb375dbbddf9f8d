// The open conversation's message list: day separators, messages of one author grouped, the "new messages" divider,
// the "N new" button while scrolled up, and the polite announcement of messages as they arrive.
import { dayKey, dayLabel } from "./format.js";
import { el } from "./util.js";

/** Consecutive messages of one author closer together than this are shown as one group (under one name and time). */
export const GroupWindowMs = 5 * 60 * 1000;
/** How close to the bottom (in pixels) still counts as "at the bottom", so new messages keep it scrolled down. */
const BottomSlack = 80;
/** Longest message text read out by the announcer; the rest is in the list. */
const MaxAnnouncedChars = 200;

function timeOf(item) {
  return item.type === "msg" ? item.env.sentAt : item.at;
}

/**
 * Draws one conversation's items into a list and keeps the view where the reader is: at the first unread message
 * when there is one (until they have scrolled to the bottom), at the bottom otherwise, and where it was while they
 * read older messages (with a button saying how many arrived below).
 */
export class MessageList {
  /**
   * @param {object} options
   * @param {HTMLOListElement} options.list the message list
   * @param {HTMLElement} options.scroller its scrolling box
   * @param {HTMLButtonElement} options.jump the "N new" button
   * @param {HTMLElement} options.announcer a polite live region, visually hidden
   * @param {(item: object) => HTMLElement} options.itemNode draws one item
   * @param {() => string} options.me who is reading (their own messages never count as new)
   */
  constructor({ list, scroller, jump, announcer, itemNode, me }) {
    Object.assign(this, { list, scroller, jump, announcer, itemNode, me });
    /** Item key to the nodes drawn for it (separators first, the item's own node last). */
    this.nodes = new Map();
    this.conv = null;
    this.dividerConv = null;
    this.dividerId = null;
    this.dividerSeen = true;
    this.newBelow = 0;
    scroller.addEventListener("scroll", () => this.onScroll(), { passive: true });
    jump.addEventListener("click", () => {
      this.dividerSeen = true;
      this.scrollToBottom();
    });
  }

  /**
   * Marks `id` as the first unread message of `conv` (a "New messages" divider goes above it and the list opens
   * there); the next render of `conv` shows it.
   */
  setFirstUnread(conv, id) {
    this.dividerConv = conv;
    this.dividerId = id;
    this.dividerSeen = false;
  }

  /** The first unread message's id in the open conversation, or null. */
  get firstUnreadId() {
    return this.dividerConv === this.conv ? this.dividerId : null;
  }

  /** Draws `conv` from scratch; keeps the distance from the bottom when `keepScroll` is given (older messages loaded). */
  render(conv, { keepScroll = null } = {}) {
    if (conv !== this.conv) {
      this.newBelow = 0;
      if (this.dividerConv !== conv) this.dividerId = null;
    }
    this.conv = conv;
    this.nodes = new Map();
    const nodes = [];
    const items = conv?.items ?? [];
    items.forEach((item, i) => nodes.push(...this.draw(item, items[i - 1])));
    this.list.replaceChildren(...nodes);
    if (keepScroll !== null) this.scroller.scrollTop = this.scroller.scrollHeight - keepScroll;
    else if (this.dividerNode()) this.scrollToDivider();
    else this.scrollToBottom();
    this.renderJump();
  }

  /** Shows the item at `index` of the open conversation, which was just added. */
  insert(conv, index) {
    const item = conv.items[index];
    if (index !== conv.items.length - 1) {
      // Added among older items (history merged in): separators and groups around it change, so redraw in place.
      this.render(conv, { keepScroll: this.scroller.scrollHeight - this.scroller.scrollTop });
      return;
    }
    const fromOthers = item.type === "msg" && item.env.from !== this.me();
    const stick = this.atBottom() || (item.type === "msg" && !fromOthers);
    if (!this.firstUnreadId && fromOthers && item.env.redelivered) {
      // Arrived while this browser was away (the backlog after a reload or reconnect): unread from here on.
      this.setFirstUnread(conv, item.id);
    }
    this.list.append(...this.draw(item, conv.items[index - 1]));
    if (stick) this.scrollToLatest();
    else if (fromOthers) this.newBelow++;
    if (fromOthers && !item.env.redelivered) this.announce(`${item.env.from}: ${item.env.text ?? ""}`);
    this.renderJump();
  }

  /** Removes the nodes of items dropped from the open conversation. */
  remove(items) {
    for (const item of items) {
      for (const node of this.nodes.get(item.key) ?? []) node.remove();
      this.nodes.delete(item.key);
    }
  }

  /** Says `text` politely to screen readers (once; the list itself is not a live region). */
  announce(text) {
    this.announcer.textContent = text.length > MaxAnnouncedChars ? `${text.slice(0, MaxAnnouncedChars)}…` : text;
  }

  atBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < BottomSlack;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.onScroll();
  }

  /** Follows new messages down, but not past the first unread one before the reader has seen it. */
  scrollToLatest() {
    if (this.dividerNode() && !this.dividerSeen) this.scrollToDivider();
    else this.scrollToBottom();
  }

  // Items: a day separator when the day changes, the divider above the first unread message, then the item itself.
  draw(item, previous) {
    const nodes = [];
    const day = dayKey(timeOf(item));
    const newDay = !previous || dayKey(timeOf(previous)) !== day;
    if (newDay && day) {
      nodes.push(el("li", { class: "day", dataset: { testid: "day-separator" } },
        el("time", { datetime: day }, dayLabel(timeOf(item)))));
    }
    const divided = item.type === "msg" && item.id === this.firstUnreadId;
    if (divided) {
      nodes.push(el("li", { class: "divider", id: "first-unread", dataset: { testid: "unread-divider" } },
        el("span", {}, "New messages")));
    }
    const node = this.itemNode(item);
    if (!newDay && !divided && grouped(previous, item)) {
      node.classList.add("grouped");
      node.dataset.grouped = "true";
    }
    nodes.push(node);
    this.nodes.set(item.key, nodes);
    return nodes;
  }

  dividerNode() {
    return this.firstUnreadId ? this.list.querySelector("#first-unread") : null;
  }

  scrollToDivider() {
    const divider = this.dividerNode();
    const offset = divider.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top;
    this.scroller.scrollTop += offset - 8;
    if (this.atBottom()) this.dividerSeen = true;
    // Unread messages that do not fit under the divider count as new below it.
    const bottom = this.scroller.getBoundingClientRect().bottom;
    let below = 0;
    for (let node = divider.nextElementSibling; node; node = node.nextElementSibling) {
      if (node.dataset.testid === "message" && node.dataset.from !== this.me() && node.getBoundingClientRect().top >= bottom) below++;
    }
    this.newBelow = below;
  }

  onScroll() {
    if (!this.atBottom()) return;
    this.dividerSeen = true;
    if (this.newBelow !== 0) {
      this.newBelow = 0;
      this.renderJump();
    }
  }

  renderJump() {
    this.jump.hidden = this.newBelow === 0;
    this.jump.textContent = `${this.newBelow} new ↓`;
    this.jump.setAttribute("aria-label", `${this.newBelow} new message${this.newBelow === 1 ? "" : "s"} below: jump to the latest`);
  }
}

/**
 * The id of the first unread message among `items` (a conversation's, in order), or null when all are read: the first
 * message from someone else after `readSeq` (how far the user has read on the server, MyRooms) when it is known, else
 * the oldest of the last `unread` messages from others (counted by this page while the conversation was not open).
 */
export function firstUnread(items, { me, readSeq = null, unread = 0 }) {
  const fromOthers = items.filter((item) => item.type === "msg" && item.env.from !== me);
  if (typeof readSeq === "number") {
    return fromOthers.find((item) => typeof item.env.seq === "number" && item.env.seq > readSeq)?.id ?? null;
  }
  return unread > 0 ? fromOthers[Math.max(0, fromOthers.length - unread)]?.id ?? null : null;
}

/** Whether `item` continues `previous`'s group: both messages, same author, close in time, and not one from away. */
function grouped(previous, item) {
  if (previous?.type !== "msg" || item.type !== "msg") return false;
  const a = previous.env;
  const b = item.env;
  return a.from === b.from && Boolean(a.redelivered) === Boolean(b.redelivered)
    && Math.abs(new Date(b.sentAt) - new Date(a.sentAt)) < GroupWindowMs;
}
