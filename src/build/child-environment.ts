/**
 * Which parts of the build host's environment reach Python, virtualenv and pip. A build farm's shell may carry
 * PYTHONPATH, PIP_TARGET or PIP_USER from somebody's profile; any of those silently changes what lands in the
 * package. So PYTHON* never passes, and of PIP_* only what says where and how to fetch (index, proxy,
 * certificates, timeouts, cache) passes; the same goes for pip's configuration files (pip-configuration.ts).
 * VIRTUALENV_* never passes (dh_virtualenv's options say how the venv is made). Everything else (PATH,
 * proxies, locale, DEB_*) passes unchanged.
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
 * uv reads none of pip's variables. Those that say where and how to fetch from are handed to it under uv's
 * names (an explicit UV_* of the host wins), so --installer uv fetches from the same place as pip would. Of
 * uv's own, only the same kind passes: UV_COMPILE_BYTECODE, UV_CONSTRAINT or UV_PYTHON would change what
 * lands in the package.
 */
const UV_FETCH_SETTINGS = new Set([
  'UV_INDEX_URL',
  'UV_EXTRA_INDEX_URL',
  'UV_INDEX',
  'UV_DEFAULT_INDEX',
  'UV_FIND_LINKS',
  'UV_NO_INDEX',
  'UV_INSECURE_HOST',
  'UV_CACHE_DIR',
  'UV_NO_CACHE',
  'UV_OFFLINE',
  'UV_NATIVE_TLS',
  'UV_HTTP_TIMEOUT',
  'UV_KEYRING_PROVIDER',
  'UV_CONCURRENT_DOWNLOADS',
]);

/** pip's variable, uv's, and how a value is carried over ("a b" lists become "a,b" where uv wants commas). */
const PIP_TO_UV: readonly (readonly [string, string, (value: string) => string])[] = [
  ['PIP_INDEX_URL', 'UV_INDEX_URL', (value) => value],
  ['PIP_EXTRA_INDEX_URL', 'UV_EXTRA_INDEX_URL', (value) => value],
  ['PIP_FIND_LINKS', 'UV_FIND_LINKS', (value) => value.trim().split(/\s+/).join(',')],
  ['PIP_TRUSTED_HOST', 'UV_INSECURE_HOST', (value) => value],
  ['PIP_NO_CACHE_DIR', 'UV_NO_CACHE', (value) => (isTrue(value) ? '1' : '0')],
];

/** How pip reads a yes/no variable (PIP_NO_INDEX=yes). */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

/** pip's spelling of os.devnull: as PIP_CONFIG_FILE, it makes pip read no configuration file at all. */
export const NO_CONFIG_FILE = '/dev/null';

/**
 * Set on every child: a build must never wait for input; pip's self-check would reach out to PyPI; byte code
 * written while pip and setuptools run would ship the build host's caches (with the build path inside), so the
 * postinst compiles it on the target instead; and pip reads no configuration file of the build host, whose
 * fetch settings pip-configuration.ts hands over as variables. Nor do virtualenv and uv: a virtualenv.ini with
 * system_site_packages, or a uv.toml with compile-bytecode, would change the package as surely as a pip.conf;
 * uv takes its index from dh_virtualenv's options and the fetch variables above.
 */
const FIXED: Readonly<Record<string, string>> = {
  PIP_NO_INPUT: '1',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PIP_CONFIG_FILE: NO_CONFIG_FILE,
  VIRTUALENV_CONFIG_FILE: NO_CONFIG_FILE,
  UV_NO_CONFIG: '1',
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
  if (name.startsWith('UV_')) return UV_FETCH_SETTINGS.has(name);
  // VIRTUALENV_SYSTEM_SITE_PACKAGES, VIRTUALENV_DOWNLOAD, VIRTUALENV_SEEDER…: each changes the venv made.
  if (name.startsWith('VIRTUALENV_')) return false;
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
  for (const [pip, uv, carry] of PIP_TO_UV) {
    const value = env[pip];
    if (value !== undefined && env[uv] === undefined) env[uv] = carry(value);
  }
  return { env: Object.freeze({ ...env, ...FIXED }), dropped: dropped.sort() };
}
