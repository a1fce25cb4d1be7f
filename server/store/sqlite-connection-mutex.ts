/**
 * The one SQLite connection, handed to one user at a time, first come first
 * served (as Kysely's own SQLite driver does). `unlock` passes ownership straight
 * to the next waiter, so "not held" also means "nobody waiting": that is what
 * the group commit asks before it commits.
 */
export class SqliteConnectionMutex {
  #held = false;
  readonly #waiters: Array<() => void> = [];

  get held(): boolean {
    return this.#held;
  }

  /** Users waiting for the connection, not counting its holder. */
  get waiting(): number {
    return this.#waiters.length;
  }

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** Takes the connection only if it is free now; never waits. */
  tryLock(): boolean {
    if (this.#held) return false;
    this.#held = true;
    return true;
  }

  unlock(): void {
    if (!this.#held) throw new Error('SqliteConnectionMutex: expected the connection to be held, received an unlock while free');
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}
