/**
 * The native-code fixtures' distribution files, made at test time for the package index (IndexOptions.files),
 * and small readers of ELF files for the assertions:
 *
 *     const sdist = await buildSdistOnly('dhvt-native-zlib', outDir);        // no wheel: pip must compile it
 *     const wheel = await buildAuditwheelStyleWheel('dhvt-native-bundled', outDir);
 *     const needed = (await dynamicSection(path)).needed;                  // ['libz.so.1', 'libc.so.6']
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSucceeded, fixturePath, hermeticEnv, runProcess, SYSTEM_PYTHON } from './processes';

/** Runs a command that must succeed, in a clean environment, and returns its stdout. */
async function output(argv: readonly string[], what: string, cwd?: string): Promise<string> {
  const result = await runProcess(argv, {
    env: hermeticEnv({ HOME: tmpdir() }),
    ...(cwd === undefined ? {} : { cwd }),
  });
  assertSucceeded(result, what);
  return result.stdout;
}

/** The one file a command added to `outDir`. */
async function newFile(outDir: string, make: () => Promise<unknown>): Promise<string> {
  const before = new Set(readdirSync(outDir));
  await make();
  const made = readdirSync(outDir).filter((name) => !before.has(name));
  if (made.length !== 1) throw new Error(`expected one new file in ${outDir}, got ${made.join(', ')}`);
  return join(outDir, made[0] ?? '');
}

/**
 * The sdist of an index project and nothing else, so that pip finds no wheel and has to compile the project
 * while the package builds. Built in a copy (setuptools leaves *.egg-info behind).
 */
export async function buildSdistOnly(project: string, outDir: string): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'dhvt-native-sdist-'));
  try {
    const source = join(work, project);
    cpSync(fixturePath('index', project), source, { recursive: true });
    const script =
      'import sys, setuptools.build_meta as backend\nout = sys.argv[1]\nbackend.build_sdist(out)\n';
    return await newFile(outDir, () =>
      output([SYSTEM_PYTHON, '-c', script, outDir], `building the sdist of ${project}`, source),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A wheel as `auditwheel repair` leaves it: the library it needs copied in under <name>.libs/ with a hashed
 * SONAME, and the extension pointed at it by an $ORIGIN RPATH written by patchelf. The project's make_wheel.py
 * does the work; it needs gcc, the Python headers and patchelf.
 */
export async function buildAuditwheelStyleWheel(project: string, outDir: string): Promise<string> {
  const script = fixturePath('index', project, 'make_wheel.py');
  return newFile(outDir, () => output([SYSTEM_PYTHON, script, outDir], `building the wheel of ${project}`));
}

export interface DynamicSection {
  /** DT_NEEDED entries, in order. */
  readonly needed: readonly string[];
  /** DT_RPATH and DT_RUNPATH entries. */
  readonly searchPath: readonly string[];
  readonly soname: string | undefined;
  /** DT_FLAGS and DT_FLAGS_1 words, e.g. BIND_NOW, NOW. */
  readonly flags: readonly string[];
}

/** `readelf -d`, parsed. */
export async function dynamicSection(path: string): Promise<DynamicSection> {
  const text = await output(['readelf', '-dW', path], `readelf -d ${path}`);
  const values = (tag: RegExp): string[] =>
    text
      .split('\n')
      .filter((line) => tag.test(line))
      .map((line) => /\[(.*)\]/.exec(line)?.[1] ?? '');
  return {
    needed: values(/\(NEEDED\)/),
    searchPath: values(/\((RPATH|RUNPATH)\)/),
    soname: values(/\(SONAME\)/)[0],
    flags: text
      .split('\n')
      .filter((line) => /\(FLAGS(_1)?\)/.test(line))
      .flatMap((line) => (line.split(/Flags:/)[1] ?? '').trim().split(/\s+/)),
  };
}

/** Section names (`readelf -S`), e.g. .symtab, .debug_info. */
export async function sectionNames(path: string): Promise<string[]> {
  const text = await output(['readelf', '-SW', path], `readelf -S ${path}`);
  return [...text.matchAll(/^\s*\[\s*\d+\]\s+(\S+)/gm)].map((match) => match[1] ?? '');
}

/** Undefined dynamic symbols the object imports (`nm -D --undefined-only`), without versions. */
export async function importedSymbols(path: string): Promise<string[]> {
  const text = await output(['nm', '-D', '--undefined-only', path], `nm -D ${path}`);
  return text
    .split('\n')
    .map((line) => (line.trim().split(/\s+/).pop() ?? '').replace(/@.*$/, ''))
    .filter(Boolean);
}
