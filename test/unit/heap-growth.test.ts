import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, HEAP_GROWING_PERCENT } from '../../src/heap-growth.js';

describe('boundHeapGrowth', () => {
  it('sets the growing factor when the process was given none', () => {
    expect(boundHeapGrowth([], undefined)).toBe(HEAP_GROWING_PERCENT);
    expect(boundHeapGrowth(['--max-old-space-size=2048'], '--enable-source-maps')).toBe(HEAP_GROWING_PERCENT);
  });

  it("keeps the process's own factor, from its flags or NODE_OPTIONS, in either spelling", () => {
    expect(boundHeapGrowth(['--heap-growing-percent=30'], undefined)).toBeUndefined();
    expect(boundHeapGrowth([], '--max-old-space-size=4096 --heap_growing_percent=50')).toBeUndefined();
  });

  it('names a flag this Node knows (setFlagsFromString ignores an unknown one silently)', () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).toMatch(/--heap-growing-percent \(/);
  });
});
