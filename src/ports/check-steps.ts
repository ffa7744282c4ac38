import { AuthExpiredError, DeliveryError } from '../errors.js';

/**
 * The shape of every `chatbridge <platform> check`: steps in order, each on its own line with OK and what
 * it found, or FAIL with what failed and what to do. A step after a failure is skipped (they build on
 * each other: no token, no session). Messages come from the error catalogue: never a body or a secret.
 */
export interface CheckStep {
  name: string;
  /** Resolves with what it found (printed after OK); rejects with what failed. */
  run(): Promise<string | undefined | void>;
  /** What the operator should do about this step's failure. */
  advice(err: unknown): string;
  /** Runs even after an earlier step failed, when what it needs exists (a logoff after a failed poll). */
  cleanup?: () => boolean;
}

export async function runCheckSteps(steps: CheckStep[], print: (line: string) => void): Promise<boolean> {
  let failed: string | undefined;
  for (const step of steps) {
    if (failed && !step.cleanup?.()) {
      print(`SKIP  ${step.name}: needs "${failed}"`);
      continue;
    }
    try {
      const found = await step.run();
      print(`OK    ${step.name}${found ? `: ${found}` : ''}`);
    } catch (err) {
      failed ??= step.name;
      print(`FAIL  ${step.name}: ${err instanceof Error ? err.message : String(err)}`);
      print(`      what to do: ${step.advice(err)}`);
    }
  }
  print(failed ? `check failed at "${failed}"` : 'all checks passed');
  return failed === undefined;
}

/** Advice for the common ways a vendor call fails; `hints` says it in the vendor's own terms. */
export function vendorAdvice(err: unknown, hints: { credentials: string; address: string }): string {
  if (err instanceof AuthExpiredError) return hints.credentials;
  if (err instanceof DeliveryError) {
    if (err.status === undefined) return `nothing answered: ${hints.address}, and that this machine can reach it (proxy, firewall)`;
    if (err.status === 404) return `the vendor does not know that address: ${hints.address}`;
    if (err.status >= 500) return 'the vendor answered with a server error: try again later, then ask its support with the time of this check';
    if (err.status === 401 || err.status === 403) return hints.credentials;
  }
  return 'compare the configuration block with the vendor account (see docs/onboarding.md)';
}
