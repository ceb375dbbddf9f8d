// Private rooms, roles, invites, kicks, typing and the live room list on the chat page (docs/protocol.md, "Private
// rooms, roles and typing"). app.js owns the rooms and the connection; this module adds what these need, through the
// few hooks app.js calls (handlers, noteInfo, noteMembers, memberExtras, lock, render).
import { el, namePattern } from "./util.js";

/** At most one Typing signal per this many ms while the user types (the server drops more than Limits:TypingPerSecond). */
const TypingSendInterval = 3000;
/** A "typing" hint stays this long after the last signal; a new one restarts it (the sender repeats while typing). */
const TypingShownFor = 5000;

const $ = (id) => document.getElementById(id);

/** A small padlock drawn in SVG (an emoji needs a font the machine may not have). */
function lockIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 12 14");
  svg.setAttribute("width", "10");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  const shackle = document.createElementNS(ns, "path");
  shackle.setAttribute("d", "M3 6V4a3 3 0 0 1 6 0v2");
  shackle.setAttribute("fill", "none");
  shackle.setAttribute("stroke", "currentColor");
  shackle.setAttribute("stroke-width", "1.6");
  const body = document.createElementNS(ns, "rect");
  Object.entries({ x: "1", y: "6", width: "10", height: "8", rx: "1.5", fill: "currentColor" }).forEach(([k, v]) => body.setAttribute(k, v));
  svg.append(shackle, body);
  return svg;
}

/**
 * The rooms feature of one page. `app` gives access to what app.js owns: `state()`, `chat()`, `roomEntry(name)`,
 * `scheduleRender()`, `runAction(fn)`, `joinRoom(name)`, `notice(text, kind)`, `noticeIn(conv, text)`, `showError(text)`.
 */
