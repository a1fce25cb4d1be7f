import type { Logger } from '../http/logger.ts';

export interface PeriodicTask {
  everyMs: number;
  run(): Promise<void>;
}

/**
 * Runs each task every `everyMs` (0 = never), one run at a time per task; a
 * failure is logged and the next tick tries again.
 */
export function startPeriodicTasks(tasks: Record<string, PeriodicTask>, logger: Logger) {
  const running = new Map<string, Promise<void>>();
  const runTask = (name: string) => {
    let current = running.get(name);
    if (!current) {
      current = tasks[name]
        .run()
        .catch((error: unknown) => logger.error('periodic_task_failed', { task: name, error: error instanceof Error ? error.message : String(error) }))
        .finally(() => running.delete(name));
      running.set(name, current);
    }
    return current;
  };
  const timers = Object.entries(tasks)
    .filter(([, task]) => task.everyMs > 0)
    .map(([name, task]) => {
      const timer = setInterval(() => void runTask(name), task.everyMs);
      timer.unref();
      return timer;
    });
  return {
    /** Every task once, now (tests). */
    runAll: () => Promise.all(Object.keys(tasks).map(runTask)).then(() => {}),
    async stop() {
      timers.forEach(clearInterval);
      await Promise.allSettled([...running.values()]);
    },
  };
}
