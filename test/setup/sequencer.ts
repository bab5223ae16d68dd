import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest files first across both projects. Vitest's own order hands out one project's files before
 * the other's; with unit and integration files in one pool of workers, a long file handed out last
 * runs alone at the end. The last run's durations order the files when all are known, else the
 * larger file goes first.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const key = (file: TestSpecification) => `${file.project.name}:${relative(config.root, file.moduleId)}`;
    const durations = files.map((file) => cache.getFileTestResults(key(file))?.duration);
    const known = durations.every((duration) => duration !== undefined);
    const weight = new Map(
      files.map((file, i) => [
        file,
        known ? (durations[i] ?? 0) : (cache.getFileStats(key(file))?.size ?? 0),
      ]),
    );
    return [...files].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        (weight.get(b) ?? 0) - (weight.get(a) ?? 0),
    );
  }
}
