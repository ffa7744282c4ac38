import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { hasCapability } from '../ports/capabilities.js';
import type { AdapterRegistry } from '../ports/registry.js';
import { closestKey, knownKeysAt } from './known-keys.js';
import { type BridgeConfig, CoreConfig, DEFAULT_MAX_QUEUE_DEPTH, DEFAULT_REDIS_URL, type TenantConfig, TenantCore } from './schema.js';

export interface ConfigProblem {
  path: string;
  problem: string;
  /** The file the problem is in, when the configuration is a folder of files. */
  file?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.path}: ${p.problem}${p.file ? ` (in ${p.file})` : ''}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const CORE_TENANT_KEYS = new Set(['id', 'routes']);
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/**
 * `${NAME}` is not plain-scalar-safe inside YAML flow collections (`{ user: ${X} }` reads `{X}` as a
 * nested mapping), yet the contract writes it there. Placeholders are swapped for this token before
 * parsing and resolved after, so both styles mean the same.
 */
const TOKEN = (name: string) => `__cbenv__${name}__cbend__`;
const TOKENS = /__cbenv__([A-Za-z_][A-Za-z0-9_]*)__cbend__/g;

export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(root)';
}

/** zod's wording, shortened to what an operator needs; never echoes the offending value. */
function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType | undefined): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'required';
  if (issue.code === 'unrecognized_keys') {
    const known = schema ? knownKeysAt(schema, issue.path) : [];
    const named = issue.keys.map((key) => {
      const meant = closestKey(key, known);
      return meant ? `${key} (did you mean ${meant}?)` : key;
    });
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${named.join(', ')}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/** `schema` is the one that produced `error`: with it, an unknown key comes with the known key it most resembles. */
export function zodProblems(error: z.ZodError, prefix: readonly PropertyKey[] = [], schema?: z.ZodType): ConfigProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    problem: describeIssue(issue, schema),
  }));
}

/** Replaces `${NAME}` in every string value; an unset variable is a problem named by its path. */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
  at: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_m, name: string) => TOKEN(name)).replace(TOKENS, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) {
        problems.push({ path: formatPath(at), problem: `environment variable ${name} is not set` });
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, problems, [...at, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, problems, [...at, k])]),
    );
  }
  return value;
}

/** A configuration as read, and which file of a folder each part of it came from. */
export interface ReadConfig {
  doc: unknown;
  /** The file a problem path points into (`tenants[3]...`, `server.port`), for a folder; undefined for one file. */
  fileOf(path: string): string | undefined;
}

/** Reads one YAML file, or every *.yaml/*.yml in a folder (sorted; tenants concatenated). */
export function readConfigSource(source: string): unknown {
  return readConfigFiles(source).doc;
}

