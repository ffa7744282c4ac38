import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { AgentTarget, CoreConfig, Route, TenantCore } from '../../src/config/schema.js';
import { createRegistry } from '../../src/composition-root.js';

/**
 * The README and docs/configuration.md are what operators copy from: the example must load with the real
 * registry, the README must show the same example as config/example.yaml, and every key the schemas accept
 * must be documented.
 */

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const example = read('config/example.yaml');
const registry = createRegistry();

/** A value for every ${NAME} the file names, long enough for every minimum length. */
function envFor(text: string): NodeJS.ProcessEnv {
  const names = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((n) => [n, `value-of-${n}-0123456789`]));
}

/** The object schema under refinements and transforms, so its keys can be listed. */
function keysOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return keysOf(schema.in as z.ZodType);
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return keysOf(schema.unwrap() as z.ZodType);
  throw new Error('not an object schema');
}

describe('documented configuration', () => {
  it('when config/example.yaml is loaded with its variables set, then it is valid and routes as its comments say', () => {
    const config = parseConfig(YAML.parse(example), registry, envFor(example));
    expect(config.store.kind).toBe('redis');
    expect(config.tenants.map((t) => t.id)).toEqual(['acme']);
    expect(config.tenants[0]!.routes).toEqual([
      { customer: 'rightnow', agents: [{ platform: 'egain', weight: 90 }, { platform: 'liveperson', weight: 10 }] },
      { customer: 'egain', agents: [{ platform: 'liveperson', weight: 100 }] },
    ]);
  });

  it('when a variable of the example is unset, then the problem names its path', () => {
    const env = envFor(example);
    delete env.ACME_LP_CLIENT_SECRET;
    let problems: unknown;
    try {
      parseConfig(YAML.parse(example), registry, env);
    } catch (err) {
      problems = err instanceof ConfigError ? err.problems : err;
    }
    expect(problems).toContainEqual({
      path: 'tenants[0].liveperson.clientSecret',
      problem: 'environment variable ACME_LP_CLIENT_SECRET is not set',
    });
  });

  it('when the README shows the production example, then it is config/example.yaml without its header comments', () => {
    const block = /A complete production example[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(read('README.md'));
    expect(block).not.toBeNull();
    expect(block![1]).toBe(example.replace(/^(#[^\n]*\n)+/, ''));
  });

  it('when a schema accepts a key, then its section of docs/configuration.md documents it', () => {
    const sections = new Map(
      read('docs/configuration.md')
        .split(/^#{2,3} /m)
        .map((part) => [part.slice(0, part.indexOf('\n')), part] as const),
    );
    const schemas: [string, z.ZodType][] = [
      ['Top level', CoreConfig],
      ['`server`', CoreConfig.shape.server],
      ['`store`', CoreConfig.shape.store],
      ['`delivery`', CoreConfig.shape.delivery],
      ['`logging`', CoreConfig.shape.logging],
      ['`transcripts`', CoreConfig.shape.transcripts],
      ['`tenants[]`', TenantCore],
      ['`tenants[].routes[]`', Route],
      ['`tenants[].routes[]`', AgentTarget],
      ...registry.names().map((name): [string, z.ZodType] => [`\`tenants[].${name}\``, registry.get(name)!.configSchema as z.ZodType]),
    ];
    const missing = schemas.flatMap(([heading, schema]) => {
      const text = sections.get(heading) ?? '';
      return keysOf(schema)
        .filter((key) => !text.includes(`\`${key}\``) && !text.includes(`.${key}\``))
        .map((key) => `${heading} ${key}`);
    });
    expect(missing).toEqual([]);
  });
});
