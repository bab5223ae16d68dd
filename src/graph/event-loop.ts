/**
 * How long this process's event loop was held up while something waited. A Bolt connection is
 * opened over several turns of the loop (TCP connect, handshake, HELLO), so a connection whose
 * acquisition timed out tells two different things apart only with this: if the loop was held up
 * for a good part of the wait (a CPU-bound computation between awaits), the server may have
 * answered and the answer could not be read in time, and starting again is right; if the loop
 * turned freely all along, the server did not answer, and waiting again would only repeat that.
 */

const TICK_MS = 25;

/** One wait being watched: the longest the loop went without turning since it began. */
export interface LoopWatch {
  longestStallMs: number;
}

const watches = new Set<LoopWatch>();
let timer: NodeJS.Timeout | undefined;
let lastTick = 0;

function tick(): void {
  const now = performance.now();
  const stall = now - lastTick;
  lastTick = now;
  for (const watch of watches) if (stall > watch.longestStallMs) watch.longestStallMs = stall;
}

/** Starts watching the event loop for one wait; call `stopLoopWatch` when it is over. */
export function startLoopWatch(): LoopWatch {
  const watch: LoopWatch = { longestStallMs: 0 };
  if (watches.size === 0) {
    lastTick = performance.now();
    timer = setInterval(tick, TICK_MS);
    timer.unref();
  }
  watches.add(watch);
  return watch;
}

/**
 * Stops watching; returns the longest stretch the loop did not turn during the wait, the one going
 * on now included (a timer that fires when the loop resumes may run before the watch's tick).
 */
export function stopLoopWatch(watch: LoopWatch): number {
  const current = performance.now() - lastTick;
  watches.delete(watch);
  if (watches.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
  return Math.max(watch.longestStallMs, current);
}
