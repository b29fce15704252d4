import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildConstraintFiles, buildConstraintsPath } from './build-constraints';
import { toolDir, withBuildCaches } from './build-caches';
import { withBuildFlags } from './build-flags';
import { childEnvironment, isTrue } from './child-environment';
import { CommandFailedError, ConfigurationError, DhVirtualenvError, StepFailedError } from '../core/errors';
import { checkProjectInstallAddedNothing, explainHashFailure } from './hash-checking';
import {
  checkNoEditableRequirements,
  checkProject,
  pipInstaller,
  pipSteps,
  requirementsPath,
  unpinnedVcsRequirements,
  uvInstaller,
  type Installer,
  SETUPTOOLS_VERSION_PROBE,
  setupPyTestUnavailable,
  testStep,
  type PipStep,
} from './installs';
import { installReportDir, pipRecordOf, resetInstallReports } from './install-reports';
import { findUv, type Interpreter } from '../core/interpreter';
import { findLockFile, lockedRequirements } from './lock-files';
import { findInterpreterPackage } from './interpreter-depends';
import { venvBin, type PackageLayout } from './layout';
import { installLintianOverrides } from './lintian-overrides';
import type { Logger } from '../core/log';
import {
  checkNameableInScripts,
  maintainerAdditions,
  postinstWarning,
  writeMaintainerAdditions,
} from './maintainer-scripts';
import type { Options } from './options';
import { editableInstalls } from './record';
import { relocate } from './relocation';
import type { Runner } from '../core/runner';
import { venvBinaries } from './shlibdeps';
import { checkCanCreate, keepingSourceTree } from './source-tree';
import { writeSubstvars } from './substvars';
import { createVenvCommand, pipFromWheel, resetStagingDir } from './venv-creation';
import { wheelhouseUv, withWheelhouse, WHEELHOUSE_DIR, type WheelhouseLock } from './wheelhouse';

/** What every step gets: the parsed options, the one process boundary, the log, and the host environment. */
export interface Context {
  readonly options: Options;
  readonly runner: Runner;
  readonly logger: Logger;
  /** The build host's environment, as given; what reaches Python is decided in child-environment.ts. */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Milliseconds for the step durations in the log; performance.now() unless a test sets it. */
  readonly now?: () => number;
  /** Set when the build installs from debian/wheelhouse alone (wheelhouse.ts). */
  readonly wheelhouse?: WheelhouseLock;
}

/**
 * The environment the build's tools run in: Debian's build flags for C extensions, caches in the build tree
 * when HOME cannot hold them, and the vendored wheelhouse as the only source of distributions if there is one.
 */
export function withBuildEnvironment(context: Context): Context {
  const flagged = withBuildFlags(context.hostEnv, context.runner, context.cwd);
  const { hostEnv, lock } = withWheelhouse(
    withBuildCaches(flagged, context.cwd),
    context.cwd,
    context.logger,
  );
  return { ...context, hostEnv, ...(lock === undefined ? {} : { wheelhouse: lock }) };
}

/** Building from inside an activated virtualenv would mix it into the package. */
export function refuseActiveVirtualenv(hostEnv: Context['hostEnv']): void {
  if (hostEnv.VIRTUAL_ENV !== undefined && hostEnv.VIRTUAL_ENV !== '') {
    throw new ConfigurationError(
      `running inside the virtualenv ${hostEnv.VIRTUAL_ENV}; run "deactivate" (or unset VIRTUAL_ENV) and build again`,
    );
  }
}

export function logHeldBackVariables(context: Context): void {
  const dropped = childEnvironment(context.hostEnv).dropped;
  if (dropped.length > 0) {
    context.logger.log({
      kind: 'detail',
      message: `not passed to Python/pip from the environment: ${dropped.join(' ')}`,
    });
  }
}

/** Runs one step, naming the package and step in the error if it fails. */
function step<T>(layout: PackageOf, name: string, hint: string | undefined, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof DhVirtualenvError && !(error instanceof StepFailedError)) {
      throw new StepFailedError(layout.packageName, name, error, hint);
    }
    throw error;
  }
}

