/**
 * `dh-virtualenv vendor`: fetches every distribution file the package build needs into debian/wheelhouse/ and
 * records each in debian/wheelhouse/lock.toml (wheelhouse.ts), so that dh_virtualenv later builds from them
 * alone. Locked versions stay where they are unless --upgrade lets one move; a run that changes nothing
 * writes nothing. The files are first fetched into a temporary directory, and the wheelhouse is only updated
 * once everything was found, the lock last: an interrupted run leaves a wheelhouse that the build rejects and
 * that the next run repairs.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnvironment } from '../child-environment';
import { CommandFailedError, ConfigurationError, UsageError } from '../errors';
import { buildRequires } from '../init/pyproject';
import { parseToml } from '../init/toml';
import type { Logger } from '../log';
import type { Runner } from '../runner';
import { keepingSourceTree } from '../source-tree';
import { pipFromWheel } from '../venv-creation';
import {
  distributionOf,
  isDistributionFile,
  LOCK_FILE,
  readLock,
  renderLock,
  sha256Of,
  WHEELHOUSE_DIR,
  type LockedFile,
  type WheelhouseLock,
} from '../wheelhouse';
import { describeChanges } from './changes';
import {
  downloadArgv,
  indexArguments,
  lockConstraints,
  missingRequirement,
  unknownUpgrades,
  type DownloadInputs,
  type DownloadSource,
} from './downloads';
import type { VendorOptions } from './options';

export interface VendorContext {
  readonly options: VendorOptions;
  readonly runner: Runner;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The top directory of the source package (the one holding debian/). */
  readonly packageDir: string;
}

/** Building a sdist may ask for more than it declares; this many rounds of finding those is plenty. */
const MAX_ROUNDS = 10;

function note(context: VendorContext, message: string): void {
  context.logger.log({ kind: 'note', message });
}

/** What the build installs: the requirements files, the project with its extras, and --include. */
function installInputs(context: VendorContext, sourceDir: string): DownloadInputs & { project: boolean } {
  const { options } = context;
  const named = options.requirements.length > 0;
  const files = named ? options.requirements : ['requirements.txt'];
  const requirementFiles = files
    .map((file) => join(sourceDir, file))
    .filter((path, i) => {
      if (existsSync(path)) return true;
      if (!named) return false;
      throw new UsageError(
        `--requirements ${files[i] ?? ''}: ${path} does not exist; fix the path (it is relative to --sourcedirectory)`,
      );
    });
  const project =
    !options.skipInstall && ['setup.py', 'pyproject.toml'].some((name) => existsSync(join(sourceDir, name)));
  const specs = [
    ...(project ? [options.extras.length > 0 ? `.[${options.extras.join(',')}]` : '.'] : []),
    ...options.include,
  ];
  if (requirementFiles.length === 0 && specs.length === 0) {
    throw new ConfigurationError(
      `nothing to vendor in ${sourceDir}: no requirements.txt, setup.py or pyproject.toml; name the ` +
        'requirements with --requirements, or the project directory with --sourcedirectory',
    );
  }
  return { requirementFiles, specs, project };
}

/** The project's PEP 518 build requirements (its build runs in the package build too). */
function projectBuildRequirements(sourceDir: string): string[] {
  const path = join(sourceDir, 'pyproject.toml');
  const pyproject = existsSync(path) ? parseToml(readFileSync(path, 'utf8'), path) : undefined;
  return buildRequires(pyproject);
}

/** Python version and platform the wheels are chosen for, as the interpreter reports them. */
function probeTarget(context: VendorContext): { python: string; platform: string } {
  const probe =
    'import sys, sysconfig; print("%d.%d" % sys.version_info[:2]); print(sysconfig.get_platform())';
  let output: string;
  try {
    output = context.runner.capture([context.options.python, '-c', probe], {
      env: childEnvironment(context.env).env,
    });
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    throw new UsageError(
      `--python ${context.options.python} does not run here (${error.message}); give the interpreter the package is built with`,
    );
  }
  const [python = '', platform = ''] = output.split('\n').map((line) => line.trim());
  return { python, platform };
}

function hasHashes(requirementFiles: readonly string[]): boolean {
  return requirementFiles.some((path) => /--hash[=\s]/.test(readFileSync(path, 'utf8')));
}

