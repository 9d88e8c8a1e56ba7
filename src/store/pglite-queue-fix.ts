/**
 * Works around pglite-socket 0.2.17's query queue (electric-sql/pglite#1046, fix
 * proposed in PR #977): it keeps a connection's messages together only inside a SQL
 * transaction, so two connections' extended-protocol batches (Parse/Bind/Execute/Sync)
 * interleave on PGlite's single session and clobber each other's unnamed statement
 * ("unnamed prepared statement does not exist", or wrong rows); and one internal throw
 * leaves the queue stuck for good.
 *
 * We replace the queue's scheduler on our server instance: a connection keeps the
 * session from its first message until the end of its batch (Sync, a simple Query or
 * Terminate) and for as long as it holds a transaction, and a failed message never
 * stalls the queue. Remove this when the pinned pglite-socket ships the fix.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueueInternals {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const STARTUP = 0x00; // startup and SSL requests start with their length, not a type byte

export function applyQueueFix(server: PGLiteSocketServer, db: PGlite): void {
  const q = (server as unknown as { queryQueue: QueueInternals }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== 'function') {
    throw new Error('pglite-socket internals changed: review src/store/pglite-queue-fix.ts');
  }
  let midBatch = false;

  q.processQueue = async function processQueue(this: QueueInternals) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const pinned = this.lastHandlerId !== null && (midBatch || db.isInTransaction());
        const index = pinned ? this.queue.findIndex((m) => m.handlerId === this.lastHandlerId) : 0;
        if (index === -1) break; // the session's owner has not sent its next message yet
        const item = this.queue.splice(index, 1)[0]!;
        this.lastHandlerId = item.handlerId;
        const type = item.message[0];
        midBatch = !(type === SYNC || type === QUERY || type === TERMINATE || type === STARTUP);
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          item.reject(err);
          continue;
        }
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(q);

  // A connection that goes away mid-batch must not keep the session pinned.
  const clearQueue = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clearQueue(handlerId);
    if (handlerId === q.lastHandlerId && midBatch) {
      midBatch = false;
      void q.processQueue();
    }
  };
}