export function readConfigFiles(source: string): ReadConfig {
  const folder = statSync(source).isDirectory();
  const files = folder
    ? readdirSync(source)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(source, f))
    : [source];
  if (files.length === 0) throw new ConfigError([{ path: source, problem: 'no .yaml files in this folder' }]);
  const merged: Record<string, unknown> = {};
  const tenants: unknown[] = [];
  const tenantFiles: string[] = [];
  const keyFiles = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const file of files) {
    const doc = parseYamlFile(file, problems);
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ path: file, problem: 'the document must be a mapping' });
      continue;
    }
    for (const [k, v] of Object.entries(doc)) {
      if (k === 'tenants' && Array.isArray(v)) {
        tenants.push(...(v as unknown[]));
        tenantFiles.push(...(v as unknown[]).map(() => file));
      } else {
        merged[k] = v;
        keyFiles.set(k, file);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (tenants.length > 0 || !('tenants' in merged)) merged.tenants = tenants;
  const fileOf = (at: string): string | undefined => {
    if (!folder) return undefined;
    const tenant = /^tenants\[(\d+)\]/.exec(at);
    return tenant ? tenantFiles[Number(tenant[1])] : keyFiles.get(at.split(/[.[]/)[0]!);
  };
  return { doc: merged, fileOf };
}

/** A syntax error is reported against its own file, so a folder of files points at the broken one. */
function parseYamlFile(file: string, problems: ConfigProblem[]): unknown {
  try {
    return YAML.parse(readFileSync(file, 'utf8').replace(PLACEHOLDER, (_m, name: string) => TOKEN(name))) as unknown;
  } catch (err) {
    if (!(err instanceof YAML.YAMLParseError)) throw err;
    // The first line has the reason and position; the rest is a multi-line excerpt of the source.
    problems.push({ path: file, problem: `YAML syntax: ${err.message.split('\n')[0]!.replace(/:$/, '')}` });
    return undefined;
  }
}

/**
 * Validates a parsed document: the core schema, then each tenant's platform blocks against the
 * registered adapters' schemas, then routes against the platforms' roles. Collects every problem.
 */
export function parseConfig(
  raw: unknown,
  registry: AdapterRegistry,
  env: NodeJS.ProcessEnv = process.env,
): BridgeConfig {
  const problems: ConfigProblem[] = [];
  const substituted = substituteEnv(raw, env, problems) as Record<string, unknown> | null | undefined;
  const envProblems = problems.length;
  const unset = new Set(problems.map((p) => p.path));
  // An unset variable leaves an empty value that the schema refuses too: one problem per cause is enough.
  const refuse = (): never => {
    throw new ConfigError(problems.filter((p, i) => i < envProblems || !unset.has(p.path)));
  };
  if (substituted && typeof substituted === 'object' && !Array.isArray(substituted)) {
    applyEnvOverrides(substituted, env);
  }
  const core = CoreConfig.safeParse(substituted);
  const seen = new Set<string>();
  if (!core.success) {
    problems.push(...zodProblems(core.error, [], CoreConfig));
    // Tenants whose own part is valid are still checked, so one run lists every problem.
    const rawTenants: unknown = substituted?.tenants;
    if (Array.isArray(rawTenants)) {
      rawTenants.forEach((raw, i) => {
        const tenant = TenantCore.safeParse(raw);
        if (tenant.success) checkTenant(tenant.data, i, registry, seen, problems);
      });
    }
    return refuse();
  }
  const tenants = core.data.tenants.map((tenant, i) => checkTenant(tenant, i, registry, seen, problems));
  if (problems.length > 0) refuse();
  const { delivery, store } = core.data;
  return {
    ...core.data,
    store: store.cluster ? store : { ...store, url: store.url ?? DEFAULT_REDIS_URL },
    delivery: { ...delivery, maxQueueDepth: delivery.maxQueueDepth ?? DEFAULT_MAX_QUEUE_DEPTH[store.kind] },
    tenants,
  };
}

/** Checks one tenant's platform blocks and routes against the registry; returns it with validated blocks. */
function checkTenant(
  tenant: z.infer<typeof TenantCore>,
  i: number,
  registry: AdapterRegistry,
  seen: Set<string>,
  problems: ConfigProblem[],
): TenantConfig {
  if (seen.has(tenant.id)) problems.push({ path: `tenants[${i}].id`, problem: `duplicate tenant id ${tenant.id}` });
  seen.add(tenant.id);
  const platforms: Record<string, unknown> = {};
  for (const [key, block] of Object.entries(tenant)) {
    if (CORE_TENANT_KEYS.has(key)) continue;
    const factory = registry.get(key);
    if (!factory) {
      const meant = closestKey(key, registry.names());
      problems.push({ path: `tenants[${i}].${key}`, problem: `unknown platform${meant ? ` (did you mean ${meant}?)` : ''} (known: ${registry.names().join(', ')})` });
      continue;
    }
    const parsed = factory.configSchema.safeParse(block);
    if (parsed.success) platforms[key] = parsed.data;
    else problems.push(...zodProblems(parsed.error, ['tenants', i, key], factory.configSchema));
  }
  tenant.routes.forEach((route, r) => {
    const at = `tenants[${i}].routes[${r}]`;
    const block = { tenant, platforms, index: i };
    checkRole(registry, block, route.customer, 'customer', `${at}.customer`, problems);
    route.agents.forEach((a, j) => {
      const path = `${at}.agents[${j}].platform`;
      if (a.platform === route.customer) checkNativeShare(registry, a.platform, path, problems);
      else checkRole(registry, block, a.platform, 'agent', path, problems);
    });
    if (route.agents.every((a) => a.weight === 0)) {
      problems.push({ path: `${at}.agents`, problem: 'at least one agent platform needs a weight above 0' });
    }
  });
  const customers = tenant.routes.map((r) => r.customer);
  customers.forEach((c, r) => {
    if (customers.indexOf(c) !== r) {
      problems.push({ path: `tenants[${i}].routes[${r}].customer`, problem: `a second route for customer platform ${c}` });
    }
  });
  return { id: tenant.id, routes: tenant.routes, platforms };
}

function checkRole(
  registry: AdapterRegistry,
  { tenant, platforms, index }: { tenant: Record<string, unknown>; platforms: Record<string, unknown>; index: number },
  platform: string,
  role: 'customer' | 'agent',
  at: string,
  problems: ConfigProblem[],
): void {
  const factory = registry.get(platform);
  if (!factory) {
    problems.push({ path: at, problem: `unknown platform ${platform}` });
    return;
  }
  if (!factory.roles.includes(role)) {
    // A customer-only platform may still be named among the agents of its own route (the native share).
    const hint = role === 'agent' && hasCapability(factory, 'handToNativeAgents') ? `; it may be named among the agents of its own route only, as its native share` : '';
    problems.push({ path: at, problem: `${platform} cannot play the ${role} side (it supports: ${factory.roles.join(', ')})${hint}` });
  }
  if (!(platform in tenant)) problems.push({ path: at, problem: `the tenant has no ${platform} block` });
  else if (platform in platforms && factory.roles.includes(role)) {
    for (const p of factory.requirementsFor?.(role, platforms[platform]) ?? []) {
      problems.push({ path: formatPath(['tenants', index, platform, ...p.path]), problem: `${p.problem} (needed as the ${role} side, ${at})` });
    }
  }
}

/**
 * The route's customer platform named among its own agents: that share of new conversations is left to
 * the vendor's own agents (the bridge steps out), which its adapter must be able to do.
 */
function checkNativeShare(registry: AdapterRegistry, platform: string, at: string, problems: ConfigProblem[]): void {
  const factory = registry.get(platform);
  if (!factory || hasCapability(factory, 'handToNativeAgents')) return;
  problems.push({
    path: at,
    problem: `${platform} is this route's customer platform: as an agent entry it would leave that share to ${platform}'s own agents, which its adapter cannot do (no handToNativeAgents capability)`,
  });
}

/** PORT and REDIS_URL win over the file, as the contract says. */
function applyEnvOverrides(doc: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  if (env.PORT !== undefined && env.PORT !== '') {
    doc.server = { ...(doc.server as object | undefined), port: Number(env.PORT) };
  }
  if (env.REDIS_URL) doc.store = { ...(doc.store as object | undefined), url: env.REDIS_URL };
}

export function loadConfig(source: string, registry: AdapterRegistry, env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  let read: ReadConfig;
  try {
    read = readConfigFiles(source);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError([{ path: source, problem: (err as Error).message }]);
  }
  try {
    return parseConfig(read.doc, registry, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(
      err.problems.map((p) => {
        const file = p.file ?? read.fileOf(p.path);
        return file ? { ...p, file } : p;
      }),
    );
  }
}
