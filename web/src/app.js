// Hub's chat page: sign-in, rooms, direct messages, presence, notifications, acks and de-duplication.
import { AckBatcher } from "./acks.js";
import { ManagedConnection, NotConnectedError } from "./connection.js";
import { blockedReason, byteCount, tooLongText } from "./composer.js";
import { Conversation } from "./conversation.js";
import { RoomsFeature } from "./rooms.js";
import { ReadTracker } from "./readstate.js";
import { applyEditEntry, decorateMessage, deferAck, refreshFromHistory, takeDeferredAcks } from "./edits.js";
import { linkify, payloadNode } from "./format.js";
import { firstUnread, MessageList } from "./messagelist.js";
import { compareIds, el, errorCode, errorText, formatTime, isRetryable, isServerRefusal, namePattern, newDeviceId, newSendKey, storage } from "./util.js";

const $ = (id) => document.getElementById(id);

const SessionKey = "hub.session";
const keys = {
  view: (user) => `hub.view.${user}`,
  cache: (user) => `hub.cache.${user}`,
  epoch: (user, ns) => `hub.epoch.${user}.${ns}`,
  device: (user) => `hub.device.${user}`,
};
const HistoryPage = 50;
const CachedPerConversation = 200;
const MaxNotifications = 100;
const MembershipProbeLimit = 100;
/** Most pages of ListRoomsPage read for "Other rooms" (Limits:MaxRoomsPage rooms each). */
const RoomListPages = 20;
const PageTitle = document.title;

/** @type {{user: string, token: string} | null} */
let session = null;
/** @type {ManagedConnection | null} */
let chat = null;
/** @type {ManagedConnection | null} */
let notif = null;
/** @type {AckBatcher | null} */
let chatAcks = null;
/** @type {AckBatcher | null} */
let notifAcks = null;
/** @type {ReadTracker | null} */
let reads = null;
let state = null;
let outboxSeq = 0;
/** The open conversation's list (drawn by itemNode, below). */
const messageList = new MessageList({
  list: $("messages"),
  scroller: $("scroller"),
  jump: $("jump-new"),
  announcer: $("announcer"),
  itemNode: (item) => itemNode(item),
  me: () => state?.user ?? "",
});
const roomsFeature = new RoomsFeature({
  state: () => state, chat: () => chat, roomEntry, scheduleRender, runAction, joinRoom, notice: addNotice, noticeIn, showError,
});

// ---------------------------------------------------------------------------------------------------------------
// Start-up, sign-in, sign-out

function hubUrl(path) {
  return new URL(path, document.baseURI).href;
}

/**
 * This browser's device id for `user`: generated at the first sign-in here, then kept in localStorage (per user), so
 * the server keeps this browser's cursors apart from the user's other devices. Without storage every page load is a
 * new device, which starts at the present.
 */
function deviceOf(user) {
  const kept = storage.get(keys.device(user), null);
  if (typeof kept === "string" && namePattern.test(kept)) return kept;
  const device = newDeviceId();
  storage.set(keys.device(user), device);
  return device;
}

async function requestToken(user) {
  let response;
  try {
    response = await fetch(hubUrl("api/token"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user }),
    });
  } catch {
    const error = new Error("Cannot reach the server. Check your connection and try again.");
    error.network = true;
    throw error;
  }
  const body = await response.json().catch(() => null);
  if (!response.ok || !body?.token) {
    throw new Error(body?.error ?? `Sign-in failed (HTTP ${response.status}).`);
  }
  return body.token;
}

function showSignIn(message = "") {
  clearError();
  $("app").hidden = true;
  $("signin").hidden = false;
  $("signin-error").textContent = message;
  setBanner("stopped", "Signed out");
  $("signin-name").focus();
}

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const user = $("signin-name").value.trim();
  const error = $("signin-error");
  if (!namePattern.test(user)) {
    error.textContent = "Use 1–64 letters, digits, “_”, “.” or “-”.";
    return;
  }
  const button = event.submitter ?? event.target.querySelector("button");
  button.disabled = true;
  error.textContent = "";
  try {
    const token = await requestToken(user);
    session = { user, token };
    storage.set(SessionKey, session);
    startSession();
  } catch (err) {
    error.textContent = err.message;
  } finally {
    button.disabled = false;
  }
});

$("signout").addEventListener("click", () => void signOut());

async function signOut(message = "") {
  const user = session?.user;
  storage.remove(SessionKey);
  if (user) {
    storage.remove(keys.view(user));
    storage.remove(keys.cache(user));
    storage.remove(keys.epoch(user, "chat"));
    storage.remove(keys.epoch(user, "notifications"));
    // The device id stays: signing in again here is the same device, which gets what was sent meanwhile (a new id
    // would start at the present).
  }
  session = null;
  const stopping = [chat?.stop(), notif?.stop()];
  reads?.dispose();
  chat = notif = chatAcks = notifAcks = reads = null;
  state = null;
  await Promise.all(stopping);
  showSignIn(message);
}

/** Gets a new token for the same name when the server refuses the old one (e.g. it restarted). */
async function renewToken() {
  if (!session) return false;
  try {
    session.token = await requestToken(session.user);
    storage.set(SessionKey, session);
    return true;
  } catch (err) {
    if (!err.network) void signOut(`Your session ended: ${err.message}`);
    return false;
  }
}

