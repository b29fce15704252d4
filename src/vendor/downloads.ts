/**
 * The pip runs of `dh-virtualenv vendor`, as argument vectors: `pip download` of what the build installs and of
 * what building it needs, and the offline check that the files found are enough. Pure: vendor.ts runs them.
 */
import { indexOptions } from '../credentials';
import type { WheelhouseLock } from '../wheelhouse';
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
  readonly constraints?: string;
}

/** The index options of vendor as pip's words and variables (credentials.ts). */
export function indexArguments(options: VendorOptions): { args: string[]; env: Record<string, string> } {
  return indexOptions(options.indexUrl, options.extraIndexUrls, {
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
    ...(source.constraints === undefined ? [] : ['--constraint', source.constraints]),
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
