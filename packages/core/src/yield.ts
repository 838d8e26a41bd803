/**
 * Lets the event loop run (timers, messages, a page's rendering) during long work made of
 * many short synchronous steps. `await` alone does not: a resolved promise continues as a
 * microtask, before any message or timer, so a training loop that only awaits tensors holds
 * the thread for its whole run — a frozen page, or a worker that cannot answer. Call the
 * returned function after each step; it yields a macrotask when `everyMs` have passed.
 */
export function eventLoopYielder(everyMs = 50): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < everyMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}