function startSession() {
  const user = session.user;
  state = {
    user,
    rooms: new Map(),
    dms: new Map(),
    all: new Conversation("all", "*"),
    notifications: new Conversation("notifications", "*"),
    notifUnread: 0,
    topics: new Set(),
    view: storage.get(keys.view(user), null),
    outbox: [],
    notices: [],
  };
  restoreCache();

  const device = deviceOf(user);
  chat = new ManagedConnection({
    path: hubUrl("hubs/chat"),
    token: () => session?.token ?? "",
    renewToken,
    device: () => device,
    epoch: () => storage.get(keys.epoch(user, "chat"), null),
    handlers: {
      Message: onChatMessage,
      UserJoined: onUserJoined,
      UserLeft: onUserLeft,
      PresenceChanged: onPresenceChanged,
      RoomDeleted: onRoomDeleted,
      ...roomsFeature.handlers(),
      ReadUpTo: (room, user, seq) => reads?.noteReadUpTo(room, user, seq),
      MessageEdited: onEditEntry,
      MessageDeleted: onEditEntry,
    },
    onResumed: (info) => void onChatResumed(info),
    onChange: renderBanner,
  });
  notif = new ManagedConnection({
    path: hubUrl("hubs/notifications"),
    token: () => session?.token ?? "",
    renewToken,
    device: () => device,
    epoch: () => storage.get(keys.epoch(user, "notifications"), null),
    handlers: {
      Notification: onNotification,
      UserJoined: () => {},
      UserLeft: () => {},
      PresenceChanged: () => {},
      RoomDeleted: (topic) => {
        state?.topics.delete(topic);
        scheduleRender();
      },
    },
    onResumed: (info) => void onNotificationsResumed(info),
    onChange: renderBanner,
  });
  chatAcks = new AckBatcher(chat, renderUnacked);
  const connection = chat;
  reads = new ReadTracker({
    me: user,
    markRead: (address, seq) => connection.invoke("MarkRead", address, seq),
    onChange: scheduleRender,
    list: $("messages"),
    scroller: $("scroller"),
    seenBy: $("seen-by"),
    title: PageTitle,
  });
  notifAcks = new AckBatcher(notif, renderUnacked);

  $("signin").hidden = true;
  $("app").hidden = false;
  $("me").textContent = user;
  setPane(state.view ? "chat" : "rooms");
  renderMessages();
  renderNotifications();
  renderLists();
  // Keyboard and screen-reader users start where they will act, not on the body: the message box when a
  // conversation is open, else the room name field.
  (state.view && !$("composer-text").disabled ? $("composer-text") : $("room-name")).focus();
  chat.start();
  notif.start();
}

// ---------------------------------------------------------------------------------------------------------------
// Connection state

function setBanner(stateName, text, retry = false, countdown = "") {
  const banner = $("banner");
  banner.dataset.state = stateName;
  // The state text is a live region: rewriting it, even with the same words, makes screen readers say it again.
  if ($("banner-text").textContent !== text) $("banner-text").textContent = text;
  if ($("banner-countdown").textContent !== countdown) $("banner-countdown").textContent = countdown;
  $("banner-retry").hidden = !retry;
}

function renderBanner() {
  if (!chat || !notif) return;
  const s = chat.state;
  const queued = state?.outbox.some((item) => item.status === "queued") ? " Your unsent messages are queued." : "";
  if (s === "connected") {
    const extra = notif.state === "connected" ? "" : " (notifications reconnecting…)";
    setBanner(chat.isReady ? "connected" : "connecting", `Connected as ${session.user}${extra}`);
  } else if (s === "connecting") {
    setBanner("connecting", "Connecting…");
  } else if (s === "reconnecting") {
    setBanner("reconnecting", `Reconnecting…${queued || " Messages you send will be queued."}`, true);
  } else if (s === "offline") {
    const wait = chat.nextRetryAt ? Math.max(0, Math.ceil((chat.nextRetryAt - Date.now()) / 1000)) : 0;
    setBanner("offline", `Offline.${queued || " Messages you send will be queued."}`, true, wait > 0 ? `Retrying in ${wait}s.` : "Retrying…");
  }
  $("notif-state").dataset.state = notif.state;
  $("notif-state").title = `Notifications: ${notif.state}`;
  renderComposer();
  renderMembers();
}

$("banner-retry").addEventListener("click", () => {
  chat?.retryNow();
  notif?.retryNow();
});
window.addEventListener("online", () => {
  chat?.retryNow();
  notif?.retryNow();
});
window.addEventListener("offline", renderBanner);
setInterval(() => {
  if (chat?.state === "offline") renderBanner();
}, 1000);

function renderUnacked() {
  if (!chatAcks || !notifAcks) return;
  $("app").dataset.unacked = String(chatAcks.unconfirmed + notifAcks.unconfirmed);
}

function addNotice(text, kind = "info") {
  state.notices.push({ key: `${Date.now()}-${Math.random()}`, text, kind });
  renderNotices();
}

function renderNotices() {
  const box = $("notices");
  box.replaceChildren(
    ...state.notices.map((notice) =>
      el("div", { class: `notice-bar ${notice.kind}`, role: notice.kind === "warning" ? "alert" : null },
        el("span", {}, notice.text),
        el("button", {
          type: "button",
          class: "link",
          "aria-label": "Dismiss notice",
          onclick: () => {
            state.notices = state.notices.filter((n) => n !== notice);
            renderNotices();
          },
        }, "Dismiss"))));
}

async function onChatResumed(info) {
  storage.set(keys.epoch(state.user, "chat"), info.epoch);
  state.maxTextBytes = info.maxTextBytes ?? null;
  renderByteCount();
  if (info.recovered === false) {
    addNotice("The server lost part of its message store: some messages sent while you were away may be missing.", "warning");
  }
  if (info.dropped > 0) {
    addNotice(`${info.dropped} message(s) sent while you were away were dropped (too many or too old).`, "warning");
  }
  const current = state;
  await loadRooms();
  if (state !== current) return;
  await pumpOutbox();
  const view = state.view;
  if (view?.kind === "room" || view?.kind === "dm") await loadHistory(view.key, false, view.kind);
  void chatAcks.flush();
}

