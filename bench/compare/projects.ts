/**
 * What `npm run bench` builds: the projects, each a source package with the bare upstream rules at debhelper
 * compat 11 (upstream 1.2.2 keeps dh_auto_configure, which stops setup.py projects from compat 12 on), and the
 * variants of ours, which add overrides to those rules.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROWS } from '../real-world/projects';
import { writeShellSource } from '../real-world/source-package';

export type Compression = 'xz' | 'zstd' | 'gzip';

/** One way of building with ours: the bare rules plus the overrides these fields ask for. */
export interface Variant {
  /** As given on the command line, e.g. "default" or "without-pip+zstd". */
  readonly name: string;
  /** dh_virtualenv --without-pip: the venv ships no pip, setuptools or wheel. */
  readonly withoutPip: boolean;
  /** dh_virtualenv --installer: pip, or uv (from DEV_UV_DIR, where scripts/install-build-deps.sh puts it). */
  readonly installer: 'pip' | 'uv';
  /** dh_builddeb -- -Z<compression>; xz is dpkg-deb's default and needs no override. */
  readonly compression: Compression;
}

/** Upstream is always built with the bare rules: the baseline a user moving to ours starts from. */
export const BARE: Variant = { name: 'default', withoutPip: false, installer: 'pip', compression: 'xz' };

/** The words a variant name is made of, joined by "+". */
const VARIANT_WORDS: Readonly<Record<string, Partial<Variant>>> = {
  'without-pip': { withoutPip: true },
  uv: { installer: 'uv' },
  xz: { compression: 'xz' },
  zstd: { compression: 'zstd' },
  gzip: { compression: 'gzip' },
};

/** "default", or words of VARIANT_WORDS joined by "+"; undefined for anything else. */
export function parseVariant(name: string): Variant | undefined {
  if (name === 'default') return BARE;
  let variant: Variant = { ...BARE, name };
  for (const word of name.split('+')) {
    const change = VARIANT_WORDS[word];
    if (change === undefined) return undefined;
    variant = { ...variant, ...change };
  }
  return variant;
}

export const VARIANT_WORD_LIST = Object.keys(VARIANT_WORDS).join(', ');

/**
 * The faster build issue 11's second targets name: a faster compression than xz, with uv or without pip in
 * the venv (the issue says uv, the benchmark's brief --without-pip; either counts, each is reported).
 */
export function isFastVariant(variant: Variant): boolean {
  return (variant.withoutPip || variant.installer === 'uv') && variant.compression !== 'xz';
}

/** Built with the options upstream has too: what the default targets are about. */
export function isDefaultVariant(variant: Variant): boolean {
  return !variant.withoutPip && variant.installer === 'pip' && variant.compression === 'xz';
}

function dhVirtualenvArguments(variant: Variant): string[] {
  return [
    ...(variant.withoutPip ? ['--without-pip'] : []),
    ...(variant.installer === 'pip' ? [] : [`--installer=${variant.installer}`]),
  ];
}

/** debian/rules: dh with the add-on, and an override for each thing the variant changes. */
export function rulesText(variant: Variant): string {
  const lines = ['#!/usr/bin/make -f', '', '%:', '\tdh $@ --with python-virtualenv'];
  const args = dhVirtualenvArguments(variant);
  if (args.length > 0) lines.push('', 'override_dh_virtualenv:', `\tdh_virtualenv ${args.join(' ')}`);
  if (variant.compression !== 'xz') {
    lines.push('', 'override_dh_builddeb:', `\tdh_builddeb -- -Z${variant.compression}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeRules(sourceDir: string, variant: Variant): void {
  const rules = join(sourceDir, 'debian', 'rules');
  writeFileSync(rules, rulesText(variant));
  chmodSync(rules, 0o755);
}

export interface BenchProject {
  /** The name on the command line. */
  readonly name: string;
  /** The binary package's name. */
  readonly pkg: string;
  /** One line for the table's heading. */
  readonly summary: string;
  /**
   * Where the source comes from: a fixture under test/fixtures/, installing from the tests' local index; or
   * the requirements of a row of bench/real-world/projects.ts around an empty setup.py, installing from the
   * download cache (bench/real-world/wheelhouse.ts).
   */
  readonly source: { readonly fixture: string } | { readonly row: string };
  /** requirements.txt: what the floor installs too. */
  readonly requirements: readonly string[];
  /** Debian packages its build needs beyond what every project's does. */
  readonly buildDepends: readonly string[];
  /** Why upstream 1.2.2 cannot build it: upstream runs once per bench, and its failure is shown. */
  readonly upstreamFails?: string;
}

function fromRow(name: string, summary: string, upstreamFails?: string): BenchProject {
  const row = ROWS.find((candidate) => candidate.name === name);
  if (row === undefined) throw new Error(`bench/real-world/projects.ts has no row ${name}`);
  return {
    name,
    pkg: `dhvt-bench-${name}`,
    summary,
    source: { row: name },
    requirements: row.requirements,
    buildDepends: row.buildDepends,
    ...(upstreamFails === undefined ? {} : { upstreamFails }),
  };
}

export const PROJECTS: readonly BenchProject[] = [
  {
    name: 'hello',
    pkg: 'dhvt-diff-hello',
    summary: 'test/fixtures/diff-hello: one module and one small requirement, from the local index',
    source: { fixture: 'diff-hello' },
    requirements: ['dhvt-greet==1.0'],
    buildDepends: [],
  },
  fromRow(
    'web',
    'web application: Django, celery, redis, requests, sentry-sdk, gunicorn, DRF, cryptography, …',
  ),
  fromRow(
    'data',
    'data application: pandas, scipy, scikit-learn, matplotlib',
    "its dh_shlibdeps looks for the libraries bundled in scipy's wheel among the system's",
  ),
  fromRow('psycopg2', 'C extension compiled from an sdist: psycopg2 against libpq-dev'),
];

/** Every project's build needs these (the floor's venv module, the pip wheel of --without-pip, GNU time). */
export const COMMON_PACKAGES = [
  'debhelper',
  'dpkg-dev',
  'python3',
  'python3-dev',
  'python3-venv',
  'python3-virtualenv',
  'python3-pip-whl',
  'time',
];

/** A source package around `project`'s requirements, as bench/real-world-native.ts writes, but at compat 11. */
export function writeSourcePackage(dir: string, project: BenchProject, variant: Variant): void {
  writeShellSource(dir, {
    pkg: project.pkg,
    requirements: project.requirements,
    buildDepends: project.buildDepends,
    compat: 11,
    description: project.name,
    by: 'bench/compare-upstream.ts',
  });
  writeRules(dir, variant);
}
