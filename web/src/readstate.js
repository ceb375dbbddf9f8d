// Read state: unread counts from the server (MyRooms, ReadUpTo), marking read only what is on screen in a visible tab,
// the unread total in the tab title, and "seen by" under the user's last message.

/**
 * Where a message id says a message is stored, as this user names it: `{ms}-{seq}/r/{room}` is room `room`,
 * `{ms}-{seq}/d/{a}/{b}` the conversation with whichever of a and b is not `me`. Null for anything else (broadcasts
 * and notifications live in the user's own stream and have no read state).
 * @returns {{key: string, address: string, seq: number, ms: number} | null}
 */
export function scopeOf(id, me) {
  const match = /^(\d+)-(\d+)\/(r|d)\/(.+)$/.exec(id ?? "");
  if (!match) return null;
  const [, ms, seq, kind, name] = match;
  if (kind === "r") return { key: `room:${name}`, address: name, seq: Number(seq), ms: Number(ms) };
  const [a, b] = name.split("/");
  const peer = a === me ? b : a;
  return { key: `dm:${peer}`, address: `@${peer}`, seq: Number(seq), ms: Number(ms) };
}

/** The key of a conversation address as ReadUpTo names it: `@bob` is the conversation with bob, anything else a room. */
function keyOfAddress(address) {
  return address.startsWith("@") ? `dm:${address.slice(1)}` : `room:${address}`;
}

/**
 * Unread counts as `last seq - read seq` per room and conversation: counting seqs, not arrivals, a message delivered
 * twice (live, then again on resume) or loaded from history is counted once, and the counts survive a reload because
 * they start from the server's (MyRooms). The user's read position moves when a message is seen: its element is at
 * least half on screen in the message list while the tab is visible (a phone on the Rooms tab hides the list, a
 * background tab is hidden), and then MarkRead tells the server, once per conversation at a time.
 */