async function onNotificationsResumed(info) {
  storage.set(keys.epoch(state.user, "notifications"), info.epoch);
  if (info.dropped > 0) {
    addNotice(`${info.dropped} notification(s) were dropped while you were away.`, "warning");
  }
  void notifAcks.flush();
  try {
    const topics = await notif.invoke("ListRooms");
    const mine = new Set();
    await Promise.all(topics.slice(0, MembershipProbeLimit).map(async (topic) => {
      const members = await notif.invoke("GetMembers", topic.name);
      if (members.some((m) => m.user === state.user)) mine.add(topic.name);
    }));
    state.topics = mine;
    renderTopics();
  } catch {
    // The connection dropped; the next Resumed tries again.
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Conversations

function roomEntry(name) {
  let room = state.rooms.get(name);
  if (!room) {
    room = { name, owner: null, createdAt: null, member: null, members: null, deleted: false, conv: new Conversation("room", name) };
    state.rooms.set(name, room);
  }
  return room;
}

function dmConv(peer) {
  let conv = state.dms.get(peer);
  if (!conv) {
    conv = new Conversation("dm", peer);
    state.dms.set(peer, conv);
  }
  return conv;
}

function convOf(view) {
  if (!view) return null;
  if (view.kind === "room") return roomEntry(view.key).conv;
  if (view.kind === "dm") return dmConv(view.key);
  if (view.kind === "all") return state.all;
  return null;
}

function currentConv() {
  return state ? convOf(state.view) : null;
}

function conversationsFor(env) {
  if (env.room) {
    const room = roomEntry(env.room);
    room.member = true;
    return [room.conv];
  }
  if (env.to) return [dmConv(env.from === state.user ? env.to : env.from)];
  return [state.all];
}

/** Adds a chat message wherever it belongs; shown messages are acked, duplicates dropped (and re-acked). */
function onChatMessage(env) {
  if (!state || !env?.id) return;
  let added = false;
  let duplicateShown = false;
  for (const conv of conversationsFor(env)) {
    const index = conv.addMessage(env);
    if (index < 0) {
      if (conv.byId.get(env.id)?.shown) duplicateShown = true;
      continue;
    }
    added = true;
    if (conv === currentConv()) {
      insertItem(conv, index);
    } else if (env.from !== state.user && conv.kind === "all") {
      // Rooms and conversations count unread by seq (ReadTracker); broadcasts have none.
      conv.unread++;
    }
    trimConversation(conv);
  }
  reads.noteMessage(env);
  // The server re-sent a message this page has already shown: it is still pending there, so ack it again.
  if (duplicateShown) chatAcks.add(env.id, true);
  if (added) {
    if (!env.room) saveCache();
    scheduleRender();
  }
}

/** Applies MessageEdited / MessageDeleted to its message; acked once its room is shown (as messages are). */
function onEditEntry(env) {
  if (!state || !env?.room || !env.targetId) return;
  const conv = roomEntry(env.room).conv;
  const item = applyEditEntry(conv, env);
  if (conv === currentConv()) {
    if (item) redrawItem(item);
    chatAcks.add(env.id);
  } else {
    deferAck(conv, env.id);
  }
}

function redrawItem(item) {
  const drawn = messageList.nodes.get(item.key);
  const old = drawn?.at(-1);
  if (!old) return;
  const node = itemNode(item);
  old.replaceWith(node);
  drawn[drawn.length - 1] = node;
}

function trimConversation(conv) {
  const dropped = conv.trim();
  if (conv === currentConv()) messageList.remove(dropped);
}

function openView(view, { focus = true } = {}) {
  if (state.view?.kind === "room") noteReadUpToLast(roomEntry(state.view.key));
  state.view = view;
  storage.set(keys.view(state.user), view);
  const conv = convOf(view);
  const first = conv ? firstUnreadOf(conv) : null;
  if (first) messageList.setFirstUnread(conv, first);
  if (conv) conv.unread = 0;
  if (view.kind === "room") noteReadUpToLast(roomEntry(view.key));
  clearError();
  renderMessages();
  renderLists();
  setPane("chat");
  if (view.kind === "room") {
    const room = roomEntry(view.key);
    if (room.member && chat?.isReady) {
      void loadHistory(view.key);
      void refreshMembers(view.key);
    }
  } else if (view.kind === "dm" && chat?.isReady) {
    void loadHistory(view.key, false, "dm");
  }
  if (focus) $("composer-text").focus();
}

/** Where reading `conv` should resume: its first unread message's id, or null. */
function firstUnreadOf(conv) {
  const readSeq = conv.kind === "room" ? roomEntry(conv.key).readSeq : null;
  return firstUnread(conv.items, { me: state.user, readSeq, unread: conv.unread });
}

/**
 * Puts the "New messages" divider in the open room from the server's read position, once both it and the room's
 * history are here (in either order) and unless the page placed one already; true when it drew one.
 */
function placeDivider(room) {
  const conv = room.conv;
  if (conv !== currentConv() || !conv.historyLoaded || messageList.firstUnreadId || typeof room.readSeq !== "number") return false;
  const first = firstUnreadOf(conv);
  if (!first) return false;
  messageList.setFirstUnread(conv, first);
  noteReadUpToLast(room);
  renderMessages();
  return true;
}

/** The open room has been seen up to its newest message: opening it again starts there, not at the old divider. */
function noteReadUpToLast(room) {
  const seq = room.conv.lastMessage()?.seq;
  if (typeof seq === "number") room.readSeq = Math.max(room.readSeq ?? 0, seq);
}

/** Loads a page of a room's history, or of a conversation's (`kind` "dm"), and merges it by id. */
async function loadHistory(name, older = false, kind = "room") {
  const room = kind === "room" ? roomEntry(name) : null;
  if (!chat?.isReady || room?.member === false) return;
  const conv = room ? room.conv : dmConv(name);
  const before = older ? conv.firstId() : null;
  let page;
  try {
    page = await chat.invoke(room ? "GetHistory" : "GetConversation", name, before, HistoryPage);
  } catch (err) {
    if (room && errorCode(err) === "not_member") {
      room.member = false;
      scheduleRender();
    }
    return;
  }
  if (!state || convOf({ kind, key: name }) !== conv) return;
  for (const env of page) reads.noteMessage(env);
  conv.historyLoaded = true;
  if (older || conv.items.length === 0 || page.length < HistoryPage) conv.olderAvailable = page.length === HistoryPage;
  const isCurrent = conv === currentConv();
  const scroller = $("scroller");
  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
  let added = 0;
  for (const env of page) {
    if (conv.addMessage({ ...env, redelivered: false }) >= 0) added++;
    else if (refreshFromHistory(conv, env) && isCurrent) added++;
  }
  const divided = !older && room !== null && placeDivider(room); // which draws the list
  if (!divided && added > 0 && isCurrent) renderMessages({ keepScroll: older ? fromBottom : null });
  else if (!divided && isCurrent) renderOlderButton();
}

async function refreshMembers(name) {
  try {
    const members = await chat.invoke("GetMembers", name);
    const room = roomEntry(name);
    room.members = new Map(members.map((m) => [m.user, m.online]));
    roomsFeature.noteMembers(room, members);
    room.member = room.members.has(state.user);
    reads.setReaders(name, members);
    scheduleRender();
  } catch {
    // Shown again on the next change or reconnect.
  }
}

/** Every room of the namespace by name, page by page (at most RoomListPages pages), for "Other rooms". */
async function listRooms() {
  const rooms = [];
  let after = null;
  for (let i = 0; i < RoomListPages; i++) {
    const page = await chat.invoke("ListRoomsPage", after, 100);
    rooms.push(...page.rooms);
    if (!page.next) break;
    after = page.next;
  }
  return rooms;
}

/**
 * The user's rooms and conversations with their unread counts (MyRooms: one call, whatever the number of rooms), and
 * the namespace's other rooms to join.
 */
async function loadRooms() {
  let mine;
  let list;
  try {
    [mine, list] = await Promise.all([chat.invoke("MyRooms"), listRooms()]);
  } catch {
    return;
  }
  if (!state) return;
  const member = new Set(mine.filter((r) => r.kind === "room").map((r) => r.name));
  const names = new Set(list.map((info) => info.name));
  for (const info of list) {
    const room = roomEntry(info.name);
    room.owner = info.owner;
    room.createdAt = info.createdAt;
    room.deleted = room.deletedByOwner = false;
    roomsFeature.noteInfo(room, info);
  }
  for (const entry of mine) {
    if (entry.kind === "room") {
      const room = roomEntry(entry.name);
      room.isPrivate = entry.isPrivate;
      room.deleted = false;
    } else {
      dmConv(entry.name);
    }
  }
  for (const room of state.rooms.values()) {
    room.member = member.has(room.name);
    if (!names.has(room.name) && !room.member && room.owner !== null) room.deleted = true;
  }
  reads.applyServer(mine);
  // How far the user has read each room, kept by the server per user, so a room opens at its first unread message on
  // any device and after a reload, not only where this page counted.
  for (const entry of mine) {
    if (entry.kind !== "room") continue;
    const room = roomEntry(entry.name);
    room.readSeq = Math.max(room.readSeq ?? 0, entry.readSeq);
  }
  if (state.view?.kind === "room") placeDivider(roomEntry(state.view.key));
  scheduleRender();
}

// Server events on rooms -------------------------------------------------------------------------------------

function noticeIn(conv, text) {
  const index = conv.addNotice(text);
  if (conv === currentConv()) insertItem(conv, index);
  trimConversation(conv);
}

function onUserJoined(name, user) {
  if (!state) return;
  const room = roomEntry(name);
  room.members ??= new Map();
  room.members.set(user, true);
  if (user === state.user) room.member = true;
  noticeIn(room.conv, `${user} joined`);
  scheduleRender();
}

function onUserLeft(name, user) {
  if (!state) return;
  const room = roomEntry(name);
  room.members?.delete(user);
  if (user === state.user) {
    room.member = false;
    reads.forget(`room:${name}`);
  }
  noticeIn(room.conv, `${user} left`);
  scheduleRender();
}

function onPresenceChanged(name, user, online) {
  if (!state) return;
  const room = state.rooms.get(name);
  if (!room) return;
  room.members ??= new Map();
  room.members.set(user, Boolean(online));
  scheduleRender();
}

function onRoomDeleted(name) {
  if (!state) return;
  const room = roomEntry(name);
  room.deleted = true;
  room.deletedByOwner = true;
  room.member = false;
  room.members = null;
  reads.forget(`room:${name}`);
  noticeIn(room.conv, `The room was deleted by its owner.`);
  scheduleRender();
}

// Room actions -------------------------------------------------------------------------------------------------

async function runAction(action) {
  clearError();
  if (!chat?.isReady) {
    showError("Not connected: wait until the banner says connected, then try again.");
    return false;
  }
  try {
    await action();
    return true;
  } catch (err) {
    showError(errorText(err));
    return false;
  }
}

async function createRoom(name) {
  return runAction(async () => {
    const info = await chat.invoke($("room-private").checked ? "CreatePrivateRoom" : "CreateRoom", name);
    const room = roomEntry(info.name);
    Object.assign(room, { owner: info.owner, createdAt: info.createdAt, member: true, deleted: false, deletedByOwner: false });
    roomsFeature.noteInfo(room, info);
    room.members = new Map([[state.user, true]]);
    openView({ kind: "room", key: info.name });
  });
}

async function joinRoom(name) {
  return runAction(async () => {
    const joined = await chat.invoke("JoinRoom", name);
    const room = roomEntry(joined.room);
    room.member = true;
    room.deleted = room.deletedByOwner = false;
    room.members = new Map(joined.members.map((m) => [m.user, m.online]));
    roomsFeature.noteMembers(room, joined.members);
    openView({ kind: "room", key: joined.room });
    if (room.owner === null) void loadRooms();
  });
}

async function leaveRoom(name) {
  return runAction(async () => {
    await chat.invoke("LeaveRoom", name);
    reads.forget(`room:${name}`);
    const room = roomEntry(name);
    room.member = false;
    room.members?.delete(state.user);
    scheduleRender();
  });
}

async function deleteRoom(name) {
  if (!window.confirm(`Delete room “${name}” for everyone?`)) return false;
  return runAction(async () => {
    await chat.invoke("DeleteRoom", name);
    const room = roomEntry(name);
    room.deleted = true;
    room.deletedByOwner = true;
    room.member = false;
    scheduleRender();
  });
}

$("room-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("room-name");
  const name = input.value.trim();
  if (!namePattern.test(name)) {
    showError("Room names are 1–64 letters, digits, “_”, “.” or “-”.");
    return;
  }
  const action = event.submitter?.value ?? "join";
  const ok = action === "create" ? await createRoom(name) : await joinRoom(name);
  if (ok) input.value = "";
});

$("dm-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("dm-user");
  const user = input.value.trim();
  if (!namePattern.test(user)) {
    showError("User names are 1–64 letters, digits, “_”, “.” or “-”.");
    return;
  }
  input.value = "";
  openView({ kind: "dm", key: user });
});

