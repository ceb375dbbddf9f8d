#!/usr/bin/env node
// Room fan-out load on a running Hub (or Hub.Baseline) with the official JavaScript SignalR client, the users spread
// over forked Node processes (fanout-worker.mjs) so the load generator is not one thread. Prints one JSON line and
// one human-readable line. Exit code: 0 clean, 1 lost / duplicated / failed sends or dropped connections, 2 no result.
//
//   node bench/js/fanout.mjs --url http://127.0.0.1:5000 --rooms 1 --members 50 --publishers 5 \
//        --duration 10 --warmup 3 [--rate 2000] [--pids server:1234,redis:1200]
//
// docs/benchmarks.md ("With the official JS client") says what each figure means; bench/js/run.sh starts the servers.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { Histogram } from "./histogram.mjs";

const usage = `Usage: node fanout.mjs --url URL [options]
  --url URL               Hub (or Hub.Baseline) base URL, e.g. http://127.0.0.1:5000 (required)
  --rooms N               rooms (default 1)
  --members N             members per room; publishers are the first of them (default 50)
  --publishers N          sending members per room (default 5)
  --workers N             forked load-generator processes the users are spread over (default 4)
  --duration S            measured seconds (default 10)
  --warmup S              seconds of load before the measured window (default 3)
  --rate N                total messages/s over all publishers; 0 = as fast as delivered (default 0)
  --window N              unanswered sends per publisher (default 10 as fast as delivered, 64 with --rate)
  --ack-interval MS       members call Ack(ids) with what they received this often (default 50)
  --protocol P            json | messagepack (default json)
  --send M                send: Send({room, text, key}) as the page does | positional: SendToRoom(room, text) (default send)
  --text-size N           message text length in characters (default 100)
  --pids LIST             processes to charge CPU to, role:pid[,role:pid...], e.g. server:1234,redis:1200
  --label TEXT            a label for the output (e.g. embedded, redis, baseline)
  --connect-concurrency N connections opened at once per worker (default 16)
  --drain S               longest wait after sending for the last deliveries (default 10)
  --setup-timeout S       longest time to connect users and fill rooms (default 20)`;

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      rooms: { type: "string", default: "1" },
      members: { type: "string", default: "50" },
      publishers: { type: "string", default: "5" },
      workers: { type: "string", default: "4" },
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "3" },
      rate: { type: "string", default: "0" },
      window: { type: "string" },
      "ack-interval": { type: "string", default: "50" },
      protocol: { type: "string", default: "json" },
      send: { type: "string", default: "send" },
      "text-size": { type: "string", default: "100" },
      pids: { type: "string", default: "" },
      label: { type: "string", default: "" },
      "connect-concurrency": { type: "string", default: "16" },
      drain: { type: "string", default: "10" },
      "setup-timeout": { type: "string", default: "20" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const number = (name, min) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number >= ${min}, not '${values[name]}'.`);
    return value;
  };
  const integer = (name, min) => {
    const value = number(name, min);
    if (!Number.isInteger(value)) fail(`--${name} must be a whole number, not '${values[name]}'.`);
    return value;
  };
  if (!values.url) fail("--url is required.");
  if (!["json", "messagepack"].includes(values.protocol)) fail(`--protocol is json or messagepack, not '${values.protocol}'.`);
  if (!["send", "positional"].includes(values.send)) fail(`--send is send or positional, not '${values.send}'.`);
  const rate = number("rate", 0);
  const parsed = {
    url: values.url,
    rooms: integer("rooms", 1),
    members: integer("members", 1),
    publishers: integer("publishers", 1),
    workers: integer("workers", 1),
    duration: number("duration", 0.1),
    warmup: number("warmup", 0),
    rate,
    window: values.window === undefined ? (rate > 0 ? 64 : 10) : integer("window", 1),
    ackIntervalMs: integer("ack-interval", 1),
    protocol: values.protocol,
    send: values.send,
    textSize: integer("text-size", 1),
    pids: parsePids(values.pids),
    label: values.label,
    connectConcurrency: integer("connect-concurrency", 1),
    drain: number("drain", 0),
    setupTimeout: number("setup-timeout", 1),
  };
  if (parsed.publishers > parsed.members) fail(`--publishers (${parsed.publishers}) cannot exceed --members (${parsed.members}): publishers are members.`);
  return parsed;
}

function parsePids(text) {
  const pids = [];
  for (const item of text.split(",").filter(Boolean)) {
    const [role, pid] = item.split(":");
    if (!role || !/^\d+$/.test(pid ?? "")) fail(`--pids takes role:pid[,role:pid...], e.g. server:1234,redis:1200; '${item}' is not one.`);
    pids.push({ role, pid: Number(pid) });
  }
  return pids;
}

function fail(message, code = 2) {
  console.error(`fanout: ${message}`);
  process.exit(code);
}

const now = () => performance.timeOrigin + performance.now();
const sleep = ms => new Promise(resolve => setTimeout(resolve, Math.max(0, ms)));

// CPU from /proc: a process's utime+stime (fields 14 and 15 of /proc/<pid>/stat, in clock ticks) and the machine's
// busy and total ticks (first line of /proc/stat), read at the start and the end of the measured window.
const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; fields after it are counted from the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null; // the process is gone
  }
}

function machineTicks() {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { total, idle: cpu[3] + cpu[4] };
}

function sampleCpu(roles) {
  const sample = { at: now(), machine: machineTicks(), roles: {} };
  for (const [role, pids] of Object.entries(roles)) {
    const ticks = pids.map(processTicks);
    sample.roles[role] = ticks.some(t => t === null) ? null : ticks.reduce((a, b) => a + b, 0);
  }
  return sample;
}

/** Users in room order; the first member of a room creates it, the first `publishers` members send to it. */
function planUsers(o, runId) {
  const users = [];
  let publisher = 0;
  for (let r = 0; r < o.rooms; r++) {
    for (let m = 0; m < o.members; m++) {
      users.push({ name: `${runId}-r${r}-m${m}`, room: `${runId}-room${r}`, owner: m === 0, publisher: m < o.publishers ? publisher++ : null });
    }
  }
  return users;
}

class Workers {
  constructor(count) {
    this.children = Array.from({ length: count }, () =>
      fork(new URL("./fanout-worker.mjs", import.meta.url), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    this.exited = new Set();
    for (const [i, child] of this.children.entries()) child.on("exit", () => this.exited.add(i));
  }

  get pids() {
    return this.children.map(c => c.pid);
  }

  /** Sends each worker its message and waits for every answer of type `answer`, at most `timeoutMs`. */
  async phase(messages, answer, timeoutMs) {
    const replies = this.children.map((child, i) => new Promise((resolve, reject) => {
      const onMessage = reply => {
        if (reply.type === answer) {
          child.off("message", onMessage);
          resolve(reply);
        } else if (reply.type === "error") {
          reject(new Error(`worker ${i}, ${reply.phase}: ${reply.error}`));
        }
      };
      child.on("message", onMessage);
      child.once("exit", code => reject(new Error(`worker ${i} exited (${code}) before '${answer}'`)));
      child.send(messages[i]);
    }));
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no '${answer}' from every worker within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    });
    try {
      return await Promise.race([Promise.all(replies), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks every worker to close its connections, then kills those still running after `graceMs`. */
  async stop(graceMs) {
    for (const child of this.children) if (child.connected) child.send({ type: "stop" });
    const until = now() + graceMs;
    while (this.exited.size < this.children.length && now() < until) await sleep(50);
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

const fmt = (value, digits = 0) => (value === null || value === undefined ? "-" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));

async function main() {
  const o = options();
  const runId = `js${Date.now().toString(36).slice(-6)}`;
  const users = planUsers(o, runId);
  const workerCount = Math.min(o.workers, users.length);
  const settleMs = 5000;
  const stopMs = 5000;

  // Whatever hangs (a server that stops answering, a worker stuck), the run ends by this time.
  const hardLimitMs = (o.setupTimeout + o.warmup + o.duration + o.drain) * 1000 + settleMs + stopMs + 5000;
  let workers = null;
  const watchdog = setTimeout(() => {
    console.error(`fanout: gave up after ${Math.round(hardLimitMs / 1000)} s`);
    for (const child of workers?.children ?? []) child.kill("SIGKILL");
    process.exit(2);
  }, hardLimitMs);
  watchdog.unref();

  workers = new Workers(workerCount);
  try {
    const config = {
      url: o.url, runId, protocol: o.protocol, send: o.send, textSize: o.textSize, window: o.window,
      ackIntervalMs: o.ackIntervalMs, connectConcurrency: o.connectConcurrency, settleMs, stopMs,
    };
    const shares = Array.from({ length: workerCount }, () => []);
    users.forEach((user, i) => shares[i % workerCount].push(user));

    const setupUntil = now() + o.setupTimeout * 1000;
    const remaining = () => Math.max(1, setupUntil - now());
    await workers.phase(shares.map(share => ({ type: "init", config, users: share })), "connected", remaining());
    await workers.phase(shares.map(() => ({ type: "create" })), "created", remaining());
    await workers.phase(shares.map(() => ({ type: "join" })), "joined", remaining());

    // Every process stamps and measures against the same wall clock, so the timing is handed out in epoch ms.
    const start = now() + 300;
    const measureFrom = start + o.warmup * 1000;
    const end = measureFrom + o.duration * 1000;
    const timing = { start, measureFrom, end, totalRate: o.rate, ratePerPublisher: o.rate > 0 ? o.rate / (o.rooms * o.publishers) : 0 };

    const roles = {};
    for (const { role, pid } of o.pids) (roles[role] ??= []).push(pid);
    roles.bench = [process.pid, ...workers.pids];
    let before = null;
    let after = null;
    const samplers = [
      sleep(measureFrom - now()).then(() => { before = sampleCpu(roles); }),
      sleep(end - now()).then(() => { after = sampleCpu(roles); }),
    ];
    const sent = await workers.phase(shares.map(() => ({ type: "run", timing })), "sent", end - now() + settleMs + 2000);
    await Promise.all(samplers);

    const expected = {};
    for (const s of sent) for (const [room, n] of Object.entries(s.confirmed)) expected[room] = (expected[room] ?? 0) + n;
    const drainUntil = now() + o.drain * 1000;
    const reports = await workers.phase(shares.map(() => ({ type: "drain", expected, until: drainUntil })), "report", drainUntil - now() + 5000);

    const result = summarize(o, { sent, reports, before, after, roles, workerCount, runId });
    console.log(JSON.stringify(result));
    console.log(humanLine(result));
    await workers.stop(stopMs);
    clearTimeout(watchdog);
    const clean = result.lost === 0 && result.duplicates === 0 && result.sendErrors === 0 && result.unanswered === 0
      && result.closedConnections === 0;
    process.exit(clean ? 0 : 1);
  } catch (error) {
    console.error(`fanout: ${error.message}`);
    await workers.stop(2000);
    process.exit(2);
  }
}

function summarize(o, { sent, reports, before, after, roles, workerCount, runId }) {
  const sum = (list, field) => list.reduce((total, item) => total + item[field], 0);
  // Deliveries and sends are counted by their own timestamps inside the nominal window; CPU between the two samples,
  // whose timers may fire a little late on a busy machine.
  const windowSeconds = o.duration;
  const seconds = (after.at - before.at) / 1000;
  const latency = new Histogram();
  const sendLatency = new Histogram();
  for (const r of reports) {
    latency.merge(r.latency);
    sendLatency.merge(r.sendLatency);
  }
  const deliveries = sum(reports, "windowDeliveries");
  const confirmed = sent.reduce((total, s) => total + Object.values(s.confirmed).reduce((a, b) => a + b, 0), 0);

  const cpu = {};
  let measuredTicks = 0;
  for (const role of Object.keys(roles)) {
    const ticks = before.roles[role] === null || after.roles[role] === null ? null : after.roles[role] - before.roles[role];
    if (ticks === null) {
      cpu[role] = { error: "process exited during the run" };
      continue;
    }
    measuredTicks += ticks;
    const cpuSeconds = ticks / clockTicks;
    cpu[role] = {
      pids: roles[role],
      cpuSeconds: round(cpuSeconds, 3),
      coresUsed: round(cpuSeconds / seconds, 2),
      usPerDelivery: deliveries > 0 ? round((cpuSeconds * 1e6) / deliveries, 2) : null,
    };
  }
  const machineTotal = after.machine.total - before.machine.total;
  const machineBusy = machineTotal - (after.machine.idle - before.machine.idle);

  return {
    tool: "bench/js/fanout.mjs",
    label: o.label || null,
    url: o.url,
    runId,
    rooms: o.rooms,
    members: o.members,
    publishersPerRoom: o.publishers,
    mode: o.rate > 0 ? "rate" : "as-fast-as-delivered",
    rate: o.rate > 0 ? o.rate : null,
    window: o.window,
    workers: workerCount,
    protocol: o.protocol,
    send: o.send,
    ackIntervalMs: o.ackIntervalMs,
    warmupSeconds: o.warmup,
    measuredSeconds: windowSeconds,
    cpuSampledSeconds: round(seconds, 3),
    sent: confirmed,
    sentPerSecond: round(sum(sent, "windowConfirmed") / windowSeconds, 1),
    sendErrors: sum(sent, "failures"),
    // Sends whose SendResult had not come back when the publishers were stopped (settle time after the window).
    unanswered: sum(sent, "attempted") - confirmed - sum(sent, "failures"),
    lastSendError: sent.find(s => s.lastError)?.lastError ?? null,
    deliveries,
    deliveriesPerSecond: round(deliveries / windowSeconds, 1),
    latencyMs: latency.summary(),
    sendResultMs: sendLatency.summary(),
    // Over the whole run: every confirmed send once per member of its room, and the distinct ones that arrived.
    expectedDeliveries: sum(reports, "expected"),
    receivedDeliveries: sum(reports, "distinct"),
    lost: sum(reports, "lost"),
    duplicates: sum(reports, "duplicates"),
    outOfOrder: sum(reports, "outOfOrder"),
    redelivered: sum(reports, "redelivered"),
    foreign: sum(reports, "foreign"),
    acks: { calls: sum(reports, "ackCalls"), errors: sum(reports, "ackErrors") },
    closedConnections: sum(reports, "closed"),
    closeError: reports.find(r => r.closeError)?.closeError ?? null,
    cpu,
    clockTicksPerSecond: clockTicks,
    machineBusyPercent: machineTotal > 0 ? round((100 * machineBusy) / machineTotal, 1) : null,
    otherProcessesPercent: machineTotal > 0 ? round((100 * Math.max(0, machineBusy - measuredTicks)) / machineTotal, 1) : null,
  };
}

function round(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function humanLine(r) {
  const shape = `${r.rooms} room x ${r.members} members x ${r.publishersPerRoom} pub @ ${r.rate ? `${fmt(r.rate)}/s` : "max"}`;
  const cpu = Object.entries(r.cpu).map(([role, c]) => `${role} ${c.usPerDelivery === undefined ? "?" : fmt(c.usPerDelivery, 1)}`).join(", ");
  return [
    `${r.label ?? "fanout"}: ${shape}:`,
    `${fmt(r.deliveriesPerSecond)} deliveries/s (sent ${fmt(r.sentPerSecond)}/s),`,
    `p50 ${fmt(r.latencyMs.p50, 2)} ms, p99 ${fmt(r.latencyMs.p99, 2)} ms,`,
    `lost ${r.lost}, dup ${r.duplicates}, send errors ${r.sendErrors}, unanswered ${r.unanswered}, closed ${r.closedConnections};`,
    `µs CPU/delivery: ${cpu}; machine busy ${fmt(r.machineBusyPercent)} %, other procs ${fmt(r.otherProcessesPercent)} %`,
  ].join(" ");
}

await main();
