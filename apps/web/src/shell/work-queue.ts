/**
 * A page engine's requests, run one at a time in the order they came (a request that arrives
 * during training waits for it). A request that fails is logged and reported through `failed`,
 * with the request's name, and the queue goes on with the next.
 */
export class WorkQueue<During extends string> {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly failed: (during: During, message: string) => void) {}

  /** Runs `work` once everything queued before it has run. */
  add(during: During, work: () => Promise<unknown>): void {
    this.tail = this.tail
      .then(async () => {
        await work();
      })
      .catch((error: unknown) => {
        console.error(error);
        this.failed(during, error instanceof Error ? error.message : String(error));
      });
  }
}