$("refresh-rooms").addEventListener("click", () => void runAction(loadRooms));
$("leave-room").addEventListener("click", () => state?.view?.kind === "room" && void leaveRoom(state.view.key));
$("delete-room").addEventListener("click", () => state?.view?.kind === "room" && void deleteRoom(state.view.key));
$("join-current").addEventListener("click", () => state?.view?.kind === "room" && void joinRoom(state.view.key));
$("load-older").addEventListener("click", () => ["room", "dm"].includes(state?.view?.kind) && void loadHistory(state.view.key, true, state.view.kind));
$("room-filter").addEventListener("input", () => state && renderLists());

// ---------------------------------------------------------------------------------------------------------------
// Sending: an outbox that queues while disconnected and shows every failure

function targetOf(view) {
  return { kind: view.kind, key: view.key };
}

function send(text) {
  const view = state.view;
  if (!view) return;
  // The key goes with every attempt to send this item: a resend after a lost answer gets the first result back from
  // the server instead of storing the message twice.
  const item = { localId: ++outboxSeq, key: newSendKey(), view: targetOf(view), text, status: "queued", error: null };
  state.outbox.push(item);
  renderOutbox();
  renderBanner();
  void pumpOutbox();
}

let pumping = false;
/** Sends queued messages one at a time, in order, while connected. */
async function pumpOutbox() {
  if (pumping) return;
  pumping = true;
  try {
    while (state && chat?.isReady) {
      const next = state.outbox.find((item) => item.status === "queued");
      if (!next || !(await trySend(next)) && next.status === "queued") break;
    }
  } finally {
    pumping = false;
  }
}

