/** Most ids in one Ack call: ~25 bytes each, so a call stays far below the hub's 32 KiB message limit. */
export const MaxIdsPerAck = 500;

/**
 * Acknowledges shown messages in batches: collects ids for a moment, then sends them in calls of at most
 * MaxIdsPerAck ids. Ids that could not be sent (connection down) stay queued and go with the next flush.
 */
export class AckBatcher {
  constructor(connection, onChange = () => {}) {
    this.connection = connection;
    this.onChange = onChange;
    this.queued = new Set();
    this.inFlight = 0;
    this.done = new Set();
    this.timer = null;
    this.flushing = false;
  }

  /** Queues an id; `again` re-acks an id the server re-sent (it is still pending there). */
  add(id, again = false) {
    if (!id || (!again && this.done.has(id))) return;
    this.queued.add(id);
    this.schedule();
    this.onChange();
  }

  has(id) {
    return this.done.has(id) || this.queued.has(id);
  }

  /** Ids shown but not yet confirmed by the server. */
  get unconfirmed() {
    return this.queued.size + this.inFlight;
  }

  schedule(delay = 100) {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  async flush() {
    if (this.flushing || this.queued.size === 0 || !this.connection.isReady) return;
    this.flushing = true;
    try {
      while (this.queued.size > 0 && this.connection.isReady) {
        const batch = [...this.queued].slice(0, MaxIdsPerAck);
        for (const id of batch) this.queued.delete(id);
        this.inFlight = batch.length;
        try {
          await this.connection.invoke("Ack", batch);
          for (const id of batch) this.done.add(id);
          if (this.done.size > 20000) this.done = new Set([...this.done].slice(-10000));
        } catch {
          for (const id of batch) this.queued.add(id);
          this.inFlight = 0;
          this.onChange();
          this.schedule(2000);
          return;
        }
        this.inFlight = 0;
        this.onChange();
      }
    } finally {
      this.flushing = false;
    }
  }
}