export class ReadTracker {
  /**
   * @param {{me: string, markRead: (address: string, seq: number) => Promise<unknown>, onChange: () => void,
   *   list: HTMLElement, scroller: HTMLElement, seenBy: HTMLElement, title: string}} options
   */
  constructor({ me, markRead, onChange, list, scroller, seenBy, title }) {
    this.me = me;
    this.markRead = markRead;
    this.onChange = onChange;
    this.list = list;
    this.seenByNode = seenBy;
    this.title = title;
    /** @type {Map<string, {last: number, read: number, at: number, readers: Map<string, number>}>} */
    this.scopes = new Map();
    /** Ids of the messages on screen now. */
    this.onScreen = new Set();
    /** MarkRead calls to make, by key: the newest seq seen; and the keys with a call in flight. */
    this.pending = new Map();
    this.inFlight = new Set();

    this.intersection = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = entry.target.dataset.id;
        // Half of it on screen, or half the list's height for a message taller than that.
        const seen = entry.isIntersecting && (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= (entry.rootBounds?.height ?? Infinity) / 2);
        if (seen) this.onScreen.add(id);
        else this.onScreen.delete(id);
      }
      this.markSeen();
    }, { root: scroller, threshold: [0, 0.5, 1] });
    this.mutation = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) this.forEachMessage(node, (message) => this.intersection.observe(message));
        for (const node of record.removedNodes) {
          this.forEachMessage(node, (message) => {
            this.intersection.unobserve(message);
            this.onScreen.delete(message.dataset.id);
          });
        }
      }
      this.renderSeenBy();
    });
    this.mutation.observe(list, { childList: true, subtree: true });
    this.forEachMessage(list, (message) => this.intersection.observe(message));
    this.onVisibility = () => this.markSeen();
    document.addEventListener("visibilitychange", this.onVisibility);
  }

  dispose() {
    this.intersection.disconnect();
    this.mutation.disconnect();
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.seenByNode.hidden = true;
    document.title = this.title;
  }

  forEachMessage(node, action) {
    if (!(node instanceof Element)) return;
    if (node.matches("[data-testid='message'][data-id]")) action(node);
    for (const message of node.querySelectorAll("[data-testid='message'][data-id]")) action(message);
  }

  scope(key) {
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = { last: 0, read: 0, at: 0, readers: new Map() };
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** The server's view (MyRooms): replaces the list of rooms and conversations, keeping what moved since locally. */
  applyServer(myRooms) {
    const keys = new Set();
    for (const entry of myRooms) {
      const key = entry.kind === "conversation" ? `dm:${entry.name}` : `room:${entry.name}`;
      keys.add(key);
      const scope = this.scope(key);
      scope.last = Math.max(scope.last, entry.lastSeq);
      scope.read = Math.max(scope.read, entry.readSeq);
      if (entry.lastMessageAt) scope.at = Math.max(scope.at, Date.parse(entry.lastMessageAt));
    }
    for (const key of this.scopes.keys()) {
      if (!keys.has(key) && key.startsWith("room:")) this.scopes.delete(key);
    }
    this.changed();
  }

  /** A message arrived (live, redelivered or from history). Sending reads: the user's own message is read. */
  noteMessage(env) {
    const at = scopeOf(env?.id, this.me);
    if (!at) return;
    const scope = this.scope(at.key);
    scope.last = Math.max(scope.last, at.seq);
    scope.at = Math.max(scope.at, at.ms);
    if (env.from === this.me) scope.read = Math.max(scope.read, at.seq);
    this.changed();
  }

  /** ReadUpTo(room or @peer, user, seq): the user's own read (another device) or a member's, for "seen by". */
  noteReadUpTo(address, user, seq) {
    const scope = this.scope(keyOfAddress(address));
    if (user === this.me) scope.read = Math.max(scope.read, seq);
    else scope.readers.set(user, Math.max(scope.readers.get(user) ?? 0, seq));
    this.changed();
    this.renderSeenBy();
  }

  /** Members of a room with their read seqs (GetMembers). */
  setReaders(room, members) {
    const scope = this.scope(`room:${room}`);
    scope.readers = new Map(members.filter((m) => m.user !== this.me).map((m) => [m.user, m.readSeq ?? 0]));
    this.renderSeenBy();
  }

  /** Forgets a room the user left or that was deleted. */
  forget(key) {
    this.scopes.delete(key);
    this.changed();
  }

  unread(key) {
    const scope = this.scopes.get(key);
    return scope ? Math.max(0, scope.last - scope.read) : 0;
  }

  /** When the room or conversation last had a message (ms since the epoch; 0 for never or unknown). */
  lastAt(key) {
    return this.scopes.get(key)?.at ?? 0;
  }

  /** Conversations the server or this page knows of, by peer. */
  peers() {
    return [...this.scopes.keys()].filter((key) => key.startsWith("dm:")).map((key) => key.slice(3));
  }

  total() {
    let total = 0;
    for (const key of this.scopes.keys()) total += this.unread(key);
    return total;
  }

  changed() {
    const total = this.total();
    document.title = total > 0 ? `(${total}) ${this.title}` : this.title;
    this.onChange();
  }

  /** Marks read, per conversation, up to the newest message on screen, if the tab is visible. */
  markSeen() {
    if (document.visibilityState !== "visible") return;
    let moved = false;
    for (const id of this.onScreen) {
      const at = scopeOf(id, this.me);
      if (!at) continue;
      const scope = this.scope(at.key);
      if (at.seq <= scope.read) continue;
      scope.read = at.seq;
      this.pending.set(at.key, { address: at.address, seq: Math.max(at.seq, this.pending.get(at.key)?.seq ?? 0) });
      moved = true;
    }
    if (!moved) return;
    this.changed();
    for (const key of this.pending.keys()) void this.send(key);
  }

  // One MarkRead per conversation at a time, with the newest seq seen when it starts; a failure (offline, the room was
  // left) is dropped: the next MyRooms brings the server's position back.
  async send(key) {
    if (this.inFlight.has(key)) return;
    const mark = this.pending.get(key);
    if (!mark) return;
    this.pending.delete(key);
    this.inFlight.add(key);
    try {
      await this.markRead(mark.address, mark.seq);
    } catch {
      // See above.
    } finally {
      this.inFlight.delete(key);
      if (this.pending.has(key)) void this.send(key);
    }
  }

  /** "Seen by" under the user's last message in the open list: the others whose read seq reached it. */
  renderSeenBy() {
    const mine = this.list.querySelectorAll(`[data-testid='message'][data-from='${CSS.escape(this.me)}']`);
    const last = mine.length > 0 ? scopeOf(mine[mine.length - 1].dataset.id, this.me) : null;
    const readers = last ? [...(this.scopes.get(last.key)?.readers ?? [])].filter(([, seq]) => seq >= last.seq).map(([user]) => user).sort() : [];
    this.seenByNode.hidden = readers.length === 0;
    this.seenByNode.textContent = readers.length === 0 ? "" : `Seen by ${readers.join(", ")}`;
  }
}
