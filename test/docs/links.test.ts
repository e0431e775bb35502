import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** README.md and every Markdown file under docs/, as paths relative to the repository root. */
function documentationFiles(): string[] {
  const found = ['README.md'];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk('docs');
  return found.sort();
}

/** The text outside fenced code blocks and inline code, where Markdown links live. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Inline links and images: `[text](target)` or `[text](target "title")`. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
}

/** GitHub's heading anchors: lower-cased, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = heading!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Why a relative link from `file` is broken, or undefined when it resolves. */
function brokenBecause(file: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#', 2);
  const resolved = path === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), decodeURIComponent(path));
  if (relative(ROOT, resolved).startsWith('..')) return 'points outside the repository';
  if (!existsSync(resolved)) return 'no such file';
  if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return undefined;
  return headingAnchors(readFileSync(resolved, 'utf8')).has(anchor) ? undefined : `no heading #${anchor}`;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** Citations of documents outside the repository; the docs state the rule itself instead. */
const OUTSIDE_CITATIONS = [/\bSPEC\b/, /\.\.\/shared\//, /\b(?:issue|PR) #?\d+/i];

describe('documentation', () => {
  const files = documentationFiles();

  it('covers the README and the docs/ pages', () => {
    expect(files).toContain('README.md');
    expect(files).toContain(join('docs', 'architecture.md'));
  });

  it.each(files)('%s: every relative link resolves to a file in the repository, and every #anchor to a heading', (file) => {
    const markdown = readFileSync(join(ROOT, file), 'utf8');
    const broken = linkTargets(markdown)
      .filter((target) => !EXTERNAL.test(target))
      .map((target) => ({ target, problem: brokenBecause(file, target) }))
      .filter(({ problem }) => problem !== undefined);
    expect(broken).toEqual([]);
  });

  it.each(files)('%s: cites nothing outside the repository', (file) => {
    const markdown = readFileSync(join(ROOT, file), 'utf8');
    const citations = markdown
      .split('\n')
      .filter((line) => OUTSIDE_CITATIONS.some((pattern) => pattern.test(line)))
      .map((line) => line.trim());
    expect(citations).toEqual([]);
  });
});
