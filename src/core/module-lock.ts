/**
 * CPython's per-module import locks (`_ModuleLock`): re-entrant for the task that holds them, waited on
 * by other tasks, with the same deadlock detection (follow who the owner is blocked on; if that chain
 * comes back to us, raise instead of waiting forever).
 */
import type { Awaitable } from "./awaitable.js";
import { DeadlockError, RuntimeError } from "./errors.js";
import type { ImportTask } from "./interfaces.js";

let nextLockId = 0x7f0000001000;

export class ModuleLock {
  owner: ImportTask | null = null;
  private count = 0;
  private waiters: (() => void)[] = [];
  private readonly id = (nextLockId += 0x40);

  constructor(
    readonly name: string,
    private readonly onIdle: (lock: ModuleLock) => void,
  ) {}

  get idle(): boolean {
    return this.count === 0 && this.waiters.length === 0;
  }

  /** Take the lock; synchronous (undefined) when it is free or already ours, a promise when we must wait. */
  acquire(task: ImportTask): Awaitable<void> {
    if (this.tryTake(task)) return;
    task.blockingOn = this;
    if (this.hasDeadlock(task)) {
      task.blockingOn = null;
      throw this.deadlock();
    }
    return this.wait(task);
  }

  release(task: ImportTask): void {
    if (this.owner !== task) throw new RuntimeError("cannot release un-acquired lock");
    this.count--;
    if (this.count === 0) {
      this.owner = null;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
      if (this.idle) this.onIdle(this);
    }
  }

  toString(): string {
    return `_ModuleLock('${this.name}') at ${this.id}`;
  }

  private tryTake(task: ImportTask): boolean {
    if (this.count === 0 || this.owner === task) {
      this.owner = task;
      this.count++;
      return true;
    }
    return false;
  }

  private async wait(task: ImportTask): Promise<void> {
    try {
      for (;;) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        if (this.tryTake(task)) return;
        if (this.hasDeadlock(task)) throw this.deadlock();
      }
    } finally {
      task.blockingOn = null;
    }
  }

  /** CPython's `has_deadlock`: does the chain of "owner is blocked on a lock owned by …" reach `me`? */
  private hasDeadlock(me: ImportTask): boolean {
    let owner = this.owner;
    const seen = new Set<ImportTask>();
    for (;;) {
      const lock = owner?.blockingOn;
      if (!lock) return false;
      owner = lock.owner;
      if (owner === me) return true;
      if (owner === null || seen.has(owner)) return false;
      seen.add(owner);
    }
  }

  private deadlock(): DeadlockError {
    return new DeadlockError(`deadlock detected by ${this}`);
  }
}

/** The registry of module locks (`_module_locks`); a lock is dropped once nobody holds or waits for it. */
export class ModuleLocks {
  private readonly locks = new Map<string, ModuleLock>();

  get(name: string): ModuleLock {
    let lock = this.locks.get(name);
    if (!lock) {
      lock = new ModuleLock(name, (idle) => {
        if (this.locks.get(idle.name) === idle) this.locks.delete(idle.name);
      });
      this.locks.set(name, lock);
    }
    return lock;
  }
}