async function trySend(item) {
  if (!chat.isReady) {
    item.status = "queued";
    renderOutbox();
    return false;
  }
  item.status = "sending";
  item.error = null;
  renderOutbox();
  const { kind, key } = item.view;
  try {
    const target = kind === "room" ? { room: key } : kind === "dm" ? { user: key } : { broadcast: true };
    const result = await chat.invoke("Send", { ...target, text: item.text, key: item.key });
    removeOutboxItem(item);
    clearError();
    // Show it now; the copy the server delivers has the same id and is dropped as a duplicate.
    onChatMessage({
      id: result.id,
      ns: "chat",
      room: kind === "room" ? key : null,
      from: state.user,
      to: kind === "dm" ? key : null,
      text: item.text,
      sentAt: result.sentAt,
      seq: null,
      redelivered: false,
    });
    return true;
  } catch (err) {
    if (!state) return false;
    if (isServerRefusal(err)) {
      item.status = "failed";
      item.error = errorText(err);
      item.retryable = isRetryable(err);
      noteRefusedTarget(item.view, errorCode(err));
      showError(item.error);
    } else {
      // Not sent (NotConnectedError), or the connection dropped before the answer: either way it is sent again, with
      // the same key, once the connection is back; if the server had stored it, it answers with the first result.
      item.status = "queued";
    }
    renderOutbox();
    renderBanner();
    return false;
  }
}

/** A send refused because the room is gone or the user is not in it: the message box says so from now on. */
function noteRefusedTarget(view, code) {
  if (view.kind !== "room") return;
  const room = roomEntry(view.key);
  if (code === "room_not_found") {
    room.deleted = true;
    room.member = false;
  } else if (code === "not_member") {
    room.member = false;
  } else {
    return;
  }
  scheduleRender();
}

function removeOutboxItem(item) {
  state.outbox = state.outbox.filter((other) => other !== item);
  renderOutbox();
  renderBanner();
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("composer-text");
  const text = input.value;
  if (!text.trim() || !state?.view || input.disabled) return;
  const count = byteCount(text, state.maxTextBytes);
  if (count.over) {
    // Refused here, before sending, and kept in the box to be shortened (the server would refuse it too).
    showError(tooLongText(count.bytes, state.maxTextBytes));
    input.focus();
    return;
  }
  input.value = "";
  renderByteCount();
  send(text);
});

$("composer-text").addEventListener("input", () => renderByteCount());

/** Shows the message box's size against the server's limit (learnt from Resumed). */
function renderByteCount() {
  if (!state) return;
  const count = byteCount($("composer-text").value, state.maxTextBytes);
  const counter = $("composer-count");
  counter.textContent = count.text;
  counter.dataset.state = count.state;
  $("composer-text").setAttribute("aria-invalid", String(count.over));
}

/** Puts a message the server refused back in the box, to be changed and sent again. */
function editOutboxItem(item) {
  removeOutboxItem(item);
  const input = $("composer-text");
  input.value = input.value ? `${item.text}\n${input.value}` : item.text;
  renderByteCount();
  clearError();
  input.focus();
}

