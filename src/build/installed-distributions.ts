/**
 * What a venv holds, as its own metadata says: one `.dist-info` directory (or, for projects installed the
 * legacy setuptools way, one `.egg-info`) per distribution in site-packages. The bill of materials (sbom.ts)
 * lists exactly these, so it cannot claim more or less than pip would see in the shipped venv.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCoreMetadata } from '../init/core-metadata';
import { normalizeName } from '../init/requirements';
import { sitePackagesDirs } from './record';

export interface InstalledDistribution {
  /** As its metadata spells it (Name:). */
  readonly name: string;
  /** PEP 503 normalized, the key reports and lock files are matched by. */
  readonly key: string;
  readonly version: string;
  readonly summary: string | undefined;
  /** PEP 639 License-Expression, the free-form License field, and the `License ::` classifiers. */
  readonly licenseExpression: string | undefined;
  readonly licenseText: string | undefined;
  readonly classifiers: readonly string[];
  /** Its metadata directory relative to the venv, for messages. */
  readonly metadataDir: string;
}

/** Header values such as "UNKNOWN" (setuptools' word for an unset field) say nothing. */
function meaningful(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' || trimmed === 'UNKNOWN' ? undefined : trimmed;
}

/** One distribution from the text of its METADATA (or PKG-INFO); undefined without a name and version. */
export function distributionFromMetadata(
  text: string,
  metadataDir: string,
): InstalledDistribution | undefined {
  const { headers } = parseCoreMetadata(text);
  const first = (name: string): string | undefined => meaningful(headers.get(name)?.[0]);
  const name = first('name');
  const version = first('version');
  if (name === undefined || version === undefined) return undefined;
  return {
    name,
    key: normalizeName(name),
    version,
    summary: first('summary'),
    licenseExpression: first('license-expression'),
    licenseText: first('license'),
    classifiers: (headers.get('classifier') ?? []).filter((classifier) =>
      classifier.startsWith('License ::'),
    ),
    metadataDir,
  };
}

/** The metadata file of a `.dist-info` or `.egg-info` directory entry, if it is one. */
function metadataFile(site: string, entry: string): string | undefined {
  const path = join(site, entry);
  if (entry.endsWith('.dist-info') && lstatSync(path).isDirectory()) return join(path, 'METADATA');
  if (entry.endsWith('.egg-info')) return lstatSync(path).isDirectory() ? join(path, 'PKG-INFO') : path;
  return undefined;
}

/** Every distribution installed in the venv, sorted by normalized name, then version. */
export function installedDistributions(venv: string): InstalledDistribution[] {
  const found: InstalledDistribution[] = [];
  for (const site of sitePackagesDirs(venv)) {
    for (const entry of readdirSync(site).sort()) {
      const file = metadataFile(site, entry);
      if (file === undefined || !existsSync(file)) continue;
      const distribution = distributionFromMetadata(
        readFileSync(file, 'utf8'),
        relative(venv, join(site, entry)),
      );
      if (distribution !== undefined) found.push(distribution);
    }
  }
  return found.sort((a, b) => compareText(a.key, b.key) || compareText(a.version, b.version));
}

/** Code-point order, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
