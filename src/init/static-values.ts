/**
 * Dynamic metadata resolved without running any code: `attr: pkg.__version__` (setuptools), `path =
 * "pkg/__about__.py"` (hatchling, PDM), `file: VERSION`. Backends import the module or evaluate the file; we
 * only read a literal assignment, and say "unresolved" for anything else, so that init never runs project
 * code to guess a value (the setup.py path in prepared-metadata.ts runs what pip would run, and no more).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a file of the project, or undefined if it is not there. */
export function readProjectFile(dir: string, file: string): string | undefined {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** `file:` / `{ file = [...] }`: the files' text joined by newlines (setuptools' expand.read_files), trimmed. */
export function textOfFiles(dir: string, files: readonly string[]): string | undefined {
  const texts = files.map((file) => readProjectFile(dir, file));
  if (texts.length === 0 || texts.some((text) => text === undefined)) return undefined;
  return texts.join('\n').trim();
}

/**
 * The literal a module assigns to `name`: `name = "1.2"`, `name: str = '1.2'`, or a tuple of numbers
 * `name = (1, 2, 0)`, which setuptools joins with dots.
 */
export function literalAssignment(source: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const text = new RegExp(
    `^${escaped}\\s*(?::\\s*[\\w.\\[\\]]+\\s*)?=\\s*(['"])([^'"\\n]*)\\1\\s*(?:#.*)?$`,
    'm',
  );
  const quoted = text.exec(source);
  if (quoted !== null) return quoted[2];
  const tuple = new RegExp(
    `^${escaped}\\s*=\\s*\\(\\s*(\\d+(?:\\s*,\\s*\\d+)*)\\s*,?\\s*\\)\\s*(?:#.*)?$`,
    'm',
  );
  const numbers = tuple.exec(source);
  return numbers === null ? undefined : (numbers[1] ?? '').split(/\s*,\s*/).join('.');
}

/**
 * setuptools' `attr: pkg.module.__version__`: the module's file under the package directories setuptools
 * would search (package_dir's root, then src/ and the project root, as its automatic discovery does).
 */
export function valueOfAttr(
  dir: string,
  attr: string,
  packageDirs: Readonly<Record<string, string>> = {},
): string | undefined {
  const parts = attr.trim().split('.');
  const name = parts.pop();
  if (name === undefined || parts.length === 0) return undefined;
  const [top = '', ...subs] = parts;
  const roots = packageDirs[top] !== undefined ? [packageDirs[top]] : [packageDirs[''] ?? '', 'src', ''];
  for (const root of [...new Set(roots)]) {
    const base = top in packageDirs ? join(root, ...subs) : join(root, top, ...subs);
    for (const file of [`${base}.py`, join(base, '__init__.py')]) {
      const source = readProjectFile(dir, file);
      if (source === undefined) continue;
      return literalAssignment(source, name);
    }
  }
  return undefined;
}

/** hatchling's default pattern for `[tool.hatch.version] path`, also what PDM's file source looks for. */
const DEFAULT_VERSION_PATTERN = /^(?:__version__|VERSION) *= *(['"])v?(?<version>.+?)\1/im;

/**
 * The version in a file, by hatchling's rules: its default pattern, or the project's own `pattern` (a Python
 * regular expression with a group named "version"; the few Python-only spellings are translated).
 */
export function versionInFile(dir: string, file: string, pattern?: string): string | undefined {
  const source = readProjectFile(dir, file);
  if (source === undefined) return undefined;
  let regex = DEFAULT_VERSION_PATTERN;
  if (pattern !== undefined) {
    const caseless = pattern.startsWith('(?i)');
    const body = (caseless ? pattern.slice(4) : pattern)
      .replace(/\(\?P</g, '(?<')
      .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
    try {
      regex = new RegExp(body, caseless ? 'im' : 'm');
    } catch {
      return undefined;
    }
  }
  const match = regex.exec(source);
  return match?.groups?.version ?? undefined;
}
