/** Most ids in one Ack call (the server's Limits:MaxAckIds is 1,000 by default). */
export const MaxIdsPerAck = 500;

/**
 * Most characters of ids in one Ack call. An id names its room or conversation (`{ms}-{n}/r/{room}`,
 * `{ms}-{n}/d/{a}/{b}`: up to ~160 characters), so the count alone would not keep a call below the hub's 32 KiB
 * message limit; 16,000 leaves room for the invocation around them.
 */
export const MaxAckChars = 16000;

/**
 * Acknowledges shown messages in batches: collects ids for a moment, then sends them in calls of at most
 * MaxIdsPerAck ids and MaxAckChars characters. Ids that could not be sent (connection down) stay queued and go with
 * the next flush. Acks are cumulative per room, conversation and broadcast stream on the server, which is safe here:
 * a conversation's messages are shown, and so acked, in order.
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
        const batch = nextBatch(this.queued);
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

/** The first queued ids that fit one Ack call (at least one, whatever its length). */
function nextBatch(queued) {
  const batch = [];
  let chars = 0;
  for (const id of queued) {
    // Quotes and a comma around each id.
    chars += id.length + 3;
    if (batch.length > 0 && (batch.length >= MaxIdsPerAck || chars > MaxAckChars)) break;
    batch.push(id);
  }
  return batch;
}
