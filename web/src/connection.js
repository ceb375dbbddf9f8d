import * as signalR from "@microsoft/signalr";
import { isUnauthorized } from "./util.js";

/** Thrown by invoke when there is no live connection: nothing was sent. */
export class NotConnectedError extends Error {
  constructor() {
    super("Not connected.");
    this.name = "NotConnectedError";
  }
}

/** Delay before each retry, by attempt; the last one repeats. */
const RetryDelays = [0, 1000, 2000, 5000, 10000];
/** After this many failed attempts the banner says "offline" (retries go on). */
const OfflineAfter = 3;

/**
 * One hub connection that keeps itself connected: it builds a fresh HubConnection per attempt (so the URL carries the
 * device and the last epoch), retries with back-off for as long as it is started, and reports its state:
 * "connecting" (first time), "connected", "reconnecting", "offline" or "stopped".
 * It is "ready" once connected and the server has sent Resumed (the backlog has been redelivered).
 */
export class ManagedConnection {
  /**
   * @param {object} options
   * @param {string} options.path hub path, e.g. /hubs/chat
   * @param {() => string} options.token current access token
   * @param {() => Promise<boolean>} options.renewToken called when the token is refused; true to retry
   * @param {() => string} options.device this browser's device id, for the URL
   * @param {() => string | null} options.epoch last epoch seen, for the URL
   * @param {Record<string, Function>} options.handlers server events
   * @param {(info: object) => void} options.onResumed
   * @param {() => void} options.onChange state changed
   */
  constructor(options) {
    this.options = options;
    this.state = "stopped";
    this.isReady = false;
    this.connection = null;
    this.stopped = true;
    this.attempt = 0;
    this.nextRetryAt = null;
    this.lastError = null;
    this.wake = null;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run();
  }

  async stop() {
    this.stopped = true;
    this.setState("stopped");
    this.wake?.();
    const connection = this.connection;
    this.connection = null;
    this.isReady = false;
    if (connection) await connection.stop().catch(() => {});
  }

  /** Retries at once instead of waiting for the back-off. */
  retryNow() {
    this.wake?.();
  }

  /** Invokes a hub method; throws at once when not connected. */
  invoke(method, ...args) {
    const connection = this.connection;
    if (!connection || connection.state !== signalR.HubConnectionState.Connected) {
      return Promise.reject(new NotConnectedError());
    }
    return connection.invoke(method, ...args);
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.options.onChange?.();
  }

  build() {
    const { path, token, device, epoch, handlers } = this.options;
    const query = new URLSearchParams({ device: device() });
    const last = epoch();
    if (last) query.set("epoch", last);
    const url = `${path}?${query}`;
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(url, { accessTokenFactory: () => token() })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    for (const [name, handler] of Object.entries(handlers)) {
      connection.on(name, (...args) => {
        if (this.connection === connection) handler(...args);
      });
    }
    // Resumed can arrive before start() resolves (an empty backlog follows the handshake at once), while the
    // connection cannot invoke yet: hold it until start() is done.
    let started = false;
    let pending = null;
    connection.on("Resumed", (info) => {
      if (this.connection !== connection) return;
      if (started) this.resumed(info);
      else pending = info;
    });
    const markStarted = () => {
      started = true;
      if (pending !== null) {
        const info = pending;
        pending = null;
        this.resumed(info);
      }
    };
    return { connection, markStarted };
  }

  resumed(info) {
    this.isReady = true;
    this.options.onResumed(info);
    this.options.onChange?.();
  }

  async run() {
    let everConnected = false;
    while (!this.stopped) {
      const { connection, markStarted } = this.build();
      const closed = new Promise((resolve) => connection.onclose((error) => resolve(error)));
      this.setState(!everConnected && this.attempt === 0 ? "connecting" : this.attempt >= OfflineAfter || !navigator.onLine ? "offline" : "reconnecting");
      try {
        this.connection = connection;
        await connection.start();
        if (this.stopped) {
          await connection.stop().catch(() => {});
          return;
        }
        everConnected = true;
        this.renewed = false;
        this.attempt = 0;
        this.lastError = null;
        this.setState("connected");
        markStarted();
        const error = await closed;
        this.lastError = error ?? null;
        if (this.connection === connection) this.connection = null;
        this.isReady = false;
        if (this.stopped) return;
        this.setState("reconnecting");
        this.options.onChange?.();
        continue; // first retry straight away
      } catch (error) {
        if (this.connection === connection) this.connection = null;
        this.isReady = false;
        this.lastError = error;
        if (this.stopped) return;
        // A refused token (e.g. the server restarted with a new signing key): renew it once, then back off.
        if (isUnauthorized(error) && !this.renewed) {
          this.renewed = true;
          if (await this.options.renewToken()) continue;
        }
        this.attempt++;
      }
      const delay = RetryDelays[Math.min(this.attempt, RetryDelays.length - 1)];
      this.setState(this.attempt >= OfflineAfter || !navigator.onLine ? "offline" : "reconnecting");
      await this.sleep(delay + Math.random() * Math.min(delay, 1000));
    }
  }

  sleep(ms) {
    return new Promise((resolve) => {
      this.nextRetryAt = Date.now() + ms;
      this.options.onChange?.();
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        self.nextRetryAt = null;
        resolve();
      }
      this.wake = done;
    });
  }
}
