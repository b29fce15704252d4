import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import type { PackageLayout } from './layout';
import { buildLocalDirectUrls, refreshRecords, removeFiles, uvCacheFiles } from './record';
import { quoteForShell } from '../core/shell-quote';

/** Interpreter names upstream treats as Python, kept so the same scripts are rewritten. */
const INTERPRETER = '(?:python|pypy|ipy|jython)';
const PLAIN_SHEBANG = new RegExp(`^#!\\s*"?(?:[^\\s"]*/)?bin/(?:env\\s+)?${INTERPRETER}([0-9.]*)"?(?=\\s|$)`);
// `#!/usr/bin/env -S python3 -u`: env splits the rest of the line into words, the only way to give a Python
// run through env an option on Linux. setuptools rewrites such a line to the venv's interpreter when it builds a
// wheel; in a script shipped as is (a wheel's .data/scripts) only the interpreter word is replaced, so env -S
// still passes every option as its own word.
const ENV_SPLIT_SHEBANG = new RegExp(
  `^(#!\\s*(?:[^\\s"]*/)?bin/env\\s+-S\\s*)(?:[^\\s"']*/)?${INTERPRETER}([0-9.]*)(?=\\s|$)`,
);
// pip writes this two-line form when the interpreter path is too long for the kernel's shebang limit, and
// quotes the path with " when it contains a space; uv writes the same form and always quotes with '.
const EXEC_SHEBANG = new RegExp(
  `^'''exec' (?:"[^"]*/bin/${INTERPRETER}([0-9.]*)"|'[^']*/bin/${INTERPRETER}([0-9.]*)'|(?:[^\\s"']*/)?bin/${INTERPRETER}([0-9.]*))(?=\\s)`,
);

/**
 * Points a script's Python shebang at the installed venv. Returns the new header lines, or null when the
 * file is not a Python script (or already points there). Any version suffix (python3, python3.11) and any
 * interpreter arguments are kept. `buildDirs` are the spellings of the venv's build path: pip writes
 * `#!<venv>/bin/python` for a wheel's "#!python" scripts as it is, unquoted, even when the path has a space
 * or a quote (a source tree in "/home/me/My Projects"), which the patterns below do not take for a path.
 */
export function relocateShebang(
  header: readonly string[],
  finalDir: string,
  buildDirs: readonly string[] = [],
): string[] | null {
  const python = `${finalDir}/bin/python`;
  const [first, second] = header;
  if (first === undefined) return null;
  for (const dir of buildDirs) {
    const built = new RegExp(`^#!${escapeRegExp(dir)}/bin/${INTERPRETER}([0-9.]*)(?=\\s|$)`).exec(first);
    if (built !== null) return [`#!${python}${built[1]}${first.slice(built[0].length)}`, ...header.slice(1)];
  }
  const plain = PLAIN_SHEBANG.exec(first);
  const split = ENV_SPLIT_SHEBANG.exec(first);
  const line =
    plain !== null
      ? `#!${python}${plain[1]}${first.slice(plain[0].length)}`
      : split !== null
        ? `${split[1]}${python}${split[2]}${first.slice(split[0].length)}`
        : undefined;
  if (line !== undefined) return line === first ? null : [line, ...header.slice(1)];
  if (/^#!\s*\/bin\/sh\s*$/.test(first) && second !== undefined) {
    const exec = execLine(second, buildDirs);
    if (exec === undefined) return null;
    const interpreter = `${python}${exec.version}`;
    // The wrapper was only needed for the long build path; the installed path usually fits a real shebang.
    if (header[2] === "' '''" && `#!${interpreter}`.length <= SHEBANG_LIMIT) {
      return [`#!${interpreter}`, ...header.slice(3)];
    }
    const line = `'''exec' ${interpreter}${second.slice(exec.length)}`;
    return line === second ? null : [first, line, ...header.slice(2)];
  }
  return null;
}

/**
 * The interpreter of the wrapper's exec line: the version suffix, and how long the `'''exec' <interpreter>`
 * part is. A build path is matched as given first: distlib puts it in "…" even when it holds a " itself.
 */
