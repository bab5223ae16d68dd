import { SingleBar } from 'cli-progress';
import { beginOpenGraph } from '../graph/connection.js';
import type { GraphExecutor } from '../graph/executor.js';
import type { LoadProgress } from '../graph/loader.js';
import type { CliContext } from './context.js';
import { positiveInteger } from './flags.js';
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

/**
 * Runs one load against the graph as a command's main work: the graph opened for it and closed
 * after, SIGINT/SIGTERM turned into an interrupted run (exit 130), the progress bar stopped either
 * way. The work gets the graph while it may still be opening (`beginOpenGraph`: a local server
 * started for the command), so what it does before it awaits the executor overlaps the server's start.
 */
export async function runGraphLoad<T>(
  ctx: CliContext,
  showProgress: boolean,
  work: (
    graph: Promise<GraphExecutor>,
    hooks: { signal: AbortSignal; onProgress(p: LoadProgress): void },
  ) => Promise<T>,
): Promise<T> {
  const { connection } = await beginOpenGraph(ctx.config, {
    onProgress: (m) => ctx.output.err(m),
    shortRun: true,
  });
  const executor = connection.then((graph) => graph.executor);
  executor.catch(() => {}); // reported where the work awaits it
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => abort.abort(`interrupted by ${signal}`);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = loadProgress(ctx.output, showProgress);
  try {
    const result = await work(executor, {
      signal: abort.signal,
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    return result;
  } catch (error) {
    progress.stop();
    if (abort.signal.aborted) ctx.exitCode = 130;
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // A server still starting when the work failed is stopped once it is up (it cannot be cancelled).
    await connection.then(
      (graph) => graph.close(),
      () => {},
    );
  }
}

/** `--batch-size`, else the configured one; a bad value names the flag. */
export function batchSizeOf(flag: string | undefined, configured: number): number {
  return flag === undefined ? configured : positiveInteger(flag, '--batch-size');
}