$("composer-text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Notifications

function onNotification(env) {
  if (!state || !env?.id) return;
  const conv = state.notifications;
  const index = conv.addMessage(env);
  if (index < 0) {
    if (conv.byId.get(env.id)?.shown) notifAcks.add(env.id, true);
    return;
  }
  while (conv.items.length > MaxNotifications) {
    const old = conv.items.shift();
    conv.byId.delete(old.id);
  }
  if (!isPaneVisible("side")) state.notifUnread++;
  if (!env.redelivered) messageList.announce(`Notification ${env.type ?? ""} from ${env.from}`);
  renderNotifications();
  saveCache();
  scheduleRender();
}

function renderNotifications() {
  const conv = state.notifications;
  const list = $("notifications");
  const items = [...conv.items].reverse();
  list.replaceChildren(...items.map((item) => {
    const env = item.env;
    return el("li", {
      class: `notification${env.redelivered ? " away" : ""}`,
      dataset: { testid: "notification", id: env.id, type: env.type ?? "", redelivered: String(Boolean(env.redelivered)) },
    },
    el("div", { class: "meta" },
      el("strong", { class: "type" }, env.type ?? "notification"),
      el("span", { class: "muted" }, ` from ${env.from}`),
      env.room ? el("span", { class: "tag" }, env.room) : null,
      el("time", { datetime: env.sentAt, title: new Date(env.sentAt).toLocaleString() }, formatTime(env.sentAt)),
      env.redelivered ? el("span", { class: "away-tag" }, "while you were away") : null),
    payloadNode(env.payload));
  }));
  for (const item of conv.items) {
    item.shown = true;
    notifAcks.add(item.id);
  }
  $("clear-notifications").hidden = conv.items.length === 0;
  $("notifications-empty").hidden = conv.items.length > 0;
}

$("clear-notifications").addEventListener("click", () => {
  state.notifications = new Conversation("notifications", "*");
  state.notifUnread = 0;
  renderNotifications();
  saveCache();
  scheduleRender();
});

$("topic-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("topic-name");
  const topic = input.value.trim();
  if (!namePattern.test(topic)) {
    showError("Topic names are 1–64 letters, digits, “_”, “.” or “-”.");
    return;
  }
  if (!notif?.isReady) {
    showError("Notifications are not connected: try again in a moment.");
    return;
  }
  try {
    const joined = await notif.invoke("JoinRoom", topic);
    state.topics.add(joined.room);
    input.value = "";
    renderTopics();
  } catch (err) {
    showError(errorText(err));
  }
});

function renderTopics() {
  $("topics").replaceChildren(...[...state.topics].sort().map((topic) =>
    el("li", { class: "chip" },
      el("span", {}, topic),
      el("button", {
        type: "button",
        class: "link",
        "aria-label": `Stop following ${topic}`,
        onclick: async () => {
          try {
            await notif.invoke("LeaveRoom", topic);
            state.topics.delete(topic);
            renderTopics();
          } catch (err) {
            showError(errorText(err));
          }
        },
      }, "×"))));
}

// ---------------------------------------------------------------------------------------------------------------
// Cache: direct messages, broadcasts and notifications have no server history, so the page keeps what it showed.

let saveTimer = null;
function saveCache() {
  if (saveTimer !== null || !state) return;
  saveTimer = setTimeout(() => {
    saveTimer = null;
    if (!state) return;
    const keep = (conv, max) => conv.items
      .filter((item) => item.type === "msg")
      .slice(-max)
      .map((item) => ({ ...item.env, shown: Boolean(item.shown) }));
    storage.set(keys.cache(state.user), {
      dms: Object.fromEntries([...state.dms].map(([peer, conv]) => [peer, keep(conv, CachedPerConversation)])),
      all: keep(state.all, CachedPerConversation),
      notifications: keep(state.notifications, MaxNotifications),
    });
  }, 300);
}

function restoreCache() {
  const cache = storage.get(keys.cache(state.user), null);
  if (!cache) return;
  const load = (conv, list) => {
    for (const saved of list ?? []) {
      const { shown, ...env } = saved;
      if (conv.addMessage(env) >= 0) conv.byId.get(env.id).shown = Boolean(shown);
    }
  };
  for (const [peer, list] of Object.entries(cache.dms ?? {})) load(dmConv(peer), list);
  load(state.all, cache.all);
  load(state.notifications, cache.notifications);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function showError(text) {
  $("error").textContent = text;
  $("error-toast").hidden = false;
}

function clearError() {
  $("error").textContent = "";
  $("error-toast").hidden = true;
}

$("error-dismiss").addEventListener("click", clearError);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !$("error-toast").hidden) clearError();
});

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    if (state) renderLists();
  }, 0);
}