export class RoomsFeature {
  constructor(app) {
    this.app = app;
    this.lastTypingSent = 0;
    $("composer-text").addEventListener("input", () => this.onComposerInput());
    $("invite-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.inviteFromForm();
    });
  }

  /** The chat hub's events this feature handles. */
  handlers() {
    return {
      RoomCreated: (info) => this.onRoomCreated(info),
      Invited: (room, by) => this.onInvited(room, by),
      UserKicked: (room, user, by) => this.onUserKicked(room, user, by),
      RoleChanged: (room, user, role) => this.onRoleChanged(room, user, role),
      UserTyping: (room, user) => this.onUserTyping(room, user),
    };
  }

  /** Records what a RoomInfo says beyond owner and time. */
  noteInfo(room, info) {
    room.isPrivate = Boolean(info?.isPrivate);
  }

  /** Records the members' roles from a Member[] (GetMembers, JoinRoom). */
  noteMembers(room, members) {
    room.roles = new Map(members.map((m) => [m.user, m.role ?? "member"]));
  }

  /** The role of a member of `room`. */
  roleOf(room, user) {
    return room.owner === user ? "owner" : room.roles?.get(user) ?? "member";
  }

  /** The lock shown after a private room's name, or null. */
  lock(room) {
    return room.isPrivate
      ? el("span", { class: "lock", title: "Private room: members and invited users only", dataset: { testid: "lock" } },
        lockIcon(), el("span", { class: "visually-hidden" }, "private"))
      : null;
  }

  /** Whether a room belongs in "Other rooms" for this user: private rooms only for their owner. */
  listedForOthers(room) {
    return !room.isPrivate || room.owner === this.app.state()?.user;
  }

  /** The role tag and, for the owner and admins, the kick and role buttons of one member in the members list. */
  memberExtras(room, user) {
    const me = this.app.state().user;
    const role = this.roleOf(room, user);
    const mine = room.member === true && !room.deleted ? this.roleOf(room, me) : null;
    const tag = role === "member" ? null : el("span", { class: `tag role-${role}`, dataset: { testid: "role" } }, role);
    if (user === me || !mine) return [tag];
    const nodes = [];
    const canKick = role !== "owner" && (mine === "owner" || (mine === "admin" && role === "member"));
    if (mine === "owner") {
      const next = role === "admin" ? "member" : "admin";
      nodes.push(el("button", {
        type: "button",
        class: "link small",
        dataset: { key: `role:${user}` },
        "aria-label": next === "admin" ? `Make ${user} an admin` : `Make ${user} a plain member`,
        onclick: () => void this.app.runAction(() => this.app.chat().invoke("SetRole", room.name, user, next)),
      }, next === "admin" ? "Make admin" : "Remove admin"));
    }
    if (canKick) {
      nodes.push(el("button", {
        type: "button",
        class: "link small danger",
        dataset: { key: `kick:${user}` },
        "aria-label": `Kick ${user}`,
        onclick: () => void this.app.runAction(() => this.app.chat().invoke("Kick", room.name, user)),
      }, "Kick"));
    }
    return [tag, nodes.length ? el("span", { class: "member-actions" }, nodes) : null];
  }

  /** Renders the invites, the typing line and the invite form for the open room. */
  render() {
    const state = this.app.state();
    if (!state) return;
    const invites = this.invitesOf(state);
    const list = $("invites");
    list.hidden = invites.size === 0;
    list.replaceChildren(...[...invites.entries()].map(([room, by]) => el("li", { class: "invite", dataset: { testid: "invite", room } },
      el("span", { class: "name" }, this.lock({ isPrivate: true }), ` #${room}`),
      el("span", { class: "muted small" }, `invited by ${by}`),
      el("button", {
        type: "button",
        dataset: { key: `accept:${room}` },
        "aria-label": `Join room ${room}`,
        onclick: async () => {
          if (await this.app.joinRoom(room)) {
            invites.delete(room);
            this.render();
          }
        },
      }, "Join"))));

    const view = state.view;
    const room = view?.kind === "room" ? this.app.roomEntry(view.key) : null;
    const mine = room && room.member === true && !room.deleted ? this.roleOf(room, state.user) : null;
    $("invite-form").hidden = !(room?.isPrivate && (mine === "owner" || mine === "admin"));

    const typers = room ? [...(this.typingOf(state).get(room.name)?.keys() ?? [])].sort() : [];
    $("typing").textContent = typers.length === 0 ? ""
      : typers.length === 1 ? `${typers[0]} is typing…`
        : typers.length === 2 ? `${typers[0]} and ${typers[1]} are typing…` : "Several people are typing…";
  }

  // Server events ------------------------------------------------------------------------------------------------

  onRoomCreated(info) {
    if (!this.app.state() || !info?.name) return;
    const room = this.app.roomEntry(info.name);
    Object.assign(room, { owner: info.owner, createdAt: info.createdAt, deleted: false });
    this.noteInfo(room, info);
    this.app.scheduleRender();
  }

  onInvited(room, by) {
    const state = this.app.state();
    if (!state) return;
    this.invitesOf(state).set(room, by);
    this.app.scheduleRender();
  }

  onUserKicked(name, user, by) {
    const state = this.app.state();
    if (!state) return;
    const room = this.app.roomEntry(name);
    room.roles?.delete(user);
    if (user === state.user) {
      room.member = false;
      room.members = null;
      this.app.notice(`You were removed from #${name} by ${by}.`, "warning");
    } else {
      this.app.noticeIn(room.conv, `${user} was removed by ${by}`);
    }
    this.app.scheduleRender();
  }

  onRoleChanged(name, user, role) {
    if (!this.app.state()) return;
    const room = this.app.roomEntry(name);
    room.roles ??= new Map();
    room.roles.set(user, role);
    this.app.noticeIn(room.conv, `${user} is now ${role === "admin" ? "an admin" : "a member"}`);
    this.app.scheduleRender();
  }

  onUserTyping(name, user) {
    const state = this.app.state();
    if (!state || user === state.user) return;
    const rooms = this.typingOf(state);
    let typers = rooms.get(name);
    if (!typers) rooms.set(name, typers = new Map());
    clearTimeout(typers.get(user));
    typers.set(user, setTimeout(() => {
      typers.delete(user);
      this.render();
    }, TypingShownFor));
    this.render();
  }

  // Actions --------------------------------------------------------------------------------------------------------

  /** Sends Typing for the open room at most every TypingSendInterval while the user types; failures do not matter. */
  onComposerInput() {
    const state = this.app.state();
    const chat = this.app.chat();
    const view = state?.view;
    if (view?.kind !== "room" || !chat?.isReady || !$("composer-text").value.trim()) return;
    if (this.app.roomEntry(view.key).member !== true) return;
    const now = Date.now();
    if (now - this.lastTypingSent < TypingSendInterval) return;
    this.lastTypingSent = now;
    chat.invoke("Typing", view.key).catch(() => {});
  }

  async inviteFromForm() {
    const state = this.app.state();
    const input = $("invite-user");
    const user = input.value.trim();
    if (state?.view?.kind !== "room") return;
    if (!namePattern.test(user)) {
      this.app.showError("User names are 1–64 letters, digits, “_”, “.” or “-”.");
      return;
    }
    const room = state.view.key;
    if (await this.app.runAction(() => this.app.chat().invoke("Invite", room, user))) {
      input.value = "";
      this.app.noticeIn(this.app.roomEntry(room).conv, `You invited ${user}`);
      this.app.scheduleRender();
    }
  }

  invitesOf(state) {
    state.invites ??= new Map();
    return state.invites;
  }

  typingOf(state) {
    state.typing ??= new Map();
    return state.typing;
  }
}