function execLine(
  line: string,
  buildDirs: readonly string[],
): { version: string; length: number } | undefined {
  for (const dir of buildDirs) {
    const built = new RegExp(
      `^'''exec' (["']?)${escapeRegExp(dir)}/bin/${INTERPRETER}([0-9.]*)\\1(?=\\s)`,
    ).exec(line);
    if (built !== null) return { version: built[2] ?? '', length: built[0].length };
  }
  const exec = EXEC_SHEBANG.exec(line);
  if (exec === null) return undefined;
  return { version: exec[1] ?? exec[2] ?? exec[3] ?? '', length: exec[0].length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every spelling of the build-time venv path with the installed one. */
export function relocateText(text: string, stagingDirs: readonly string[], finalDir: string): string {
  return stagingDirs.reduce((current, dir) => current.split(dir).join(finalDir), text);
}

/** pip's limit for a "#!" line (the kernel's was 127 bytes before Linux 5.1). */
const SHEBANG_LIMIT = 127;
const HEADER_LINES = 3;

/**
 * Rewrites the first lines of a file only, treating bytes as latin1 so that everything else, including
 * non-UTF-8 content, stays byte-identical.
 */
function rewriteHeader(path: string, rewrite: (header: string[]) => string[] | null): boolean {
  const bytes = readFileSync(path);
  if (bytes.length < 2 || bytes[0] !== 0x23 || bytes[1] !== 0x21) return false; // "#!"
  let end = 0;
  for (let line = 0; line < HEADER_LINES && end < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, end);
    end = newline === -1 ? bytes.length : newline + 1;
  }
  const headerText = bytes.subarray(0, end).toString('latin1');
  const lines = headerText.split('\n');
  const rewritten = rewrite(lines);
  if (rewritten === null) return false;
  writeFileSync(path, Buffer.concat([Buffer.from(rewritten.join('\n'), 'latin1'), bytes.subarray(end)]));
  return true;
}

function regularFilesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) return regularFilesUnder(path);
    return stat.isFile() ? [path] : [];
  });
}

/** The spellings under which tools may have recorded the directory the venv was created in. */
function buildSpellings(builtAt: string): string[] {
  let real = builtAt;
  try {
    real = realpathSync(builtAt);
  } catch {
    // The buildsystem's build venv may be gone already; its path as given is all there is.
  }
  const spellings = new Set([builtAt, real]);
  // Longest first, so a path is never half-replaced by a shorter spelling that is its prefix.
  return [...spellings].sort((a, b) => b.length - a.length);
}

export interface RelocationReport {
  readonly scripts: readonly string[];
  readonly activateFiles: readonly string[];
  readonly pyvenvCfg: boolean;
  readonly symlinks: readonly string[];
  readonly byteCodeDirs: readonly string[];
  readonly directUrls: readonly string[];
  readonly records: number;
}

/**
 * Byte code is compiled on the target by the postinst, with the installed paths; whatever the build left
 * (a custom --pip-tool compiling, setup.py test importing modules) would hold the build path.
 */
export function removeByteCode(layout: PackageLayout): string[] {
  const found: string[] = [];
  // Directory entries carry their type: no stat per file, which is what a venv of 20,000 files costs.
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name === '__pycache__') found.push(path);
      else walk(path);
    }
  };
  walk(layout.stagingDir);
  for (const dir of found) rmSync(dir, { recursive: true, force: true });
  return found.sort();
}

export function relocateScripts(layout: PackageLayout, builtAt: string = layout.stagingDir): string[] {
  const spellings = buildSpellings(builtAt);
  return regularFilesUnder(join(layout.stagingDir, 'bin')).filter((path) =>
    rewriteHeader(path, (header) => relocateShebang(header, layout.finalDir, spellings)),
  );
}

/**
 * Rewrites every build-time spelling of the venv path in a text file, then applies `finish` to the result;
 * false when that changed nothing.
 */
function relocateTextFile(
  path: string,
  spellings: readonly string[],
  finalDir: string,
  finish: (text: string) => string = (text) => text,
): boolean {
  const text = readFileSync(path, 'utf8');
  const relocated = finish(relocateText(text, spellings, finalDir));
  if (relocated === text) return false;
  writeFileSync(path, relocated);
  return true;
}

/** The activate scripts of sh, csh and fish, which hold the venv path as a shell word. */
const SHELL_ACTIVATE_SCRIPTS = new Set(['activate', 'activate.csh', 'activate.fish']);

/**
 * virtualenv from 20.26.6 (Debian 13's) and Python's venv since the fix for CVE-2024-9287 (Debian 13's, and
 * Debian 12's python3.11 too) quote the venv path in these scripts only when it needs quoting; older
 * virtualenvs (Debian 12's) always do. A build path with a space or a "~" thus left the installed path quoted
 * and a plain one did not. It is written as the current creators write it, for the installed path, so the
 * package is the same wherever it was built.
 */
export function requoteVenvPath(text: string, finalDir: string): string {
  return text.split(`'${finalDir}'`).join(quoteForShell(finalDir));
}

