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

export interface DockerStage {
  from: string;
  name: string | undefined;
  env: Record<string, string>;
  copies: string[];
  user: string | undefined;
  healthcheck: string[] | undefined;
  cmd: string[] | undefined;
}

/** The Dockerfile's stages, with the instructions the tests look at (ARG defaults substituted in FROM). */
export function parseDockerfile(text: string): DockerStage[] {
  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of instructions) {
    const [keyword, ...rest] = line.split(/\s+/);
    const body = line.slice(keyword!.length).trim();
    const stage = stages[stages.length - 1];
    switch (keyword!.toUpperCase()) {
      case 'ARG': {
        const [name, value] = body.split('=');
        if (!stage) args[name!] = value ?? '';
        break;
      }
      case 'FROM':
        stages.push({
          from: rest[0]!.replace(/\$\{(\w+)\}/g, (_m, n: string) => args[n] ?? ''),
          name: /\bAS\s+(\S+)/i.exec(body)?.[1],
          env: {},
          copies: [],
          user: undefined,
          healthcheck: undefined,
          cmd: undefined,
        });
        break;
      case 'ENV':
        for (const m of body.matchAll(/(\w+)=(\S+)/g)) stage!.env[m[1]!] = m[2]!;
        break;
      case 'COPY':
        stage!.copies.push(body);
        break;
      case 'USER':
        stage!.user = body;
        break;
      case 'HEALTHCHECK':
        stage!.healthcheck = JSON.parse(body.slice(body.indexOf('CMD') + 3)) as string[];
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(body) as string[];
        break;
      default:
    }
  }
  return stages;
}

/**
 * The shell commands of one README section's ```sh blocks: continuation lines joined, trailing comments
 * dropped, each split into words (quotes removed, $PWD left for the caller).
 */
export function readmeCommands(readme: string, heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const commands: string[][] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.replace(/\\\n\s*/g, ' ').split('\n')) {
      const words = shellWords(line);
      if (words.length > 0) commands.push(words);
    }
  }
  return commands;
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g)) {
    if (m[3] !== undefined) break;
    words.push(m[1] ?? m[2] ?? m[4]!);
  }
  return words;
}
