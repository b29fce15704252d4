/**
 * The floor: the same venv made by hand, with nothing but what a venv package cannot do without, timed the
 * same way as a package build. Debian's python3 makes the venv without pip; pip, run from Debian's pip wheel
 * with the venv's interpreter, installs the distribution files the requirements resolved to (resolved once,
 * untimed, by resolveFloorFiles) and the project itself, with --no-deps and --no-index; dpkg-deb packs the
 * tree with the compression of the build it is compared with. No relocation, no maintainer scripts, no
 * debhelper: the result would not run from /opt/venvs, which is why it is a floor.
 */
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeResult, hermeticEnv, runProcess, SYSTEM_PYTHON, type Env } from '../../test/e2e/processes';
import { pipFromWheel } from '../../src/build/venv-creation';
import { readUsage, withUsage, type StepTime, type Usage } from '../step-timer';
import type { Compression } from './projects';

/** The floor's steps, as they appear in the per-step table. */
export const FLOOR_STEPS = {
  venv: 'floor: python3 -m venv --without-pip',
  pip: 'floor: pip install --no-deps --no-index',
  deb: 'floor: dpkg-deb --build',
} as const;

/** What a floor build starts from, made once per project. */
export interface FloorInputs {
  readonly pkg: string;
  /** The distribution files the requirements resolve to (wheels, sdists), one directory. */
  readonly filesDir: string;
  /** Where pip's build isolation finds setuptools and wheel for the project and for sdists. */
  readonly findLinks: string;
  /** The project's source tree, copied for each build because pip builds in it. */
  readonly projectDir: string;
}

export interface FloorBuild {
  readonly deb: string;
  readonly seconds: number;
  readonly steps: ReadonlyMap<string, StepTime>;
  /** Peak memory of pip's largest process, in KiB. */
  readonly peakKiB: number;
}

/** As a build's children see it: clean, Debian's python first, no byte code written by the tools. */
function floorEnv(home: string): Env {
  return hermeticEnv({ HOME: home, PYTHONDONTWRITEBYTECODE: '1' });
}

/** Debian's pip, run from its wheel by `python` (a venv's interpreter, so it works on that venv). */
function pip(python: string, args: readonly string[]): string[] {
  return [python, pipFromWheel(), ...args, '--disable-pip-version-check', '--no-input', '--progress-bar=off'];
}

async function run(argv: readonly string[], env: Env, cwd?: string): Promise<void> {
  const result = await runProcess(argv, { env, ...(cwd === undefined ? {} : { cwd }) });
  if (result.status !== 0) throw new Error(`floor: ${describeResult(result)}`);
}

/**
 * Downloads (or, from a find-links directory, copies) into `filesDir` the files `requirementsFile` resolves
 * to for Debian's python3, with pip's resolver in a scratch venv; `sourceArgs` say where from (--index-url …,
 * or --no-index --find-links …).
 */
export async function resolveFloorFiles(
  work: string,
  requirementsFile: string,
  sourceArgs: readonly string[],
  filesDir: string,
): Promise<void> {
  const scratch = mkdtempSync(join(work, 'floor-resolve-'));
  const env = floorEnv(scratch);
  await run([SYSTEM_PYTHON, '-m', 'venv', '--without-pip', join(scratch, 'venv')], env);
  const python = join(scratch, 'venv', 'bin', 'python');
  await run(
    pip(python, ['download', '--dest', filesDir, ...sourceArgs, '-r', requirementsFile]),
    env,
    scratch,
  );
}

/**
 * dpkg-gencontrol's Installed-Size: each file and symbolic link counts its size in KiB rounded up (hard links
 * once), anything else 1 KiB.
 */
function installedSizeKiB(dir: string, seen = new Set<string>()): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const stat = lstatSync(path);
    if (entry.isDirectory()) total += 1 + installedSizeKiB(path, seen);
    else if (entry.isFile() || entry.isSymbolicLink()) {
      const inode = `${stat.dev}:${stat.ino}`;
      if (!seen.has(inode)) total += Math.ceil(stat.size / 1024);
      if (stat.nlink > 1) seen.add(inode);
    } else total += 1;
  }
  return total;
}

/** Builds the floor package in a new directory under `work`; `architecture` as dpkg prints it. */
export async function buildFloor(
  inputs: FloorInputs,
  compression: Compression,
  architecture: string,
  work: string,
): Promise<FloorBuild> {
  const dir = mkdtempSync(join(work, `floor-${compression}-`));
  const home = join(dir, 'home');
  mkdirSync(home);
  // Untimed, like the copy of the source tree a package build starts from.
  const project = join(dir, 'project');
  cpSync(inputs.projectDir, project, { recursive: true });
  const files = readdirSync(inputs.filesDir).map((name) => join(inputs.filesDir, name));
  const tree = join(dir, 'root');
  const venv = join(tree, 'opt', 'venvs', inputs.pkg);
  const env = floorEnv(home);
  const steps = new Map<string, StepTime>();
  const timed = async (step: string, argv: readonly string[]): Promise<Usage> => {
    const usageFile = join(dir, 'usage');
    const started = performance.now();
    await run(withUsage(argv, usageFile), env, dir);
    const usage = readUsage(usageFile);
    steps.set(step, { seconds: (performance.now() - started) / 1000, cpuSeconds: usage.cpuSeconds });
    return usage;
  };

  const started = performance.now();
  await timed(FLOOR_STEPS.venv, [SYSTEM_PYTHON, '-m', 'venv', '--without-pip', venv]);
  const pipUsage = await timed(
    FLOOR_STEPS.pip,
    pip(join(venv, 'bin', 'python'), [
      'install',
      '--root-user-action=ignore',
      '--no-compile',
      '--no-deps',
      '--no-index',
      '--find-links',
      inputs.findLinks,
      ...files,
      project,
    ]),
  );
  const installedKiB = installedSizeKiB(tree);
  mkdirSync(join(tree, 'DEBIAN'));
  writeFileSync(
    join(tree, 'DEBIAN', 'control'),
    [
      `Package: ${inputs.pkg}`,
      'Version: 1.0',
      `Architecture: ${architecture}`,
      'Maintainer: dh-virtualenv tests <dhvt-tests@example.invalid>',
      `Installed-Size: ${installedKiB}`,
      `Description: dh-virtualenv benchmark floor: ${inputs.pkg}`,
      '',
    ].join('\n'),
  );
  const deb = join(dir, `${inputs.pkg}_1.0_${architecture}.deb`);
  // As dh_builddeb runs it for Rules-Requires-Root: no.
  await timed(FLOOR_STEPS.deb, ['dpkg-deb', '--root-owner-group', `-Z${compression}`, '--build', tree, deb]);
  return { deb, seconds: (performance.now() - started) / 1000, steps, peakKiB: pipUsage.peakKiB };
}