/** What the log and the errors of a step need to know of the package. */
type PackageOf = Pick<PackageLayout, 'packageName'>;

function progress(context: Context, layout: PackageOf, message: string): void {
  context.logger.log({ kind: 'progress', packageName: layout.packageName, message });
}

/**
 * A step as a long build log shows it: announced when it starts (so a hang shows where), and again when it
 * ends, with what it did (`summary`) and how long it took.
 */
export function timedStep<T>(
  context: Context,
  layout: PackageOf,
  message: string,
  hint: string | undefined,
  action: () => T,
  summary?: (result: T) => string,
): T {
  const now = context.now ?? (() => performance.now());
  progress(context, layout, message);
  const started = now();
  const result = step(layout, message, hint, action);
  const detail = summary === undefined ? '' : ` (${summary(result)})`;
  context.logger.log({
    kind: 'done',
    packageName: layout.packageName,
    message: `${message}${detail}`,
    seconds: (now() - started) / 1000,
  });
  return result;
}

/** The distributions installed in a venv: one .dist-info directory each in site-packages. */
function distributionCount(venv: string): number {
  const lib = join(venv, 'lib');
  if (!existsSync(lib)) return 0;
  return readdirSync(lib)
    .map((name) => join(lib, name, 'site-packages'))
    .filter((dir) => existsSync(dir))
    .reduce((count, dir) => count + readdirSync(dir).filter((name) => name.endsWith('.dist-info')).length, 0);
}

function runStep(context: Context, layout: PackageLayout, pip: PipStep, hint: string): void {
  const env = { ...childEnvironment(context.hostEnv).env, ...pip.env };
  const before = distributionCount(layout.stagingDir);
  try {
    timedStep(
      context,
      layout,
      pip.step,
      hint,
      () => context.runner.run(pip.argv, { env, ...(pip.cwd === undefined ? {} : { cwd: pip.cwd }) }),
      () => {
        const added = distributionCount(layout.stagingDir) - before;
        return added === 1 ? '1 distribution' : `${added} distributions`;
      },
    );
  } catch (error) {
    throw explainHashFailure(error, pipRecordOf(pip.argv, '--log'));
  }
}

export function createVirtualenv(context: Context, layout: PackageLayout, python: Interpreter): void {
  const { options } = context;
  const creator = options.builtinVenv ? 'venv' : 'virtualenv';
  const hint = options.builtinVenv
    ? 'is the venv module installed (python3-venv for Debian interpreters)?'
    : 'is python3-virtualenv installed? (or build with --builtin-venv)';
  const env = childEnvironment(context.hostEnv).env;
  // A source tree that cannot be written (a read-only checkout) is said so before anything is built.
  step(layout, `creating ${layout.finalDir}`, undefined, () => checkCanCreate(layout.stagingDir));
  timedStep(context, layout, `creating ${layout.finalDir} (${creator}, ${python.path})`, hint, () => {
    resetStagingDir(layout);
    resetInstallReports(installReportDir(context.cwd, layout.packageName));
    // virtualenv keeps the wheels it seeds from in an app-data directory, by default in $HOME, which a build
    // farm's HOME=/nonexistent does not have (and root would create): the build's own directory holds it.
    // Only the variable avoids the default directory; with --app-data virtualenv still creates it.
    const appData = { VIRTUALENV_OVERRIDE_APP_DATA: join(toolDir(context.cwd), 'virtualenv-app-data') };
    context.runner.run(createVenvCommand(layout, options, python), { env: { ...env, ...appData } });
  });
  step(layout, 'checking the virtualenv interpreter', undefined, () => {
    const wanted = context.runner.capture([python.path, '-c', ABI_PROBE], { env });
    const got = context.runner.capture([venvBin(layout, 'python'), '-c', ABI_PROBE], { env });
    if (got !== wanted) {
      throw new ConfigurationError(
        `the virtualenv runs ${got} but --python ${python.path} is ${wanted}; extensions would be built for the ` +
          'wrong interpreter. Check --extra-virtualenv-arg for a conflicting --python',
      );
    }
  });
}

