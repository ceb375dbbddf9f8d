// One load-generator process of fanout.mjs (started with child_process.fork): it holds a share of the users, each
// with its own official-client HubConnection, and runs the phases the coordinator asks for over IPC:
//   init {config, users} -> connected;  create -> created;  join -> joined;
//   run {timing} -> sent {confirmed per room, ...};  drain {expected per room, until} -> report {counts, histograms};
//   stop -> exits.
// Every phase answers once; a failure answers {type: "error"} and the coordinator gives up.
import { signalR, messagePackProtocol } from "./signalr.mjs";
import { Histogram } from "./histogram.mjs";
// The page's bound on ids per Ack call: members ack as the page does.
import { MaxIdsPerAck } from "../../web/src/acks.js";

/** Wall-clock ms with µs resolution, comparable across the coordinator and the other workers on this machine. */
const now = () => performance.timeOrigin + performance.now();
const sleep = ms => new Promise(resolve => setTimeout(resolve, Math.max(0, ms)));

let config;
let timing = { measureFrom: Infinity, end: -Infinity };
const members = [];
const publishers = [];
const latency = new Histogram();
const sendLatency = new Histogram();
let ackTimer = null;

// The text: `{send time, epoch ms}|{publisher}|{number}|{m|w}|{padding}`. The time lets any process on this machine
// compute end-to-end latency; publisher and number identify a message where the server gives no per-room seq (the
// baseline); `w` marks warm-up messages, whose latency is not recorded.
function formatText(stamp, publisher, number, measured) {
  const head = `${stamp.toFixed(3)}|${publisher}|${number}|${measured ? "m" : "w"}|`;
  return head.length >= config.textSize ? `${head}x` : head + "x".repeat(config.textSize - head.length);
}

function parseText(text) {
  if (typeof text !== "string") return null;
  const parts = text.split("|", 5);
  if (parts.length < 5) return null;
  const stamp = Number(parts[0]);
  const publisher = Number(parts[1]);
  const number = Number(parts[2]);
  if (!Number.isFinite(stamp) || !Number.isInteger(publisher) || !Number.isInteger(number)) return null;
  return { stamp, publisher, number, measured: parts[3] === "m" };
}

/** A growable set of non-negative integers, one bit each (seqs and message numbers are dense). */
class BitSet {
  constructor() {
    this.bytes = new Uint8Array(1024);
  }

  /** Adds n; false when it was already there. */
  add(n) {
    const byte = n >>> 3;
    if (byte >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    const bit = 1 << (n & 7);
    if (this.bytes[byte] & bit) return false;
    this.bytes[byte] |= bit;
    return true;
  }
}

/** One user: a connection, what it received, and the ids it still has to acknowledge. */
class Member {
  constructor(spec) {
    Object.assign(this, spec);
    this.connection = null;
    this.streams = new Map(); // stream -> { seen: BitSet, last }
    this.distinct = 0;
    this.duplicates = 0;
    this.outOfOrder = 0;
    this.foreign = 0;
    this.redelivered = 0;
    this.windowDeliveries = 0;
    this.toAck = [];
    this.acking = false;
    this.ackCalls = 0;
    this.ackErrors = 0;
    this.closed = false;
    this.closeError = null;
  }

  async connect() {
    const response = await fetch(new URL("/api/token", config.url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: this.name }),
    });
    if (!response.ok) throw new Error(`POST /api/token for ${this.name} answered ${response.status}: ${await response.text()}`);
    const { token } = await response.json();

