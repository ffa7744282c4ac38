/**
 * Retries an assertion until it passes or `timeoutMs` runs out, then rethrows its last failure.
 * For outcomes that happen "soon" (TTL expiry): the test waits for the effect, never asserts a duration.
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10_000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