export function runVendor(context: VendorContext): void {
  const { options, packageDir } = context;
  if (!existsSync(join(packageDir, 'debian', 'control'))) {
    throw new ConfigurationError(
      `no debian/control in ${packageDir}: run "dh-virtualenv vendor" in the top directory of the source ` +
        'package ("dh-virtualenv init" writes a debian/ for a project that has none)',
    );
  }
  const sourceDir = join(packageDir, options.sourceDirectory);
  const inputs = installInputs(context, sourceDir);
  const previous = readLock(packageDir);
  const unknown = unknownUpgrades(previous, options.upgrade);
  if (unknown.length > 0) {
    throw new UsageError(
      `--upgrade ${unknown.join(', ')}: not in ${LOCK_FILE}, so there is nothing to move; check the name ` +
        '(a new requirement is vendored without --upgrade)',
    );
  }
  const target = probeTarget(context);
  const work = mkdtempSync(join(tmpdir(), 'dh-virtualenv-vendor-'));
  try {
    const fetched = fetchAll(context, sourceDir, inputs, previous, work);
    const next: WheelhouseLock = { ...target, files: fetched };
    updateWheelhouse(context, join(work, 'files'), previous, next);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Fetches what the build installs, then what building needs: the project's declared build requirements, then,
 * round by round, whatever an offline run from the files so far says is missing. Returns the files fetched.
 */
function fetchAll(
  context: VendorContext,
  sourceDir: string,
  inputs: DownloadInputs & { project: boolean },
  previous: WheelhouseLock | undefined,
  work: string,
): LockedFile[] {
  const { options } = context;
  const files = join(work, 'files');
  mkdirSync(files);
  const pins = lockConstraints(previous, options.upgrade);
  const constraints = join(work, 'constraints.txt');
  writeFileSync(constraints, pins.map((pin) => `${pin}\n`).join(''));
  const wheelhouse = join(context.packageDir, WHEELHOUSE_DIR);
  const online = (constrained: boolean): DownloadSource => ({
    online: true,
    // Files already vendored are copied rather than fetched again.
    findLinks: existsSync(wheelhouse) ? [wheelhouse] : [],
    ...(constrained && pins.length > 0 ? { constraints } : {}),
  });
  const index = indexArguments(options);
  const env = { ...childEnvironment(context.env).env, ...index.env };
  const pip = [options.python, pipFromWheel()];
  const download = (what: string, wanted: DownloadInputs, source: DownloadSource, dest = files): void => {
    note(context, what);
    const argv = downloadArgv(pip, dest, wanted, source, index.args);
    keepingSourceTree(sourceDir, () => context.runner.run(argv, { env, cwd: sourceDir }));
    keepLockedCopies(context, files, previous);
  };

  // pip refuses constraints without hashes next to hash-pinned requirements, which pin everything anyway.
  const pinnedByHashes = hasHashes(inputs.requirementFiles);
  download(`fetching ${describeInputs(inputs)}`, inputs, online(!pinnedByHashes));
  const forInstall = new Set(readdirSync(files));
  const buildNeeds = inputs.project ? projectBuildRequirements(sourceDir) : [];
  if (buildNeeds.length > 0) {
    download(
      `fetching the project's build requirements: ${buildNeeds.join(' ')}`,
      { requirementFiles: [], specs: buildNeeds },
      online(true),
    );
  }
  const check = join(work, 'check');
  for (let round = 1; ; round++) {
    note(context, 'checking that the files fetched build without an index');
    const missing = offlineCheck(context, pip, check, files, inputs, env, sourceDir);
    if (missing === undefined) break;
    if (round === MAX_ROUNDS) {
      throw new ConfigurationError(
        `still missing ${missing} after ${MAX_ROUNDS} rounds of fetching what builds need; add it with --include`,
      );
    }
    download(
      `fetching ${missing}, which a build asks for`,
      { requirementFiles: [], specs: [missing] },
      online(true),
    );
  }
  return readdirSync(files)
    .filter(isDistributionFile)
    .map((file): LockedFile => {
      const distribution = distributionOf(file);
      if (distribution === undefined) {
        throw new ConfigurationError(
          `pip fetched ${file}, whose name says no name and version; vendor it by hand`,
        );
      }
      return {
        ...distribution,
        file,
        sha256: sha256Of(join(files, file)),
        use: forInstall.has(file) ? 'install' : 'build',
      };
    });
}

/**
 * A file name on an index stands for one content (PyPI never lets a file be replaced), so a fetched file whose
 * name is locked with another sha256 is not taken: the locked copy stays, and the user hears of it (a rebuilt
 * wheel on a private index, or worse).
 */
function keepLockedCopies(context: VendorContext, files: string, previous: WheelhouseLock | undefined): void {
  const wheelhouse = join(context.packageDir, WHEELHOUSE_DIR);
  for (const entry of previous?.files ?? []) {
    const fetched = join(files, entry.file);
    const locked = join(wheelhouse, entry.file);
    if (!existsSync(fetched) || !existsSync(locked) || sha256Of(locked) !== entry.sha256) continue;
    const sha256 = sha256Of(fetched);
    if (sha256 === entry.sha256) continue;
    context.logger.log({
      kind: 'warning',
      message:
        `the index serves ${entry.file} with sha256 ${sha256}, not the ${entry.sha256} locked; keeping the ` +
        'locked file (if the new one is wanted, delete the locked file and run vendor again)',
    });
    copyFileSync(locked, fetched);
  }
}

function describeInputs(inputs: DownloadInputs & { project: boolean }): string {
  return [
    ...inputs.requirementFiles.map((path) => path.split('/').pop() ?? path),
    ...(inputs.project ? ["the project's dependencies"] : []),
    ...inputs.specs.filter((spec) => !spec.startsWith('.')),
  ].join(', ');
}

/** Runs pip as the build will, from the files alone; returns what it could not find, or undefined if none. */
function offlineCheck(
  context: VendorContext,
  pip: readonly string[],
  dest: string,
  files: string,
  inputs: DownloadInputs,
  env: Readonly<Record<string, string>>,
  sourceDir: string,
): string | undefined {
  rmSync(dest, { recursive: true, force: true });
  const argv = downloadArgv(pip, dest, inputs, { online: false, findLinks: [files] }, []);
  try {
    keepingSourceTree(sourceDir, () => context.runner.capture(argv, { env, cwd: sourceDir }));
    return undefined;
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    const missing = missingRequirement(error.stderrTail);
    if (missing === undefined) {
      throw new ConfigurationError(
        `pip could not use the files it fetched, without an index:\n${error.stderrTail}`,
      );
    }
    return missing;
  }
}

/**
 * Makes debian/wheelhouse hold exactly the files of `next`: new ones copied in, those no longer needed
 * removed (distribution files only: anything else there is the user's), and lock.toml written last, and only
 * when its text changes.
 */
function updateWheelhouse(
  context: VendorContext,
  fetchedDir: string,
  previous: WheelhouseLock | undefined,
  next: WheelhouseLock,
): void {
  const dir = join(context.packageDir, WHEELHOUSE_DIR);
  mkdirSync(dir, { recursive: true });
  const wanted = new Map(next.files.map((entry) => [entry.file, entry]));
  let written = 0;
  for (const entry of next.files) {
    const path = join(dir, entry.file);
    if (existsSync(path) && sha256Of(path) === entry.sha256) continue;
    const partial = join(dir, `.${entry.file}.partial`);
    copyFileSync(join(fetchedDir, entry.file), partial);
    renameSync(partial, path);
    written++;
  }
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (isDistributionFile(name) && !wanted.has(name)) {
      rmSync(join(dir, name));
      removed++;
    }
  }
  if (written + removed > 0)
    note(context, `${WHEELHOUSE_DIR}: ${written} file(s) written, ${removed} removed`);
  const lockPath = join(context.packageDir, LOCK_FILE);
  const text = renderLock(next);
  const changes = describeChanges(previous, next);
  if (existsSync(lockPath) && readFileSync(lockPath, 'utf8') === text) {
    note(context, `${WHEELHOUSE_DIR}: unchanged (${next.files.length} files)`);
    return;
  }
  writeFileSync(lockPath, text);
  note(
    context,
    `${LOCK_FILE}: ${next.files.length} files; ${changes.length === 0 ? 'the same distributions' : 'changes:'}`,
  );
  for (const line of changes) note(context, `  ${line}`);
}