export function relocateActivateScripts(
  layout: PackageLayout,
  builtAt: string = layout.stagingDir,
): string[] {
  const spellings = buildSpellings(builtAt);
  const binDir = join(layout.stagingDir, 'bin');
  const requote = (text: string): string => requoteVenvPath(text, layout.finalDir);
  return regularFilesUnder(binDir)
    .filter((path) => /^activate/.test(relative(binDir, path)))
    .filter((path) =>
      relocateTextFile(
        path,
        spellings,
        layout.finalDir,
        SHELL_ACTIVATE_SCRIPTS.has(basename(path)) ? requote : undefined,
      ),
    );
}

/**
 * Python 3.11's venv records how it was made in pyvenv.cfg ("command = /usr/bin/python3 -m venv <venv>"),
 * which names the build path; it is rewritten to the installed path, as if the venv had been made there.
 */
export function relocatePyvenvCfg(layout: PackageLayout, builtAt: string = layout.stagingDir): boolean {
  const path = join(layout.stagingDir, 'pyvenv.cfg');
  return existsSync(path) && relocateTextFile(path, buildSpellings(builtAt), layout.finalDir);
}

/**
 * Older virtualenvs add local/{bin,lib,include} as absolute symlinks into the venv, which would point into the
 * build tree once installed; they are made relative.
 */
export function relocateLocalSymlinks(layout: PackageLayout): string[] {
  const localDir = join(layout.stagingDir, 'local');
  let stat;
  try {
    stat = lstatSync(localDir);
  } catch {
    return [];
  }
  if (stat.isSymbolicLink()) {
    // Read, not resolved: a dangling link is left as it is, not an error.
    const target = readlinkSync(localDir);
    const resolved = isAbsolute(target) ? target : join(layout.stagingDir, target);
    const venv = [layout.stagingDir, realpathSync(layout.stagingDir)];
    if (!venv.includes(resolved.replace(/\/+$/, ''))) return [];
    unlinkSync(localDir);
    symlinkSync('.', localDir);
    return [localDir];
  }
  if (!stat.isDirectory()) return [];
  return readdirSync(localDir)
    .sort()
    .map((name) => join(localDir, name))
    .filter((path) => lstatSync(path).isSymbolicLink() && isAbsolute(readlinkSync(path)))
    .map((path) => {
      const target = relative(localDir, readlinkSync(path)) || '.';
      unlinkSync(path);
      symlinkSync(target, path);
      return path;
    });
}

/**
 * Files the venv's creator writes for a venv in a developer's working copy, known by how they start. A
 * ".gitignore" of "*" (virtualenv; venv since Python 3.13) is a stray VCS file in a package (lintian:
 * package-contains-vcs-control-file). virtualenv's CACHEDIR.TAG (Debian 13's 20.31) marks the directory as a
 * disposable cache, so backup tools that honour it would skip the installed application.
 */
const WORKING_COPY_FILES: readonly { readonly name: string; readonly startsWith: readonly string[] }[] = [
  {
    name: '.gitignore',
    startsWith: ['# created by virtualenv automatically\n', '# Created by venv; '],
  },
  {
    name: 'CACHEDIR.TAG',
    startsWith: [
      'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by Python virtualenv.',
    ],
  },
];

/** Removes WORKING_COPY_FILES from the top of the venv; a file of the same name the project put there stays. */
export function removeWorkingCopyFiles(layout: PackageLayout): string[] {
  return WORKING_COPY_FILES.flatMap(({ name, startsWith }) => {
    const path = join(layout.stagingDir, name);
    if (!existsSync(path)) return [];
    const text = readFileSync(path, 'utf8');
    if (!startsWith.some((start) => text.startsWith(start))) return [];
    rmSync(path);
    return [path];
  });
}

/** `builtAt` is where the venv was created, when it was copied to layout.stagingDir afterwards. */
export function relocate(layout: PackageLayout, builtAt: string = layout.stagingDir): RelocationReport {
  removeWorkingCopyFiles(layout);
  const scripts = relocateScripts(layout, builtAt);
  const directUrls = buildLocalDirectUrls(layout.stagingDir, [builtAt, layout.sourceDir]);
  const removed = [...directUrls, ...uvCacheFiles(layout.stagingDir)];
  removeFiles(removed);
  return {
    scripts,
    activateFiles: relocateActivateScripts(layout, builtAt),
    pyvenvCfg: relocatePyvenvCfg(layout, builtAt),
    symlinks: relocateLocalSymlinks(layout),
    byteCodeDirs: removeByteCode(layout),
    directUrls,
    records: refreshRecords(layout.stagingDir, scripts, removed),
  };
}
