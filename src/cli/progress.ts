import { SingleBar } from 'cli-progress';
import type { LoadProgress } from '../graph/loader.js';
import type { Output } from './output.js';

/**
 * Load progress: a bar on a terminal; on a pipe or in CI, one line every 10 % so logs stay short.
 */
export function loadProgress(
  output: Output,
  enabled: boolean,
): { update(p: LoadProgress): void; stop(): void } {
  if (!enabled) return { update() {}, stop() {} };
  if (output.interactive) {
    const bar = new SingleBar({
      format: 'loading [{bar}] {percentage}% | {value}/{total} rows | {phase} {kind}',
      stream: process.stderr,
      hideCursor: true,
    });
    let started = false;
    return {
      update(p) {
        if (!started) {
          bar.start(p.total, 0, { phase: p.phase, kind: p.kind });
          started = true;
        }
        bar.update(p.done, { phase: p.phase, kind: p.kind });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastDecile = -1;
  return {
    update(p) {
      const decile = p.total === 0 ? 10 : Math.floor((p.done / p.total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        output.err(`loading: ${p.done}/${p.total} rows (${p.phase} ${p.kind})`);
      }
    },
    stop() {},
  };
}
