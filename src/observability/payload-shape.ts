import { isSecretKey } from './logger.js';

/**
 * What an operator may see of a vendor payload the bridge could not read: its shape (keys and value
 * types, never values) for logs, and a masked, size-bounded copy for the admin samples. Vendor payloads
 * carry customer text and sometimes credentials, so neither ever holds a secret-looking value.
 */

const SHAPE_DEPTH = 4;
const SHAPE_KEYS = 30;
const SAMPLE_STRING = 200;
const SAMPLE_ITEMS = 20;
const SAMPLE_DEPTH = 6;


export type Shape = string | Shape[] | { [key: string]: Shape };

/** `{"a": 1, "b": [{"c": "x"}]}` -> `{a: 'number', b: [{c: 'string'}]}`; bounded in depth and width. */
export function shapeOf(value: unknown, depth = SHAPE_DEPTH): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    if (depth === 0) return 'array';
    // The distinct shapes of the items, so a list mixing types shows each once.
    const seen = new Map<string, Shape>();
    for (const item of value.slice(0, SAMPLE_ITEMS)) {
      const shape = shapeOf(item, depth - 1);
      seen.set(JSON.stringify(shape), shape);
    }
    return [...seen.values()];
  }
  if (typeof value === 'object') {
    if (depth === 0) return 'object';
    const out: Record<string, Shape> = {};
    const keys = Object.keys(value as object);
    for (const key of keys.slice(0, SHAPE_KEYS)) out[key] = shapeOf((value as Record<string, unknown>)[key], depth - 1);
    if (keys.length > SHAPE_KEYS) out['…'] = `${keys.length - SHAPE_KEYS} more keys`;
    return out;
  }
  return typeof value;
}

/** A copy safe to keep and show: secret-looking keys masked, long strings and lists cut, depth bounded. */
export function maskedCopy(value: unknown, depth = SAMPLE_DEPTH): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > SAMPLE_STRING ? `${value.slice(0, SAMPLE_STRING)}…(${value.length} chars)` : value;
  if (Array.isArray(value)) {
    if (depth === 0) return `[array of ${value.length}]`;
    const items = value.slice(0, SAMPLE_ITEMS).map((item) => maskedCopy(item, depth - 1));
    if (value.length > SAMPLE_ITEMS) items.push(`…(${value.length - SAMPLE_ITEMS} more)`);
    return items;
  }
  if (typeof value === 'object') {
    if (depth === 0) return '[object]';
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] = isSecretKey(key) && item !== null && item !== undefined ? '[redacted]' : maskedCopy(item, depth - 1);
    }
    return out;
  }
  return typeof value;
}
