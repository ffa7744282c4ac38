import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readRepoFile, repoRoot } from '../support/deploy-files.js';

/**
 * The README is what a new operator reads first: its project layout names every doc and every top-level folder,
 * its sections come in an operator's order, and every relative link in it and in docs/ points at a file that exists.
 */

const readme = readRepoFile('README.md');
const layout = /### Project layout\n\n```\n([\s\S]*?)```/.exec(readme)![1]!;

describe('README', () => {
  it('lists every doc in docs/ in its project layout', () => {
    const docs = readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md'));
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) expect(layout).toContain(doc);
  });

  it('lists every top-level folder in its project layout', () => {
    const folders = readdirSync(repoRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'dist', 'coverage'].includes(e.name))
      .map((e) => e.name);
    for (const folder of folders) expect(layout).toMatch(new RegExp(`^${folder}[/ ]`, 'm'));
  });

  it('is ordered for operators: what it is, quick start, production, configuration, operations, development', () => {
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['Quick start', 'Production', 'Configuration', 'Operations', 'Development']);
  });

  it.each(['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)])(
    '%s links only to files that exist',
    (file) => {
      const text = readRepoFile(file);
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const resolved = path.resolve(path.dirname(path.join(repoRoot, file)), target!);
        expect(readdirSync(path.dirname(resolved))).toContain(path.basename(resolved));
      }
    },
  );
});
