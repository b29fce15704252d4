import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { timedStep, type Context } from './pipeline';
import { listPackages } from './package-selection';
import { mergeSubstvar } from './substvars';

/**
 * The shared libraries a venv's binary wheels need from the system, for ${shlibs:Depends}.
 *
 * dh_shlibdeps cannot do it: auditwheel copies the libraries a wheel needs into <name>.libs/ and gives only
 * the extension modules an $ORIGIN RPATH, so a bundled library that needs another bundled one (psycopg2's
 * libssl needs its libcrypto, scipy's libgfortran its libquadmath) names a SONAME that dpkg-shlibdeps finds
 * nowhere, and the build stops ("cannot find library"). The loader copes because the extension loaded the
 * second library first. So the sequence keeps /site-packages/ away from dh_shlibdeps, and
 * dh_virtualenv_shlibdeps, run right after it, hands those files to dpkg-shlibdeps with every directory that
 * holds them as a private library directory (-l): bundled libraries resolve to the package itself and add
 * nothing, and what they need from the system (libc6, libstdc++6, zlib1g, …) is added to ${shlibs:Depends}.
 */

const ELF_MAGIC = Buffer.from('\x7fELF', 'latin1');
const ELF_TYPE_EXECUTABLE = 2;
const ELF_TYPE_SHARED = 3;

/** What debhelper's is_so_or_exec_elf_file checks: ELF magic and type ET_EXEC or ET_DYN. */
export function isSharedObjectOrExecutable(header: Buffer): boolean {
  if (header.length < 18 || !header.subarray(0, 4).equals(ELF_MAGIC)) return false;
  const type = header[5] === 2 ? header.readUInt16BE(16) : header.readUInt16LE(16);
  return type === ELF_TYPE_EXECUTABLE || type === ELF_TYPE_SHARED;
}

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(18);
    const length = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Files a venv holds by the thousand that are never ELF, known by name, so their headers need not be read:
 * sources, byte code, metadata and data formats.
 */
const NEVER_ELF =
  /\.(py|pyi|pyc|pyx|pxd|txt|md|rst|json|toml|cfg|ini|yaml|yml|csv|html|css|js|svg|png|h|c|typed)$|^(RECORD|METADATA|WHEEL|INSTALLER|LICENSE|REQUESTED)$/;

/**
 * ELF files under a site-packages directory of the package tree, sorted: exactly what the add-on's
 * --exclude=/site-packages/ keeps from dh_shlibdeps. Symlinks are skipped, as debhelper does.
 */
export function venvBinaries(packageTree: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, inVenv: boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, inVenv || entry.name === 'site-packages');
      else if (inVenv && entry.isFile() && !NEVER_ELF.test(entry.name)) {
        if (isSharedObjectOrExecutable(readHeader(path))) found.push(path);
      }
    }
  };
  walk(packageTree, false);
  return found.sort();
}

/**
 * The directories holding those files, as paths inside the installed package ("/opt/venvs/…/numpy.libs"),
 * which is how dpkg-shlibdeps takes -l: it looks for them in each package build tree.
 */
export function privateLibraryDirs(packageTree: string, binaries: readonly string[]): string[] {
  const dirs = new Set(binaries.map((path) => `/${relative(packageTree, dirname(path))}`));
  return [...dirs].sort();
}

/**
 * dpkg-shlibdeps for the venv's binaries, printing the substvars (-O) rather than writing them. The warnings
 * about how upstream linked (Python's own symbols found in no library, libraries linked but not used) are
 * about wheels nobody here can rebuild: they would flood the log with hundreds of lines, so they are off.
 */
export function shlibdepsCommand(packageTree: string, binaries: readonly string[]): string[] {
  return [
    'dpkg-shlibdeps',
    '-O',
    '--warnings=0',
    ...privateLibraryDirs(packageTree, binaries).map((dir) => `-l${dir}`),
    ...binaries,
  ];
}

/** "shlibs:Depends=a, b" lines of dpkg-shlibdeps -O as a map from substvar name to value. */
export function parseSubstvarLines(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^(shlibs:[A-Za-z-]+)=(.*)$/.exec(line);
    if (match !== null && (match[2] ?? '').trim() !== '') values.set(match[1] ?? '', match[2] ?? '');
  }
  return values;
}

/** Adds the venv binaries' dependencies of each package acted on to its debian/<pkg>.substvars. */
export function addVenvShlibdeps(context: Context): void {
  const packages = listPackages(context.options, context.runner, context.hostEnv, context.cwd);
  for (const packageName of packages) {
    const packageTree = join(context.cwd, 'debian', packageName);
    const binaries = existsSync(packageTree) ? venvBinaries(packageTree) : [];
    if (binaries.length === 0) continue;
    // dpkg-shlibdeps tells the package a library belongs to by the DEBIAN directory at its root.
    mkdirSync(join(packageTree, 'DEBIAN'), { recursive: true });
    const output = timedStep(
      context,
      { packageName },
      `reading ${binaries.length} shared object(s) of the venv for \${shlibs:Depends}`,
      'see the dpkg-shlibdeps output above',
      () =>
        context.runner.capture(shlibdepsCommand(packageTree, binaries), {
          env: { ...context.hostEnv },
          cwd: context.cwd,
        }),
    );
    for (const [name, value] of parseSubstvarLines(output)) {
      mergeSubstvar(join(context.cwd, 'debian'), packageName, name, value);
      context.logger.log({ kind: 'detail', message: `${packageName}: ${name} += ${value}` });
    }
  }
}
