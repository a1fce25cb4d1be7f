/**
 * One real SQLite transaction shared by several logical ones (each a savepoint
 * inside it), and the promise every member waits on before it answers anybody:
 * settled once, by the shared COMMIT or by its failure.
 */
export class SqliteCommitGroup {
  readonly openedAt = performance.now();
  /** Logical transactions and single writes that joined, committed or rolled back. */
  members = 0;
  /** Something in the group wrote (or tried to): whoever saw it must wait for the COMMIT. */
  dirty = false;
  /** The member whose statement made SQLite roll the whole transaction back, if one did. */
  abortedBy: object | undefined;
  readonly outcome: Promise<void>;
  #settle!: (error?: unknown) => void;

  constructor() {
    this.outcome = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Members that saw nothing uncommitted never wait; a failure nobody awaits is not an unhandled rejection.
    this.outcome.catch(() => {});
  }

  /**
   * A new member: the name of its savepoint. One name serves all: members run one
   * after another, each released or rolled back before the next begins, and one
   * SQL text keeps one prepared statement.
   */
  join(): string {
    this.members += 1;
    return 'paykey_member';
  }

  committed(): void {
    this.#settle();
  }

  failed(error: unknown): void {
    this.#settle(error ?? new Error('SQLite group commit failed without an error'));
  }
}
