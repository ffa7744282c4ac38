import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** Helpers for the tests of what an operator deploys (deploy/, config/, the README's commands). */

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export const readRepoFile = (file: string): string => readFileSync(path.join(repoRoot, file), 'utf8');

/** Every ${NAME} in a configuration's values (not in its comments), sorted. */
export function configVariables(file: string): string[] {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') for (const m of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1]!);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(YAML.parse(readRepoFile(file)));
  return [...names].sort();
}

/** A Docker/Compose env file (`NAME=value` lines, `#` comments), as `docker run --env-file` reads it. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new Error(`not NAME=value: ${line}`);
    env[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return env;
}

/** The example configuration's drain timeout, which every orchestrator's grace period must exceed. */
export function exampleDrainTimeoutSeconds(): number {
  const config = YAML.parse(readRepoFile('config/example.yaml')) as { delivery?: { drainTimeoutMs?: number } };
  return (config.delivery?.drainTimeoutMs ?? 10_000) / 1000;
}