/** Replaces a container's children, keeping keyboard focus on the element with the same data-key. */
function replaceKeepingFocus(container, nodes) {
  const active = document.activeElement;
  const key = container.contains(active) ? active?.dataset?.key : null;
  container.replaceChildren(...nodes);
  if (key) container.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

function badge(count, label) {
  return count > 0 ? el("span", { class: "badge", dataset: { testid: "unread" }, "aria-label": `${count} unread ${label}` }, String(count)) : null;
}

function renderLists() {
  const view = state.view;
  const filter = $("room-filter").value.trim().toLowerCase();
  const rooms = [...state.rooms.values()].filter((room) => room.name.toLowerCase().includes(filter)).sort((a, b) => a.name.localeCompare(b.name));
  const mine = rooms.filter((room) => room.member === true && !room.deleted);
  const others = rooms.filter((room) => room.member !== true && !room.deleted && room.owner !== null && roomsFeature.listedForOthers(room));

  replaceKeepingFocus($("my-rooms"), mine.length === 0
    ? [el("li", { class: "muted empty-row" }, filter ? "No room of yours matches the filter." : "You are in no rooms yet.")]
    : mine.map((room) => {
      const active = view?.kind === "room" && view.key === room.name;
      return el("li", {},
        el("button", {
          type: "button",
          class: `item${active ? " active" : ""}`,
          "aria-current": active ? "true" : null,
          dataset: { key: `room:${room.name}`, testid: "room-link", room: room.name },
          onclick: () => openView({ kind: "room", key: room.name }),
        },
        el("span", { class: "hash", "aria-hidden": "true" }, "#"),
        el("span", { class: "name" }, room.name),
        roomsFeature.lock(room),
        room.owner === state.user ? el("span", { class: "tag", title: "You own this room" }, "owner") : null,
        badge(reads.unread(`room:${room.name}`), "messages")));
    }));

  $("other-count").textContent = others.length ? `(${others.length})` : "";
  replaceKeepingFocus($("other-rooms"), others.length === 0
    ? [el("li", { class: "muted empty-row" }, "No other rooms.")]
    : others.map((room) => el("li", { class: "other" },
      el("span", { class: "name" }, `#${room.name}`, roomsFeature.lock(room)),
      el("span", { class: "muted small" }, room.owner ? `by ${room.owner}` : ""),
      el("button", {
        type: "button",
        dataset: { key: `join:${room.name}` },
        "aria-label": `Join room ${room.name}`,
        onclick: () => void joinRoom(room.name),
      }, "Join"))));

  // Most recent first: the last message's time (MyRooms, then every message seen), else the newest message kept.
  const peers = [...state.dms.entries()].sort(([pa, a], [pb, b]) => reads.lastAt(`dm:${pb}`) - reads.lastAt(`dm:${pa}`) || compareIds(b.lastId(), a.lastId()));
  const dmItems = [];
  if (state.all.items.length > 0 || view?.kind === "all") {
    peers.unshift(["*", state.all]);
  }
  for (const [peer, conv] of peers) {
    const kind = peer === "*" ? "all" : "dm";
    const active = view?.kind === kind && view.key === (kind === "all" ? "*" : peer);
    dmItems.push(el("li", {},
      el("button", {
        type: "button",
        class: `item${active ? " active" : ""}`,
        "aria-current": active ? "true" : null,
        dataset: { key: `${kind}:${peer}`, testid: "dm-link", peer },
        onclick: () => openView({ kind, key: peer }),
      },
      el("span", { class: "hash", "aria-hidden": "true" }, kind === "all" ? "✱" : "@"),
      el("span", { class: "name" }, kind === "all" ? "Everyone online" : peer),
      badge(kind === "all" ? conv.unread : reads.unread(`dm:${peer}`), "messages"))));
  }
  if (!peers.some(([peer]) => peer === "*")) {
    dmItems.push(el("li", {},
      el("button", { type: "button", class: "item subtle", dataset: { key: "all:*" }, onclick: () => openView({ kind: "all", key: "*" }) },
        el("span", { class: "hash", "aria-hidden": "true" }, "✱"),
        el("span", { class: "name" }, "Everyone online"))));
  }
  replaceKeepingFocus($("dm-list"), dmItems);

  renderHeader();
  renderMembers();
  renderTopics();
  renderBadges();
  renderComposer();
  renderUnacked();
  roomsFeature.render();
}

function renderHeader() {
  const view = state.view;
  const title = $("conv-title");
  const room = view?.kind === "room" ? roomEntry(view.key) : null;
  if (!view) title.textContent = "No conversation";
  else if (view.kind === "room") title.textContent = `#${view.key}${room.deleted ? " (deleted)" : ""}`;
  else if (view.kind === "dm") title.textContent = `@${view.key}`;
  else title.textContent = "Everyone (broadcast)";
  $("leave-room").hidden = !(room && room.member === true);
  $("delete-room").hidden = !(room && room.member === true && room.owner === state.user && !room.deleted);
  $("join-current").hidden = !(room && room.member === false && !room.deleted);
  renderOlderButton();
}

function renderOlderButton() {
  const view = state?.view;
  const room = view?.kind === "room" ? roomEntry(view.key) : null;
  const conv = room ? (room.member ? room.conv : null) : view?.kind === "dm" ? dmConv(view.key) : null;
  $("load-older").hidden = !(conv && conv.historyLoaded && conv.olderAvailable);
}

function renderMembers() {
  if (!state) return; // signed out (a connection may still report its state change)
  const view = state.view;
  const list = $("members");
  let entries = [];
  if (view?.kind === "room") {
    const room = roomEntry(view.key);
    entries = room.members ? [...room.members.entries()] : [];
    entries.sort(([ua, oa], [ub, ob]) => Number(ob) - Number(oa) || ua.localeCompare(ub));
    const online = entries.filter(([, on]) => on).length;
    // While disconnected no presence change can arrive: say so rather than show a live-looking list (it is
    // refreshed from the server when the connection is back).
    const paused = entries.length > 0 && !chat?.isReady;
    list.dataset.stale = String(paused);
    $("members-count").textContent = !entries.length ? ""
      : paused ? `(${online}/${entries.length} online when last connected)` : `(${online}/${entries.length} online)`;
    list.replaceChildren(...(entries.length === 0
      ? [el("li", { class: "muted empty-row" }, room.member ? "Loading…" : "Join the room to see its members.")]
      : entries.map(([user, on]) => el("li", {
        class: `member ${on ? "online" : "offline"}`,
        dataset: { testid: "member", user, online: String(on), role: roomsFeature.roleOf(room, user) },
      },
      el("span", { class: "dot", "aria-hidden": "true" }),
      el("span", { class: "name" }, user, user === state.user ? el("span", { class: "muted" }, " (you)") : null),
      roomsFeature.memberExtras(room, user),
      el("span", { class: "presence" }, on ? "online" : "offline")))));
  } else {
    $("members-count").textContent = "";
    list.replaceChildren(el("li", { class: "muted empty-row" },
      view?.kind === "dm" ? `A direct conversation between you and ${view.key}.`
        : view?.kind === "all" ? "Broadcasts go to everyone online." : "Open a room to see its members."));
  }
}

function renderBadges() {
  // Rooms and conversations from the server's read positions (the tab title shows the same total); broadcasts local.
  const unreadRooms = reads.total() + state.all.unread;
  setBadge("rooms", unreadRooms);
  setBadge("side", state.notifUnread);
}

function setBadge(name, count) {
  const node = document.querySelector(`[data-badge="${name}"]`);
  if (!node) return;
  node.hidden = count <= 0;
  node.textContent = count > 0 ? String(count) : "";
}

function renderComposer() {
  if (!state) return;
  const view = state.view;
  const hasView = Boolean(view);
  // After Leave, a deletion or a restart that lost the room, every send would fail: say why instead (the text stays).
  const reason = blockedReason(view, view?.kind === "room" ? roomEntry(view.key) : null);
  $("composer-text").disabled = reason !== null;
  $("send").disabled = reason !== null;
  $("composer-reason").hidden = reason === null || !hasView;
  $("composer-reason").textContent = hasView ? reason ?? "" : "";
  let placeholder = "Pick a conversation first";
  if (view?.kind === "room") placeholder = `Message #${view.key}`;
  else if (view?.kind === "dm") placeholder = `Message @${view.key}`;
  else if (view?.kind === "all") placeholder = "Broadcast to everyone online";
  if (hasView && chat && !chat.isReady) placeholder += " (queued until reconnected)";
  $("composer-text").placeholder = placeholder;
}

function itemNode(item) {
  if (item.type === "notice") {
    return el("li", { class: "event", dataset: { testid: "event" } },
      el("span", {}, item.text), " ",
      el("time", { datetime: item.at }, formatTime(item.at)));
  }
  const env = item.env;
  const mine = env.from === state.user;
  const rooms = env.rooms ? Object.keys(env.rooms) : null;
  return decorateMessage(el("li", {
    class: `msg${mine ? " mine" : ""}${env.redelivered ? " away" : ""}`,
    dataset: { testid: "message", id: env.id, from: env.from, redelivered: String(Boolean(env.redelivered)) },
  },
  el("div", { class: "meta" },
    el("span", { class: "from" }, env.from),
    el("time", { datetime: env.sentAt, title: new Date(env.sentAt).toLocaleString() }, formatTime(env.sentAt)),
    rooms && rooms.length > 1 ? el("span", { class: "tag" }, `to ${rooms.map((r) => `#${r}`).join(", ")}`) : null,
    env.redelivered ? el("span", { class: "away-tag", title: "This message arrived while you were away" }, "while you were away") : null),
  el("div", { class: "text", dataset: { testid: "message-text" } }, linkify(env.text ?? ""))), env, {
    mine,
    // The room's owner and admins may delete anyone's message (as on the server).
    canDelete: Boolean(env.room) && ["owner", "admin"].includes(roomsFeature.roleOf(state.rooms.get(env.room) ?? {}, state.user)),
    edit: (text) => chat.invoke("EditMessage", env.room, env.id, text),
    remove: () => chat.invoke("DeleteMessage", env.room, env.id),
  });
}

/** Shows one new item of the current conversation in place, and acks it. */
function insertItem(conv, index) {
  const item = conv.items[index];
  messageList.insert(conv, index);
  $("empty").hidden = true;
  if (item.type === "msg") markShown(item);
}

function markShown(item) {
  item.shown = true;
  chatAcks.add(item.id);
}

/** Rebuilds the current conversation's list and acks everything in it. */
function renderMessages({ keepScroll = null } = {}) {
  const conv = state ? currentConv() : null;
  if (!conv) {
    messageList.render(null);
    $("empty").hidden = false;
    $("empty").textContent = "Pick a room, or create one, to start chatting.";
    renderOutbox();
    return;
  }
  conv.unread = 0;
  for (const item of conv.items) if (item.type === "msg") markShown(item);
  $("empty").hidden = conv.items.length > 0;
  for (const id of takeDeferredAcks(conv)) chatAcks.add(id);
  $("empty").textContent = conv.kind === "room" ? "No messages yet. Say hello!" : conv.kind === "dm" ? `Start a conversation with ${conv.key}.` : "Nothing broadcast yet.";
  renderOutbox();
  renderOlderButton();
  messageList.render(conv, { keepScroll });
}

function renderOutbox() {
  const view = state?.view;
  const items = view ? state.outbox.filter((item) => item.view.kind === view.kind && item.view.key === view.key) : [];
  $("outbox").replaceChildren(...items.map((item) => {
    const label = {
      queued: "Queued: will be sent when the connection is back",
      sending: "Sending…",
      failed: `Not sent: ${item.error}`,
    }[item.status];
    return el("li", { class: `msg mine pending ${item.status}`, dataset: { testid: "outbox-item", status: item.status } },
      el("div", { class: "meta" },
        el("span", { class: "from" }, state.user),
        el("span", { class: `status ${item.status}` }, label)),
      el("div", { class: "text" }, item.text),
      item.status === "failed"
        ? el("div", { class: "actions" },
          // Retry only where sending the same again can succeed (rate limit, store down); otherwise change it first.
          item.retryable ? el("button", {
            type: "button",
            class: "link",
            onclick: () => {
              item.status = "queued";
              item.error = null;
              renderOutbox();
              void pumpOutbox();
            },
          }, "Retry") : null,
          el("button", { type: "button", class: "link", onclick: () => editOutboxItem(item) }, "Edit"),
          el("button", { type: "button", class: "link", onclick: () => removeOutboxItem(item) }, "Discard"))
        : null);
  }));
  if (items.length > 0) {
    $("empty").hidden = true;
    messageList.scrollToBottom();
  }
}

// Panes (phone width shows one at a time) ------------------------------------------------------------------------

function setPane(name) {
  $("app").dataset.pane = name;
  for (const button of document.querySelectorAll("[data-pane-button]")) {
    button.setAttribute("aria-pressed", String(button.dataset.paneButton === name));
  }
  if (name === "side" && state) {
    state.notifUnread = 0;
    renderBadges();
  }
}

function isPaneVisible(name) {
  const pane = document.querySelector(`.pane-${name}`);
  return Boolean(pane) && getComputedStyle(pane).display !== "none";
}

for (const button of document.querySelectorAll("[data-pane-button]")) {
  button.addEventListener("click", () => setPane(button.dataset.paneButton));
}

// Boot -------------------------------------------------------------------------------------------------------------

session = storage.get(SessionKey, null);
if (session?.user && session?.token && namePattern.test(session.user)) {
  startSession();
} else {
  session = null;
  showSignIn();
}