    const connection = new signalR.HubConnectionBuilder()
      // WebSockets without negotiation: the connection is one request, as Hub.Bench's clients make it.
      .withUrl(new URL("/hubs/chat", config.url).href, {
        accessTokenFactory: () => token,
        transport: signalR.HttpTransportType.WebSockets,
        skipNegotiation: true,
      })
      .withHubProtocol(config.protocol === "messagepack" ? messagePackProtocol() : new signalR.JsonHubProtocol())
      // Failures reach the coordinator as errors and close counts; the client's own log would repeat them per connection.
      .configureLogging(signalR.LogLevel.None)
      .build();
    // On a saturated two-core machine a ping can be late; a spurious timeout would read as a closed connection.
    connection.serverTimeoutInMilliseconds = 120_000;
    connection.on("Message", envelope => this.onMessage(envelope));
    // Events a member gets and does not need: handlers, so the client does not warn about each.
    for (const event of ["Resumed", "UserJoined", "UserLeft", "PresenceChanged", "RoomDeleted"]) connection.on(event, () => {});
    connection.onclose(error => {
      this.closed = true;
      this.closeError = error ? String(error.message ?? error) : null;
    });
    await connection.start();
    this.connection = connection;
  }

  onMessage(envelope) {
    const received = now();
    // JSON names are camelCase, MessagePack's PascalCase (docs/protocol.md).
    const id = envelope.id ?? envelope.Id;
    if (id) this.toAck.push(id);
    const text = parseText(envelope.text ?? envelope.Text);
    if (!text) {
      this.foreign++;
      return;
    }

    if (received >= timing.measureFrom && received < timing.end) this.windowDeliveries++;

    // Hub numbers a room's messages (seq); the baseline does not, so there the publisher's own numbering is used.
    const seq = envelope.seq ?? envelope.Seq;
    const streamKey = seq === null || seq === undefined ? text.publisher : "seq";
    const number = seq === null || seq === undefined ? text.number : Number(seq);
    let stream = this.streams.get(streamKey);
    if (!stream) this.streams.set(streamKey, (stream = { seen: new BitSet(), last: -1 }));
    if (!stream.seen.add(number)) {
      this.duplicates++;
      return;
    }

    this.distinct++;
    if (number < stream.last) this.outOfOrder++;
    else stream.last = number;
    if (envelope.redelivered ?? envelope.Redelivered) {
      // A redelivery's age is how long the user was away, not a latency of the system.
      this.redelivered++;
    } else if (text.measured) {
      latency.record(received - text.stamp);
    }
  }

  /** Sends what arrived since the last call, in calls of at most MaxIdsPerAck ids, one call at a time. */
  async flushAcks() {
    if (this.acking || this.toAck.length === 0 || this.closed) return;
    this.acking = true;
    try {
      while (this.toAck.length > 0 && !this.closed) {
        const batch = this.toAck.splice(0, MaxIdsPerAck);
        this.ackCalls++;
        try {
          await this.connection.invoke("Ack", batch);
        } catch {
          this.ackErrors++;
        }
      }
    } finally {
      this.acking = false;
    }
  }
}

/** A window of at most n operations in flight. */
class Window {
  constructor(n) {
    this.free = n;
    this.waiters = [];
  }

  acquire() {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise(resolve => this.waiters.push(resolve));
  }

  release() {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}

/** A sending member: numbers its messages and counts the SendResults it gets back. */
class Publisher {
  constructor(member, index) {
    this.member = member;
    this.index = index;
    this.next = 0;
    this.confirmed = 0;
    this.windowConfirmed = 0;
    this.failures = 0;
    this.lastError = null;
  }

  async sendOne(stamp) {
    const number = this.next++;
    const text = formatText(stamp, this.index, number, stamp >= timing.measureFrom);
    const { connection, room } = this.member;
    const started = now();
    try {
      if (config.send === "positional") {
        await connection.invoke("SendToRoom", room, text);
      } else {
        // Send(request) with an idempotency key per message, as the page and Hub.Client send.
        const key = `${config.runId}-${this.index}-${number}`;
        await connection.invoke("Send", config.protocol === "messagepack" ? { Text: text, Room: room, Key: key } : { text, room, key });
      }
      const answered = now();
      this.confirmed++;
      if (answered >= timing.measureFrom && answered < timing.end) this.windowConfirmed++;
      if (stamp >= timing.measureFrom) sendLatency.record(answered - started);
    } catch (error) {
      this.failures++;
      this.lastError = String(error?.message ?? error);
    }
  }

  /** As fast as delivered: `window` loops, each sending its next message when its previous SendResult is back. */
  async runClosedLoop(window) {
    const loop = async () => {
      while (!this.member.closed) {
        const stamp = now();
        if (stamp >= timing.end) return;
        await this.sendOne(stamp);
      }
    };
    await Promise.all(Array.from({ length: window }, loop));
  }

