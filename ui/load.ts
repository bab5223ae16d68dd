import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'ready'; value: T };

/**
 * Data a component shows, fetched again whenever its key changes (the page's parameters): the
 * previous request is aborted, so a fast typist never sees an older answer replace a newer one.
 */
export class Loader<T> implements ReactiveController {
  state: LoadState<T> = { status: 'loading' };
  private key: string | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly key_: () => string,
    private readonly fetch_: (signal: AbortSignal) => Promise<T>,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const key = this.key_();
    if (key !== this.key) {
      this.key = key;
      this.run();
    }
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.key = undefined;
  }

  /** Fetch again with the same key (after a token was given). */
  reload(): void {
    this.run();
    this.host.requestUpdate();
  }

  private run(): void {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.state = { status: 'loading' };
    this.fetch_(abort.signal).then(
      (value) => {
        if (abort.signal.aborted) return;
        this.state = { status: 'ready', value };
        this.host.requestUpdate();
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        this.state = { status: 'error', error: error instanceof Error ? error : new Error(String(error)) };
        this.host.requestUpdate();
      },
    );
  }
}
