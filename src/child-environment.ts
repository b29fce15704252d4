/**
 * Which parts of the build host's environment reach Python, virtualenv and pip. A build farm's shell may carry
 * PYTHONPATH, PIP_TARGET or PIP_USER from somebody's profile; any of those silently changes what lands in the
 * package. So PYTHON* never passes, and of PIP_* only what says where and how to fetch (index, proxy,
 * certificates, timeouts, cache) passes. Everything else (PATH, proxies, locale, DEB_*) passes unchanged.
 */
const PIP_FETCH_SETTINGS = new Set([
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_FIND_LINKS',
  'PIP_NO_INDEX',
  'PIP_TRUSTED_HOST',
  'PIP_CERT',
  'PIP_CLIENT_CERT',
  'PIP_PROXY',
  'PIP_TIMEOUT',
  'PIP_DEFAULT_TIMEOUT',
  'PIP_RETRIES',
  'PIP_CACHE_DIR',
  'PIP_NO_CACHE_DIR',
  'PIP_KEYRING_PROVIDER',
  'PIP_PROGRESS_BAR',
]);

/**
 * Set on every child: a build must never wait for input; pip's self-check would reach out to PyPI; and byte
 * code written while pip and setuptools run would ship the build host's caches (with the build path inside).
 * Byte code is compiled on the target by the postinst instead.
 */
const FIXED: Readonly<Record<string, string>> = {
  PIP_NO_INPUT: '1',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PYTHONDONTWRITEBYTECODE: '1',
};

export interface ChildEnvironment {
  readonly env: Readonly<Record<string, string>>;
  /** Names of host variables that were held back, for the verbose log. */
  readonly dropped: readonly string[];
}

export function isPassedToPython(name: string): boolean {
  if (name.startsWith('PYTHON')) return false;
  if (name === 'VIRTUAL_ENV' || name === '__PYVENV_LAUNCHER__') return false;
  if (name.startsWith('PIP_')) return PIP_FETCH_SETTINGS.has(name);
  return true;
}

export function childEnvironment(host: Readonly<Record<string, string | undefined>>): ChildEnvironment {
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined) continue;
    if (isPassedToPython(name)) env[name] = value;
    else dropped.push(name);
  }
  return { env: Object.freeze({ ...env, ...FIXED }), dropped: dropped.sort() };
}
