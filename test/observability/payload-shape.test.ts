import { maskedCopy, shapeOf } from '../../src/observability/payload-shape.js';

describe('what an operator may see of a payload the bridge could not read', () => {
  it('when a payload is described, then its shape holds keys and types, never a value', () => {
    const payload = { text: 'my card is 4111', n: 3, ok: true, none: null, items: [{ id: 'x' }, { id: 'y' }, 5], meta: { when: 'today' } };
    const shape = shapeOf(payload);
    expect(shape).toEqual({
      text: 'string',
      n: 'number',
      ok: 'boolean',
      none: 'null',
      items: [{ id: 'string' }, 'number'],
      meta: { when: 'string' },
    });
    expect(JSON.stringify(shape)).not.toMatch(/4111|today|"x"/);
  });

  it('when a payload is deep or wide, then its shape is bounded', () => {
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    expect(shapeOf(deep)).toEqual({ a: { b: { c: { d: 'object' } } } });
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const shape = shapeOf(wide) as Record<string, unknown>;
    expect(Object.keys(shape)).toHaveLength(31);
    expect(shape['…']).toBe('10 more keys');
  });

  it('when a sample is kept, then secret-looking keys are masked at any depth and sizes are bounded', () => {
    const copy = maskedCopy({
      password: 'hunter2',
      nested: { access_token: 'abc', temp_url_sig: 'sig-value', sessionId: 'node01', body: 'hello' },
      long: 'x'.repeat(1000),
      list: Array.from({ length: 30 }, (_, i) => i),
    }) as Record<string, unknown>;
    const text = JSON.stringify(copy);
    for (const secret of ['hunter2', 'abc', 'sig-value', 'node01']) expect(text).not.toContain(secret);
    expect((copy.nested as Record<string, unknown>).body).toBe('hello');
    expect(String(copy.long)).toContain('(1000 chars)');
    expect(String(copy.long).length).toBeLessThan(250);
    expect(copy.list).toHaveLength(21);
  });
});
