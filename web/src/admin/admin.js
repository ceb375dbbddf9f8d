// The operators' admin page: asks for the operator key (or an admin token), keeps it in sessionStorage (this tab
// only), polls GET /admin/api/overview and draws what it returns. Every element is built with the DOM API (no
// innerHTML) and every style lives in admin.css, so the page runs under the server's CSP (no inline script or style).

const KEY_STORAGE = "hub.admin.key";
const POLL_MS = 3000;
const SVG = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);
let timer = null;

function credential() {
  return sessionStorage.getItem(KEY_STORAGE);
}

// A JWT (three dot-separated parts) goes as a bearer token; anything else is the operator key.
function headers(value) {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value) ? { Authorization: `Bearer ${value}` } : { "X-Api-Key": value };
}

function showSignin(message) {
  clearTimeout(timer);
  $("overview").hidden = true;
  $("signout").hidden = true;
  $("signin").hidden = false;
  $("signin-error").textContent = message ?? "";
  $("mode").textContent = "";
  $("updated").textContent = "";
  $("key").focus();
}

async function poll() {
  const value = credential();
  if (!value) {
    showSignin();
    return;
  }
  try {
    const response = await fetch("/admin/api/overview", { headers: headers(value), cache: "no-store" });
    if (response.status === 401) {
      sessionStorage.removeItem(KEY_STORAGE);
      showSignin((await response.json().catch(() => ({}))).error ?? "Not an operator key.");
      return;
    }
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    render(await response.json());
  } catch (error) {
    $("updated").textContent = `Update failed (${error.message}); retrying`;
  }
  timer = setTimeout(poll, POLL_MS);
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells, testId) {
  const tr = el("tr");
  if (testId) tr.dataset.testid = testId;
  for (const [text, className] of cells) tr.append(el("td", text, className));
  return tr;
}

function emptyRow(columns, text) {
  const td = el("td", text, "empty");
  td.colSpan = columns;
  const tr = el("tr");
  tr.append(td);
  return tr;
}

function table(headings, rows, testId) {
  const t = el("table");
  t.dataset.testid = testId;
  const head = el("tr");
  for (const [text, className] of headings) head.append(el("th", text, className));
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  tbody.append(...(rows.length ? rows : [emptyRow(headings.length, "none")]));
  t.append(thead, tbody);
  return t;
}

function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

function render(o) {
  $("signin").hidden = true;
  $("overview").hidden = false;
  $("signout").hidden = false;
  $("mode").textContent = `${o.mode} · node ${o.node}`;
  $("updated").textContent = `Updated ${new Date(o.generatedAt).toLocaleTimeString()}`;

  const store = $("store");
  const facts = o.store.kind === "embedded"
    ? [["store", "embedded (this process's memory)"]]
    : [["store", "Redis"], ["reachable", o.store.reachable ? "yes" : `no: ${o.store.error ?? ""}`, o.store.reachable ? "" : "bad"],
       ["round trip", o.store.roundTripMs === null ? "–" : `${o.store.roundTripMs} ms`],
       ["used memory", bytes(o.store.usedMemoryBytes)], ["connected clients", o.store.connectedClients ?? "–"]];
  store.replaceChildren(...facts.flatMap(([name, value, className]) => [el("dt", name), el("dd", value, className)]));

  $("nodes").replaceChildren(...(o.nodes.length ? o.nodes.map((n) => row([
    [n.id], [`${n.heartbeatAgeSeconds.toFixed(1)} s`, "num"], [n.connections.chat ?? 0, "num"], [n.connections.notifications ?? 0, "num"],
  ], "node")) : [emptyRow(4, "no node has reported yet")]));

  const seconds = o.throughput.intervalSeconds;
  chart($("throughput-chart"), o.throughput.samples, [["stored", (s) => s.stored / seconds], ["delivered", (s) => s.delivered / seconds]]);
  chart($("resumes-chart"), o.throughput.samples, [["resumes", (s) => (s.resumes * 60) / seconds]]);

  $("namespaces").replaceChildren(...o.namespaces.map(namespaceCard));
}

function namespaceCard(ns) {
  const card = el("section", null, "card");
  card.dataset.testid = `namespace-${ns.name}`;
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  card.append(el("h2", `${ns.name}: ${plural(ns.connections, "connection")}, ${plural(ns.roomCount, "room")}`));
  const rooms = ns.rooms.map((r) => row([
    [r.name], [r.members, "num"], [r.lastSeq, "num"], [r.messagesPerMinute === null ? "–" : r.messagesPerMinute, "num"],
  ], "room"));
  card.append(table([["room"], ["members", "num"], ["last seq", "num"], ["msg/min", "num"]], rooms, "rooms"));
  card.append(el("p", `Busiest ${ns.rooms.length} of the ${ns.roomsScanned} rooms read.`, "muted small"));
  const queues = ns.deepestQueues.map((q) => row([[q.user], [q.pending, "num"]], "queue"));
  card.append(table([["user"], ["pending", "num"]], queues, "queues"));
  card.append(el("p", `Deepest pending queues of the ${ns.usersScanned} users measured.`, "muted small"));
  return card;
}

// One polyline per series, scaled to the largest value; the caption says what the top is.
function chart(svg, samples, series) {
  const width = 600, height = 140, pad = 6;
  const values = series.map(([, value]) => samples.map(value));
  const max = Math.max(1, ...values.flat());
  const children = [line(0, height - pad, width, height - pad, "axis")];
  series.forEach(([name], i) => {
    const points = values[i].map((v, j) => {
      const x = samples.length > 1 ? (j / (samples.length - 1)) * width : width;
      const y = height - pad - (v / max) * (height - 2 * pad);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });
    const polyline = document.createElementNS(SVG, "polyline");
    polyline.setAttribute("class", name);
    polyline.setAttribute("points", points.join(" "));
    children.push(polyline);
  });
  svg.replaceChildren(...children);
  svg.dataset.max = max.toFixed(1);
  svg.dataset.samples = String(samples.length);
  svg.setAttribute("aria-label", `${svg.getAttribute("aria-label").split(" (")[0]} (peak ${max.toFixed(1)}, ${samples.length} samples)`);
  document.querySelector(`.peak[data-for="${svg.id}"]`).textContent = `peak ${max.toFixed(1)}`;
}

function line(x1, y1, x2, y2, className) {
  const l = document.createElementNS(SVG, "line");
  for (const [k, v] of Object.entries({ x1, y1, x2, y2 })) l.setAttribute(k, v);
  l.setAttribute("class", className);
  return l;
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = $("key").value.trim();
  if (!value) {
    $("signin-error").textContent = "Enter the operator key.";
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, value);
  $("key").value = "";
  poll();
});

$("signout").addEventListener("click", () => {
  sessionStorage.removeItem(KEY_STORAGE);
  showSignin();
});

poll();
