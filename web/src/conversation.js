import { compareIds } from "./util.js";

/** Most items one conversation keeps in memory (older ones can be loaded again from history). */
export const MaxItems = 500;

/**
 * One conversation (a room, a direct-message peer, broadcasts): messages kept in id order and de-duplicated by id,
 * with local notices (joined/left) placed right after the message that was newest when they happened.
 */
export class Conversation {
  constructor(kind, key) {
    this.kind = kind; // "room" | "dm" | "all"
    this.key = key;
    this.items = [];
    this.byId = new Map();
    this.unread = 0;
    this.noticeSeq = 0;
    this.historyLoaded = false;
    this.olderAvailable = true;
  }

  /** Adds a message; returns its index, or -1 when the id is already here. */
  addMessage(env) {
    if (this.byId.has(env.id)) return -1;
    const item = { type: "msg", key: `m:${env.id}`, id: env.id, env };
    this.byId.set(env.id, item);
    let i = this.items.length;
    while (i > 0 && compare(this.items[i - 1], item) > 0) i--;
    this.items.splice(i, 0, item);
    return i;
  }

  /** Adds a local notice after the newest message; returns its index. */
  addNotice(text) {
    const seq = ++this.noticeSeq;
    const item = { type: "notice", key: `n:${seq}`, after: this.lastId(), seq, text, at: new Date().toISOString() };
    this.items.push(item);
    return this.items.length - 1;
  }

  lastId() {
    for (let i = this.items.length - 1; i >= 0; i--) {
      if (this.items[i].type === "msg") return this.items[i].id;
    }
    return "";
  }

  firstId() {
    return this.items.find((item) => item.type === "msg")?.id ?? null;
  }

  lastMessage() {
    for (let i = this.items.length - 1; i >= 0; i--) {
      if (this.items[i].type === "msg") return this.items[i].env;
    }
    return null;
  }

  /** Drops the oldest items beyond MaxItems; returns the dropped ones. */
  trim() {
    if (this.items.length <= MaxItems) return [];
    const dropped = this.items.splice(0, this.items.length - MaxItems);
    for (const item of dropped) if (item.type === "msg") this.byId.delete(item.id);
    this.olderAvailable = true;
    return dropped;
  }

  messages() {
    return this.items.filter((item) => item.type === "msg").map((item) => item.env);
  }
}

function sortKey(item) {
  return item.type === "msg" ? [item.id, 0, 0] : [item.after, 1, item.seq];
}

function compare(a, b) {
  const [ia, ta, sa] = sortKey(a);
  const [ib, tb, sb] = sortKey(b);
  return compareIds(ia, ib) || ta - tb || sa - sb;
}