/** Prints what C extensions are built for: the interpreter's cache tag and its extension ABI (SOABI). */
const ABI_PROBE =
  "import sys, sysconfig; print(sys.implementation.cache_tag, sysconfig.get_config_var('SOABI'))";

/** A wrong --requirements is reported before any venv is made. */
export function checkRequirements(context: Context, layout: PackageLayout): void {
  const { options } = context;
  const warnings = step(layout, 'reading the requirements', undefined, () => {
    checkNoEditableRequirements(layout, options);
    // A lock file, when there is one, is installed instead of the requirements file (lock-files.ts).
    const path = findLockFile(layout, options) === undefined ? requirementsPath(layout, options) : undefined;
    if (path === undefined) return [];
    return unpinnedVcsRequirements(readFileSync(path, 'utf8'), options.requirements.file);
  });
  for (const message of warnings) {
    context.logger.log({ kind: 'warning', message: `${layout.packageName}: ${message}` });
  }
  step(layout, 'finding the project', undefined, () => checkProject(layout, options));
  step(layout, 'reading the build constraints', undefined, () => buildConstraintsPath(layout, options));
}

/** pip runs of one phase: "prepare" (pip upgrades, --preinstall, requirements) or "project". */
export function installPhase(context: Context, layout: PackageLayout, phase: PipStep['phase']): void {
  const reportDir = installReportDir(context.cwd, layout.packageName);
  const locked = step(layout, 'reading the lock file', undefined, () =>
    lockedRequirements(context, layout, dirname(reportDir), phase === 'prepare'),
  );
  const steps = step(layout, 'reading the requirements', undefined, () =>
    pipSteps(layout, context.options, installerOf(context, layout), {
      reportDir,
      buildConstraints: buildConstraintFiles(layout, context.options, dirname(reportDir)),
      ...(locked === undefined ? {} : { requirements: locked }),
    }),
  );
  const run = (): void => {
    for (const pip of steps.filter((candidate) => candidate.phase === phase)) {
      runStep(context, layout, pip, installHint(context));
    }
  };
  if (phase !== 'project') return run();
  const removed = keepingSourceTree(layout.sourceDir, run);
  if (removed.length > 0) {
    context.logger.log({
      kind: 'detail',
      message: `${layout.packageName}: removed what the build left in the source tree: ${removed.join(' ')}`,
    });
  }
  step(layout, 'checking the project added no unchecked dependency', undefined, () =>
    checkProjectInstallAddedNothing(steps, locked?.label ?? context.options.requirements.file),
  );
}

function installHint(context: Context): string {
  if (context.wheelhouse === undefined) return 'see the pip output above';
  return (
    `see the pip output above; a distribution ${WHEELHOUSE_DIR} lacks (changed requirements?) is added by ` +
    'running "dh-virtualenv vendor" in the source package'
  );
}

/** The installer the options ask for, looked up on the build host. */
function installerOf(context: Context, layout: PackageLayout): Installer {
  if (context.options.installer === 'uv') {
    const vendored =
      context.wheelhouse === undefined
        ? undefined
        : wheelhouseUv(context.wheelhouse, context.cwd, context.runner);
    const uv = vendored ?? findUv(context.hostEnv.PATH);
    return uvInstaller(layout, uv, isTrue(context.hostEnv.PIP_NO_INDEX));
  }
  return pipInstaller(layout, context.options.withoutPip ? pipFromWheel() : undefined);
}

export function runProjectTests(context: Context, layout: PackageLayout): void {
  const test = testStep(layout);
  if (test === undefined) {
    context.logger.log({
      kind: 'warning',
      message: `${layout.packageName}: no setup.py, so there is no "setup.py test" to run`,
    });
    return;
  }
  const setuptools = step(layout, 'checking for setuptools', undefined, () =>
    context.runner.capture([venvBin(layout, 'python'), '-c', SETUPTOOLS_VERSION_PROBE], {
      env: childEnvironment(context.hostEnv).env,
      ...(test.cwd === undefined ? {} : { cwd: test.cwd }),
    }),
  );
  const unavailable = setupPyTestUnavailable(setuptools);
  if (unavailable !== undefined) {
    context.logger.log({
      kind: 'warning',
      message:
        `${layout.packageName}: "setup.py test" cannot run: ${unavailable}; no tests were run ` +
        '(run them from debian/rules, e.g. in override_dh_auto_test)',
    });
    return;
  }
  runStep(context, layout, test, 'the project tests failed; DEB_BUILD_OPTIONS=nocheck skips them');
}

