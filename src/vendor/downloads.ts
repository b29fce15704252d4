/**
 * The pip runs of `dh-virtualenv vendor`, as argument vectors: `pip download` of what the build installs and of
 * what building it needs, and the offline check that the files found are enough. Pure: vendor.ts runs them.
 */
import { indexOptions } from '../core/credentials';
import type { WheelhouseLock } from '../build/wheelhouse';
import type { VendorOptions } from './options';

/** What one `pip download` fetches. */
export interface DownloadInputs {
  /** Requirements files, as paths pip can open. */
  readonly requirementFiles: readonly string[];
  /** Requirement specifiers and local directories (".[extra]" for the project, run in its directory). */
  readonly specs: readonly string[];
}

export interface DownloadSource {
  /** Fetch from the index (false: only from findLinks). */
  readonly online: boolean;
  readonly findLinks: readonly string[];
  /** Constraints files: the lock's pins, the build constraints. */
  readonly constraints: readonly string[];
}

/** The index options of the build as pip's words and variables (credentials.ts). */
export function indexArguments(
  indexUrl: string | undefined,
  extraIndexUrls: readonly string[],
): { args: string[]; env: Record<string, string> } {
  return indexOptions(indexUrl, extraIndexUrls, {
    index: 'PIP_INDEX_URL',
    extra: 'PIP_EXTRA_INDEX_URL',
  });
}

export function downloadArgv(
  pip: readonly string[],
  dest: string,
  inputs: DownloadInputs,
  source: DownloadSource,
  indexArgs: readonly string[],
): string[] {
  return [
    ...pip,
    'download',
    '--dest',
    dest,
    '--progress-bar',
    'off',
    ...(source.online ? indexArgs : ['--no-index']),
    ...source.findLinks.flatMap((dir) => ['--find-links', dir]),
    ...source.constraints.flatMap((file) => ['--constraint', file]),
    ...inputs.requirementFiles.flatMap((file) => ['--requirement', file]),
    ...inputs.specs,
  ];
}

/**
 * The constraints that keep locked distributions where they are: `name==version` for each, but those the
 * user lets move. Empty when nothing is locked.
 */
export function lockConstraints(
  lock: WheelhouseLock | undefined,
  upgrade: VendorOptions['upgrade'],
): string[] {
  if (lock === undefined || upgrade === 'all') return [];
  const pins = new Map<string, string>();
  for (const entry of lock.files) {
    if (!upgrade.has(entry.name)) pins.set(entry.name, entry.version);
  }
  return [...pins]
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([name, version]) => `${name}==${version}`);
}

/**
 * The requirement an offline `pip download` did not find, from its error output: what building an sdist or
 * the project asks for beyond its declared build requirements (setuptools' setup_requires, a backend's
 * get_requires_for_build_wheel). undefined when the failure is something else.
 */
export function missingRequirement(stderr: string): string | undefined {
  const found = /Could not find a version that satisfies the requirement (\S+)/.exec(stderr);
  return found?.[1];
}

/** Upgrading a name nothing locked holds is most likely a typo. */
export function unknownUpgrades(
  lock: WheelhouseLock | undefined,
  upgrade: VendorOptions['upgrade'],
): string[] {
  if (upgrade === 'all') return [];
  const locked = new Set(lock?.files.map((entry) => entry.name) ?? []);
  return [...upgrade].filter((name) => !locked.has(name)).sort();
}

/** One `pip download` of a package's inputs, and the pins it is held to beyond the lock's. */
export interface DownloadRun {
  readonly inputs: DownloadInputs;
  /** Its requirements all carry hashes: pip then checks every file, and takes no constraints. */
  readonly hashed: boolean;
  readonly pins: readonly string[];
}

/** The `name==version` pins of a requirements file (a hash-pinned one pins every line so). */
export function pinsOf(text: string): string[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)/.exec(line);
    return match === null ? [] : [`${match[1] ?? ''}==${match[2] ?? ''}`];
  });
}

/**
 * The runs that fetch one package's inputs. pip checks hashes for a whole run once one requirement has one,
 * and a local directory (the project) has none; so, as the build does, hash-pinned requirements files go in
 * a run of their own, and the rest in another, held to the versions those files pin.
 */
export function downloadRuns(inputs: DownloadInputs, texts: ReadonlyMap<string, string>): DownloadRun[] {
  const isHashed = (path: string): boolean => /--hash[=\s]/.test(texts.get(path) ?? '');
  const hashed = inputs.requirementFiles.filter(isHashed);
  if (hashed.length === 0) return [{ inputs, hashed: false, pins: [] }];
  const rest: DownloadInputs = {
    requirementFiles: inputs.requirementFiles.filter((path) => !isHashed(path)),
    specs: inputs.specs,
  };
  return [
    { inputs: { requirementFiles: hashed, specs: [] }, hashed: true, pins: [] },
    ...(rest.requirementFiles.length + rest.specs.length > 0
      ? [{ inputs: rest, hashed: false, pins: hashed.flatMap((path) => pinsOf(texts.get(path) ?? '')) }]
      : []),
  ];
}
