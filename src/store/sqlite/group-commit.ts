/**
 * Group commit for the SQLite engine: writes that arrive while a batch is open share ONE
 * `BEGIN IMMEDIATE … COMMIT`, hence one fsync under synchronous=FULL, instead of one each.
 *
 * Why: with synchronous=FULL every commit waits for fdatasync of the WAL. This disk does roughly
 * 400–600 of those per second, so one transaction per write capped the service near that, while the
 * CPU work of a write is tens of microseconds. Batching keeps the durability promise (a caller's
 * promise settles only after the COMMIT that contains its write returned, i.e. after the fsync) and
 * divides the fsync cost by the batch size. This is the classic group commit of database engines
 * (PostgreSQL's commit_delay/commit_siblings, InnoDB's binlog group commit).
 *
 * Isolation between batch-mates: each write runs inside its own SAVEPOINT
 * (https://sqlite.org/lang_savepoint.html); a write that throws (409 uniqueness, 400 unknown member,
 * a ScimError from `mutate`, 412) is rolled back to its savepoint and rejects alone, while the
 * others are committed. Writes run in submission order, so a write sees every earlier write, exactly
 * as if they had been separate transactions one after the other.
 *
 * When a batch runs: in a `setImmediate` (check phase) once an event-loop turn brought no new write,
 * at most `maxGatherTurns` turns after the first write was queued, or at once when `maxBatchSize`
 * writes wait. Under load the fsync blocks the (single) thread, requests pile up meanwhile and the
 * next turns read them all: batches grow with load by themselves. At concurrency 1 a write waits two
 * check phases (microseconds; the loop does not block in poll while an immediate is pending).
 * Measured with `npm run bench` (concurrency 16, 3,000 users, machine load 12–17, two runs each):
 * flushing in queueMicrotask gave batches of exactly 1 write (Node drains microtasks after every
 * socket callback, before the next request is read): 204–219 ops/s, no better than no batching;
 * one setImmediate: 6.2–6.7 writes per COMMIT; waiting for a quiet turn (this): 10.4–12.6 writes per
 * COMMIT, i.e. 40 % fewer fsyncs. At concurrency 1 neither added measurable latency (POST p50 within
 * the run-to-run noise of 1.5–4.7 ms).
 *
 * Reads do not go through here: better-sqlite3 is synchronous and a batch runs start to finish in
 * one call, so a read never observes a half-done batch, and a read issued after a write's promise
 * resolved runs after that write's COMMIT.
 *
 * Several processes on one file: BEGIN IMMEDIATE takes the database write lock before the first
 * read, so read-modify-writes of other processes wait (busy timeout) instead of interleaving; a batch
 * holds the lock only for its CPU work plus one fsync (bounded by maxBatchSize).
 */
import type Database from "better-sqlite3";

export interface GroupCommitOptions {
  /** A batch is flushed at once when this many writes wait. @default 256 */
  readonly maxBatchSize?: number;
  /** Event-loop turns a batch waits at most for more writes while they keep coming. @default 4 */
  readonly maxGatherTurns?: number;
  /** Turns driver errors into the store's errors (e.g. SQLITE_BUSY → StoreUnavailableError). */
  readonly mapError: (error: unknown) => unknown;
  /** Called after each COMMIT with the number of writes it carried (tests, diagnostics); errors ignored. */
  readonly onCommit?: (writes: number) => void;
}

interface PendingWrite {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

const SAVEPOINT = "scimkit_write";

export class GroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly maxBatchSize: number;
  private readonly maxGatherTurns: number;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackToSavepoint: Database.Statement;