/** An editable install (-e) would leave the venv importing from the build tree, which the target lacks. */
function refuseEditableInstalls(layout: PackageLayout): void {
  const editable = editableInstalls(layout.stagingDir);
  if (editable.length === 0) return;
  throw new ConfigurationError(
    `${editable.join(', ')} installed in editable mode (-e), which leaves the venv importing from the build ` +
      'tree; drop -e from the requirements (a local directory installs as a copy without it)',
  );
}

/** Fixes the venv at layout.stagingDir for its installed path; `builtAt` is where it was created. */
export function fixPaths(context: Context, layout: PackageLayout, builtAt: string = layout.stagingDir): void {
  step(layout, 'checking for editable installs', undefined, () => refuseEditableInstalls(layout));
  const report = timedStep(
    context,
    layout,
    `fixing paths for ${layout.finalDir}`,
    undefined,
    () => relocate(layout, builtAt),
    (done) => `${done.scripts.length} script(s), ${done.symlinks.length} symlink(s)`,
  );
  context.logger.log({
    kind: 'detail',
    message:
      `${layout.packageName}: rewrote ${report.scripts.length} script shebang(s), ` +
      `${report.activateFiles.length} activate script(s), ${report.symlinks.length} symlink(s); ` +
      `removed ${report.byteCodeDirs.length} __pycache__ dir(s)`,
  });
  if (context.options.shipByteCode) compileByteCode(context, layout);
}

/**
 * --ship-byte-code, once the paths are fixed: byte code compiled as if in the installed path (-d), so the
 * .pyc files name /opt/venvs/<pkg>, never the build directory. Hash-checked .pyc (PEP 552) hold no
 * timestamp: timestamp-based ones would record the build-time date of each .py, which dpkg-deb clamps to
 * SOURCE_DATE_EPOCH, so they would be stale on the target and recompiled by every run. "checked" rather
 * than "unchecked": an edited .py is still noticed. PYTHONHASHSEED=0 keeps older interpreters' marshal output
 * of set constants stable. A module that does not compile (Python 2 leftovers in a dependency) ships
 * without byte code, as pip's own compile step would leave it.
 */
export function compileByteCode(context: Context, layout: PackageLayout): void {
  const env = { ...childEnvironment(context.hostEnv).env, PYTHONHASHSEED: '0' };
  const argv = [
    venvBin(layout, 'python'),
    '-m',
    'compileall',
    '-q',
    '-d',
    join(layout.finalDir, 'lib'),
    '--invalidation-mode',
    'checked-hash',
    join(layout.stagingDir, 'lib'),
  ];
  timedStep(context, layout, `compiling byte code for ${layout.finalDir}`, undefined, () => {
    try {
      context.runner.run(argv, { env });
    } catch (error) {
      // compileall exits 1 when a file did not compile, having compiled all the others.
      if (!(error instanceof CommandFailedError) || error.status !== 1) throw error;
      context.logger.log({
        kind: 'warning',
        message: `${layout.packageName}: some modules did not compile (see above); they ship without byte code`,
      });
    }
  });
}

/** Prints the interpreter's major.minor version, in Python 2 as in 3. */
export const VERSION_PROBE = 'import sys; print("%d.%d" % sys.version_info[:2])';

/** The oldest Python the virtualenv and pip of Debian 12 and 13 create venvs for. */
const OLDEST_PYTHON = [3, 7] as const;