  /**
   * A fixed rate: message i is due at first + i * interval and carries that intended time, so a server that falls
   * behind shows as latency instead of silently lowering the rate (no coordinated omission). At most `window` sends
   * wait for their result; a full window delays the next send, which the intended time then counts.
   */
  async runAtRate(first, interval, window) {
    const slots = new Window(window);
    const inFlight = new Set();
    for (let i = 0; !this.member.closed; i++) {
      const stamp = first + i * interval;
      if (stamp >= timing.end) break;
      const wait = stamp - now();
      if (wait > 1) await sleep(wait);
      await slots.acquire();
      const send = this.sendOne(stamp).finally(() => {
        slots.release();
        inFlight.delete(send);
      });
      inFlight.add(send);
    }
    await Promise.all(inFlight);
  }
}

/** Runs fn over items, at most `concurrency` at a time. */
async function forEachLimited(items, concurrency, fn) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

const phases = {
  async init(message) {
    config = message.config;
    for (const spec of message.users) {
      const member = new Member(spec);
      members.push(member);
      if (spec.publisher !== null) publishers.push(new Publisher(member, spec.publisher));
    }
    await forEachLimited(members, config.connectConcurrency, member => member.connect());
    ackTimer = setInterval(() => {
      for (const member of members) void member.flushAcks();
    }, config.ackIntervalMs);
    return { type: "connected", count: members.length };
  },

  async create() {
    await forEachLimited(members.filter(m => m.owner), config.connectConcurrency, m => m.connection.invoke("CreateRoom", m.room));
    return { type: "created" };
  },

  async join() {
    await forEachLimited(members.filter(m => !m.owner), config.connectConcurrency, m => m.connection.invoke("JoinRoom", m.room));
    return { type: "joined" };
  },

  async run(message) {
    timing = message.timing;
    const { start, ratePerPublisher, totalRate } = timing;
    const runs = publishers.map(p => ratePerPublisher > 0
      // Publishers start a fraction of the total interval apart, so the total rate is smooth rather than bursty.
      ? p.runAtRate(start + (p.index * 1000) / totalRate, 1000 / ratePerPublisher, config.window)
      : sleep(start - now()).then(() => p.runClosedLoop(config.window)));
    // Sends still unanswered after the settle time are not waited for: the coordinator reports them as `unanswered`.
    await Promise.race([Promise.all(runs), sleep(timing.end + config.settleMs - now())]);
    const confirmed = {};
    for (const p of publishers) confirmed[p.member.room] = (confirmed[p.member.room] ?? 0) + p.confirmed;
    return {
      type: "sent",
      confirmed,
      attempted: publishers.reduce((sum, p) => sum + p.next, 0),
      windowConfirmed: publishers.reduce((sum, p) => sum + p.windowConfirmed, 0),
      failures: publishers.reduce((sum, p) => sum + p.failures, 0),
      lastError: publishers.find(p => p.lastError)?.lastError ?? null,
    };
  },

  async drain(message) {
    const done = () => members.every(m => m.closed || m.distinct >= (message.expected[m.room] ?? 0));
    while (!done() && now() < message.until) await sleep(50);
    clearInterval(ackTimer);
    await Promise.race([Promise.all(members.map(m => m.flushAcks())), sleep(2000)]);
    const sum = field => members.reduce((total, m) => total + m[field], 0);
    return {
      type: "report",
      members: members.length,
      distinct: sum("distinct"),
      duplicates: sum("duplicates"),
      outOfOrder: sum("outOfOrder"),
      foreign: sum("foreign"),
      redelivered: sum("redelivered"),
      windowDeliveries: sum("windowDeliveries"),
      expected: members.reduce((total, m) => total + (message.expected[m.room] ?? 0), 0),
      lost: members.reduce((total, m) => total + Math.max(0, (message.expected[m.room] ?? 0) - m.distinct), 0),
      ackCalls: sum("ackCalls"),
      ackErrors: sum("ackErrors"),
      closed: members.filter(m => m.closed).length,
      closeError: members.find(m => m.closeError)?.closeError ?? null,
      latency,
      sendLatency,
    };
  },

  async stop() {
    clearInterval(ackTimer);
    await Promise.race([Promise.all(members.map(m => m.connection?.stop().catch(() => {}))), sleep(config?.stopMs ?? 5000)]);
    process.exit(0);
  },
};

process.on("message", async message => {
  try {
    const reply = await phases[message.type](message);
    if (reply) process.send(reply);
  } catch (error) {
    process.send({ type: "error", phase: message.type, error: String(error?.stack ?? error) });
  }
});

// The coordinator is gone (killed, or its watchdog fired): nothing is left to report to.
process.on("disconnect", () => process.exit(1));
