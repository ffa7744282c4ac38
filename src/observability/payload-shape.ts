const MAX_DEPTH = 5;
const MAX_KEYS = 30;
const MAX_KEY_LENGTH = 64;

/**
 * The shape of a JSON value for a log line: object keys and value types, never the values, so a
 * payload an adapter could not read can be diagnosed without logging what customers wrote. An array
 * shows the shape of its first element and its length.
 */
export function shapeOf(value: unknown, depth = MAX_DEPTH): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (depth === 0 || value.length === 0) return `array(${value.length})`;
    return { [`array(${value.length})`]: shapeOf(value[0], depth - 1) };
  }
  if (typeof value !== 'object') return typeof value;
  if (depth === 0) return 'object';
  const entries = Object.entries(value as Record<string, unknown>);
  const shape: Record<string, unknown> = {};
  for (const [key, inner] of entries.slice(0, MAX_KEYS)) shape[key.slice(0, MAX_KEY_LENGTH)] = shapeOf(inner, depth - 1);
  if (entries.length > MAX_KEYS) shape['…'] = `${entries.length - MAX_KEYS} more keys`;
  return shape;
}
