import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Simulators that must be a second opinion: their own reading of the vendor docs, nothing borrowed from the adapter. */
const SIMULATORS = ['adapters/egain/simulator', 'adapters/liveperson/simulator', 'adapters/rightnow/simulator'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function importsOf(source: string): string[] {
  const specifiers = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g);
  return [...specifiers].map((m) => m[1]!);
}

describe('vendor simulators import nothing from their adapter', () => {
  it.each(SIMULATORS)('%s imports only its own files and packages', (simulator) => {
    const folder = join(root, simulator);
    const files = sourceFiles(folder);
    expect(files.length).toBeGreaterThan(0);
    const outside = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.') && relative(folder, resolve(dirname(file), spec)).startsWith('..'))
        .map((spec) => `${relative(root, file)} -> ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it('the check sees a relative import that leaves the folder', () => {
    expect(importsOf("import { x } from '../wire.js';\nimport type { Y } from './state.js';")).toEqual(['../wire.js', './state.js']);
  });
});
