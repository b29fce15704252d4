/**
 * What `init` needs to know of a Python project, as one reader (pyproject.ts, poetry.ts, setup-cfg.ts,
 * core-metadata.ts) found it. Every field may be missing: plan.ts decides which gaps a flag must fill.
 */

export interface Person {
  readonly name?: string;
  readonly email?: string;
}

export type ReadmeType = 'markdown' | 'rst' | 'plain';

export interface Readme {
  readonly text: string;
  readonly type: ReadmeType;
}

export interface LicenseInfo {
  /** An SPDX expression, as PEP 639 (License-Expression, `license = "MIT"`) or Poetry give it. */
  readonly expression?: string;
  /** The older free-form field (`License:`, setup.cfg `license`, `license = { text = … }`). */
  readonly text?: string;
  /** Trove classifiers, `License :: …` ones among them. */
  readonly classifiers: readonly string[];
  /** License files the metadata names, relative to the project (globs already expanded). */
  readonly files: readonly string[];
}

/** Fields the metadata declares but that only running the build could tell, with why. */
export type Unresolved = Partial<Record<'name' | 'version' | 'summary', string>>;

export interface ProjectMetadata {
  /** Where it was read, for messages and the generated files' comments, e.g. "pyproject.toml [project]". */
  readonly origin: string;
  readonly name?: string;
  readonly version?: string;
  readonly summary?: string;
  readonly readme?: Readme;
  readonly license: LicenseInfo;
  readonly homepage?: string;
  readonly authors: readonly Person[];
  /** PEP 508 requirement strings the project always needs (those of its extras are left out: dh_virtualenv installs
   * none unless --extras asks). */
  readonly requirements: readonly string[];
  /** Console and GUI scripts: the names pip writes into the venv's bin/. */
  readonly scripts: readonly string[];
  /** `[build-system] requires`: what pip installs to build the project. */
  readonly buildRequires: readonly string[];
  readonly unresolved: Unresolved;
}

export const NO_LICENSE: LicenseInfo = { classifiers: [], files: [] };

/** `readme` by file name, as PEP 621 decides the content type from the extension. */
export function readmeType(file: string, contentType?: string): ReadmeType {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/markdown') return 'markdown';
  if (type === 'text/x-rst') return 'rst';
  if (type === 'text/plain') return 'plain';
  if (/\.(md|markdown)$/i.test(file)) return 'markdown';
  if (/\.rst$/i.test(file)) return 'rst';
  return 'plain';
}

/** "Jane Doe <jane@example.org>" or "jane@example.org" (Poetry's authors, Author-email) as a Person. */
export function parsePerson(text: string): Person | undefined {
  const trimmed = text.trim();
  const match = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(trimmed);
  if (match !== null) {
    const name = (match[1] ?? '').replace(/^"|"$/g, '').trim();
    return name === '' ? { email: match[2] ?? '' } : { name, email: match[2] ?? '' };
  }
  if (/^[^\s@]+@[^\s@]+$/.test(trimmed)) return { email: trimmed };
  return trimmed === '' ? undefined : { name: trimmed };
}

/**
 * The home page among a project's URLs. PEP 753 normalizes labels (lower case, punctuation and spaces
 * removed) and names "homepage" first; the source repository is the next best thing for Debian's Homepage.
 */
export function homepageOf(
  urls: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): string | undefined {
  const entries = urls instanceof Map ? [...urls.entries()] : Object.entries(urls);
  const byLabel = new Map(
    entries.map(([label, url]) => [label.toLowerCase().replace(/[^a-z0-9]/g, ''), url]),
  );
  for (const label of ['homepage', 'home', 'source', 'sourcecode', 'repository', 'github', 'code']) {
    const url = byLabel.get(label);
    if (url !== undefined && /^https?:\/\//.test(url)) return url;
  }
  return undefined;
}