  constructor(
    private readonly database: Database.Database,
    private readonly options: GroupCommitOptions,
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 256;
    this.maxGatherTurns = options.maxGatherTurns ?? 4;
    this.begin = database.prepare("BEGIN IMMEDIATE");
    this.commit = database.prepare("COMMIT");
    this.rollback = database.prepare("ROLLBACK");
    this.savepoint = database.prepare(`SAVEPOINT ${SAVEPOINT}`);
    this.release = database.prepare(`RELEASE ${SAVEPOINT}`);
    this.rollbackToSavepoint = database.prepare(`ROLLBACK TO ${SAVEPOINT}`);
  }

  /**
   * Queues `work` (synchronous SQL, no transaction of its own) for the next batch. The promise
   * settles after the batch's COMMIT: resolved with work's result, or rejected with what work threw
   * (mapped), or with the COMMIT's error when the batch as a whole could not be committed.
   */
  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= this.maxBatchSize) this.flush();
      else if (!this.scheduled) this.scheduleFlush();
    });
  }

  /**
   * Flushes at the first event-loop turn (check phase) that brought no new write, or after
   * maxGatherTurns turns: one idle turn costs microseconds at low load, and under load it lets the
   * requests read in the next I/O poll join the batch.
   */
  private scheduleFlush(): void {
    let seen = 0;
    let turns = 0;
    const onTurn = (): void => {
      turns += 1;
      if (this.pending.length > seen && turns < this.maxGatherTurns) {
        seen = this.pending.length;
        this.scheduled = setImmediate(onTurn);
        return;
      }
      this.scheduled = undefined;
      this.flush();
    };
    this.scheduled = setImmediate(onTurn);
  }

  /** Runs every queued write now, in one transaction. Synchronous; close() calls it. */
  flush(): void {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatchSize);
      this.runBatch(batch);
    }
  }

  private runBatch(batch: readonly PendingWrite[]): void {
    try {
      this.begin.run();
    } catch (error) {
      // Typically SQLITE_BUSY after the busy timeout: another process holds the write lock.
      const mapped = this.options.mapError(error);
      for (const write of batch) write.reject(mapped);
      return;
    }
    const outcomes: Outcome[] = [];
    for (const [index, write] of batch.entries()) {
      const outcome = this.runOne(write);
      outcomes.push(outcome);
      if (!outcome.ok && !this.database.inTransaction) {
        // SQLite rolled the whole transaction back by itself (disk full, I/O error…): nothing of
        // this batch is stored. The failing write keeps its own error; every other one is told why.
        const lost = this.options.mapError(outcome.error);
        batch.forEach((other, position) => {
          if (position === index) other.reject(outcome.error);
          else other.reject(lost);
        });
        return;
      }
    }
    try {
      this.commit.run();
    } catch (error) {
      if (this.database.inTransaction) this.rollbackQuietly();
      const mapped = this.options.mapError(error);
      // Writes that failed on their own keep their own (more precise) error.
      batch.forEach((write, index) => {
        const outcome = outcomes[index]!;
        write.reject(outcome.ok ? mapped : outcome.error);
      });
      return;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
    try {
      this.options.onCommit?.(batch.length);
    } catch {
      // A diagnostics hook must not turn a committed batch into an uncaught exception.
    }
  }

  /** One write inside its own savepoint; on failure only its own changes are undone. */
  private runOne(write: PendingWrite): Outcome {
    try {
      this.savepoint.run();
    } catch (error) {
      return { ok: false, error: this.options.mapError(error) };
    }
    try {
      const value = write.work();
      this.release.run();
      return { ok: true, value };
    } catch (error) {
      const mapped = this.options.mapError(error);
      if (this.database.inTransaction) {
        try {
          this.rollbackToSavepoint.run();
          this.release.run();
        } catch {
          // The savepoint could not be rolled back: give up the whole transaction, so that no
          // partial write of this one can reach the COMMIT; the caller sees !inTransaction.
          this.rollbackQuietly();
        }
      }
      return { ok: false, error: mapped };
    }
  }

  private rollbackQuietly(): void {
    try {
      this.rollback.run();
    } catch {
      // Already rolled back by SQLite; nothing left to undo.
    }
  }
}
