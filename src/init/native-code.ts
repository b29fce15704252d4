/**
 * Whether compiled code can end up in the virtualenv, and what building it needs from Debian. Two small
 * tables decide: distributions that PyPI only has as sdists with C code linking a system library (pip
 * compiles them during the package build, against the -dev packages listed), and distributions known to be
 * pure Python, requirements included, on Linux.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirementName } from './requirements';

/**
 * Distributions with no Linux wheels on PyPI whose C code links a Debian library, by normalized name, with the
 * -dev packages (and tools) their build needs besides the Python headers. libldap-dev is what bookworm and
 * later call libldap2-dev (which it provides).
 */
export const SDIST_LIBRARIES: Readonly<Record<string, readonly string[]>> = {
  psycopg2: ['libpq-dev'],
  'python-ldap': ['libldap-dev', 'libsasl2-dev'],
  mysqlclient: ['libmariadb-dev', 'pkg-config'],
  pycairo: ['libcairo2-dev', 'pkg-config'],
  pygobject: ['libgirepository1.0-dev', 'libcairo2-dev', 'pkg-config'],
  'dbus-python': ['libdbus-1-dev', 'libglib2.0-dev', 'pkg-config'],
  'systemd-python': ['libsystemd-dev', 'pkg-config'],
  gssapi: ['libkrb5-dev'],
  kerberos: ['libkrb5-dev'],
  pykerberos: ['libkrb5-dev'],
  xmlsec: ['libxmlsec1-dev', 'pkg-config'],
  m2crypto: ['libssl-dev', 'swig'],
  pyaudio: ['portaudio19-dev'],
  // Compiled, but against nothing beyond libc and Python itself.
  uwsgi: [],
  netifaces: [],
};

/**
 * Pure-Python distributions whose own requirements on Linux are in this table too, so the venv stays free of
 * compiled code whatever versions pip picks. Short on purpose: a popular name is not enough (requests brings
 * charset-normalizer, which ships compiled wheels; flask brings markupsafe, which has a C speed-up).
 */
export const KNOWN_PURE: ReadonlySet<string> = new Set([
  'attrs',
  'blinker',
  'bottle',
  'certifi',
  'click',
  'colorama',
  'distro',
  'filelock',
  'idna',
  'itsdangerous',
  'packaging',
  'platformdirs',
  'pyparsing',
  'python-dateutil',
  'pytz',
  'six',
  'tomli',
  'typing-extensions',
  'tzdata',
]);

/** Build requirements that mean the project compiles code of its own. */
const COMPILING_BACKENDS = new Set([
  'cython',
  'cffi',
  'pybind11',
  'nanobind',
  'setuptools-rust',
  'maturin',
  'scikit-build',
  'scikit-build-core',
  'meson-python',
  'mesonpy',
]);

export interface NativeCode {
  /** The requirements from SDIST_LIBRARIES, with the -dev packages each needs. */
  readonly sdists: readonly { readonly name: string; readonly packages: readonly string[] }[];
  /** Why the project's own code may be compiled (a build requirement, setup.py's ext_modules, C files). */
  readonly ownCode: string | undefined;
  /** Requirements neither table knows: they may bring compiled code (as wheels, usually). */
  readonly unknown: readonly string[];
  readonly architecture: 'any' | 'all';
}

/** C, C++, Cython and Rust sources near the top of the project (tests, docs and caches left out). */
function compiledSources(dir: string, depth = 3): string | undefined {
  if (depth < 0 || !existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (
      entry.name.startsWith('.') ||
      /^(tests?|docs?|examples?|node_modules|debian|build|dist|venv)$/.test(entry.name)
    )
      continue;
    if (entry.isFile() && /\.(c|cc|cpp|cxx|pyx|rs)$/.test(entry.name)) return entry.name;
    if (entry.isDirectory()) {
      const found = compiledSources(join(dir, entry.name), depth - 1);
      if (found !== undefined) return join(entry.name, found);
    }
  }
  return undefined;
}

function ownCompiledCode(dir: string, buildRequires: readonly string[]): string | undefined {
  const backend = buildRequires
    .map(requirementName)
    .find((name) => name !== undefined && COMPILING_BACKENDS.has(name));
  if (backend !== undefined) return `it builds with ${backend}`;
  const setupPy = join(dir, 'setup.py');
  if (
    existsSync(setupPy) &&
    /\b(ext_modules|Extension\(|cffi_modules|rust_extensions)/.test(readFileSync(setupPy, 'utf8'))
  ) {
    return 'setup.py builds extension modules';
  }
  const source = compiledSources(dir);
  return source === undefined ? undefined : `it has compiled sources (${source})`;
}

/**
 * Architecture: any whenever compiled code can end up in the venv: a requirement pip compiles from an sdist,
 * the project's own extension modules, or any requirement not known to be pure (it may come as a binary
 * wheel, or bring one). A package of Architecture: all holding an ELF file is a lintian error and, worse,
 * installs x86-64 code on arm64; a pure venv built as "any" costs only a build per architecture.
 */
export function nativeCode(
  dir: string,
  requirements: readonly string[],
  buildRequires: readonly string[],
): NativeCode {
  const names = [
    ...new Set(requirements.map(requirementName).filter((name): name is string => name !== undefined)),
  ];
  const sdists = names.flatMap((name) => {
    const packages = SDIST_LIBRARIES[name];
    return packages === undefined ? [] : [{ name, packages }];
  });
  const unknown = names.filter((name) => SDIST_LIBRARIES[name] === undefined && !KNOWN_PURE.has(name));
  const ownCode = ownCompiledCode(dir, buildRequires);
  const architecture = sdists.length > 0 || unknown.length > 0 || ownCode !== undefined ? 'any' : 'all';
  return { sdists, ownCode, unknown, architecture };
}