/** --python must name a Python 3 that runs; anything else fails confusingly in virtualenv or pip. */
function checkInterpreterVersion(context: Context, python: Interpreter): void {
  const env = childEnvironment(context.hostEnv).env;
  let version: string;
  try {
    version = context.runner.capture([python.path, '-c', VERSION_PROBE], { env }).trim();
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    throw new ConfigurationError(
      `--python ${python.path} is not a Python interpreter that runs here (${error.message}); ` +
        'give the path of a Python 3 interpreter, such as /usr/bin/python3',
    );
  }
  const [major, minor] = version.split('.').map(Number);
  if (major === undefined || minor === undefined || !/^\d+\.\d+$/.test(version)) {
    throw new ConfigurationError(
      `--python ${python.path} answered "${version}" when asked for its version: it is not a Python interpreter`,
    );
  }
  if (major < OLDEST_PYTHON[0] || (major === OLDEST_PYTHON[0] && minor < OLDEST_PYTHON[1])) {
    throw new ConfigurationError(
      `--python ${python.path} is Python ${version}; a virtualenv needs Python ${OLDEST_PYTHON.join('.')} or ` +
        'later (/usr/bin/python3 on Debian 12 and 13)',
    );
  }
}

/**
 * A venv runs the interpreter it was made with, by its path: one that no Debian package owns (a pyenv shim, a
 * build in /usr/local) exists on this machine only, and Debian's patched setuptools fails in it besides.
 * Stopped before anything is built, unless the user ships that interpreter in a package of their own.
 */
export function checkInterpreter(context: Context, python: Interpreter): void {
  checkInterpreterVersion(context, python);
  if (context.options.autoscripts) checkNameableInScripts(python);
  if (context.options.allowUnpackagedPython) return;
  if (findInterpreterPackage(python, context.runner, context.hostEnv) !== undefined) return;
  const resolved = python.realPath === python.path ? '' : ` (${python.realPath})`;
  throw new ConfigurationError(
    `--python ${python.path}${resolved} belongs to no Debian package, so the package would need an ` +
      'interpreter that exists only on this machine; use a Debian interpreter (/usr/bin/python3, the ' +
      'default) or, if a package of yours provides this one, pass --allow-unpackaged-python and add that ' +
      'package to Depends',
  );
}

/**
 * One binary package to build: its options (the command line's, with its own debian/<package>.dh-virtualenv
 * read after them: package-options.ts), where its venv goes, and the interpreter the venv runs.
 */
export interface PackageBuild {
  readonly options: Options;
  readonly layout: PackageLayout;
  readonly python: Interpreter;
}

/**
 * Adds maintainer-script snippets, triggers (unless --noscripts) and the interpreter dependency. Called once
 * every package has built, so a failed build leaves nothing half-added behind.
 */
export function writePackageMetadata(context: Context, builds: readonly PackageBuild[]): void {
  const debianDir = `${context.cwd}/debian`;
  for (const { options, layout, python } of builds) {
    installLintianOverrides(debianDir, layout.packageName, layout.finalDir, context.logger, {
      byteCode: options.shipByteCode,
      binaries: venvBinaries(layout.stagingDir).length > 0,
    });
    if (options.autoscripts) {
      const byteCode = options.shipByteCode ? 'shipped' : 'compiled-on-install';
      writeMaintainerAdditions(maintainerAdditions(layout, python, byteCode), debianDir);
      const warning = postinstWarning(debianDir, layout.packageName);
      if (warning !== undefined) context.logger.log({ kind: 'warning', message: warning });
    }
  }
  // Asked once for each interpreter: packages built with a --python of their own may run another one.
  const owners = new Map<string, string | undefined>();
  for (const { layout, python } of builds) {
    if (!owners.has(python.realPath)) {
      const owner = findInterpreterPackage(python, context.runner, context.hostEnv);
      owners.set(python.realPath, owner);
      if (owner === undefined) {
        context.logger.log({
          kind: 'warning',
          message:
            `${python.realPath} belongs to no Debian package, so \${misc:Depends} names no interpreter; ` +
            'add the package that provides it to Depends in debian/control',
        });
      }
    }
    const owner = owners.get(python.realPath);
    if (owner !== undefined) writeSubstvars(debianDir, layout.packageName, 'misc:Depends', [owner]);
  }
}
