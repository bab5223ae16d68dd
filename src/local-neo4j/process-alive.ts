import { readFileSync } from 'node:fs';

/**
 * True while `pid` is a running process. A zombie (exited, not yet reaped by its parent, e.g. when
 * the parent was SIGKILLed and the reaper is slow) counts as gone: it holds no store lock or port.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 3, after the parenthesised command name (which may itself contain spaces or parens).
      const processState = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return processState !== 'Z' && processState !== 'X';
    } catch {
      return false; // vanished between the two checks
    }
  }
  return true;
}
