/**
 * The base of every error that tells the user what went wrong (a bad file, an unreachable server,
 * a failed load): its message is complete on its own, naming the object and the problem, so the CLI
 * prints it as it is, after `reachgraph: `, without a stack. Any other error is a defect.
 */
export class ReachgraphError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
