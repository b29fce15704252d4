/**
 * What the package build installs, found as the build finds it (dh_virtualenv's options, each package's
 * debian/<package>.dh-virtualenv, lock files converted for the interpreter): the first step of vendor.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, UsageError } from '../core/errors';
import { buildConstraintFiles } from '../build/build-constraints';
import { checkProject, pipUpgrades, projectTarget, requirementsPath } from '../build/installs';
import { findInterpreter, type Interpreter } from '../core/interpreter';
import { packageLayout } from '../build/layout';
import { findLockFile, markerEnvironment, writeLockedRequirements } from '../build/lock-files';
import { parseOptions, type Options } from '../build/options';
import { optionsOfPackages } from '../build/package-options';
import { selectPackages } from '../build/package-selection';
import { type DownloadInputs } from './downloads';
import { type VendorContext } from './context';

/** What one binary package's build installs, found as the build finds it. */
export interface PackageInputs extends DownloadInputs {
  readonly packageName: string;
  readonly sourceDir: string;
  /** The project itself is installed (not --skip-install), so its build requirements are needed too. */
  readonly project: boolean;
  readonly python: Interpreter;
  /** --installer uv: the build needs uv, which Debian does not ship, so its wheel is vendored. */
  readonly uv: boolean;
  /** --build-constraints, as pip gets it (build-constraints.ts): what the build pins its build tools to. */
  readonly buildConstraints?: string;
}

/** dh_virtualenv's options as given to vendor, parsed by dh_virtualenv's own parser. */
export function buildOptions(context: VendorContext): Options {
  const parsed = parseOptions(context.options.buildArgs, context.env);
  if (parsed.action !== 'build') throw new Error('internal error: vendor passed --help or --version on');
  for (const message of parsed.warnings) context.logger.log({ kind: 'warning', message });
  return parsed.options;
}

/**
 * The package's inputs as its build has them: the lock file converted as the build converts it (for the
 * interpreter's markers), else the requirements file; the project with its extras; --preinstall; upgrades.
 */
function packageInputs(
  context: VendorContext,
  packageName: string,
  options: Options,
  work: string,
): PackageInputs {
  const layout = packageLayout(packageName, options, context.packageDir);
  checkProject(layout, options);
  const python = findInterpreter(options.python, context.env.PATH);
  const lockFile = findLockFile(layout, options);
  let requirementFiles: string[];
  if (lockFile !== undefined) {
    const environment = markerEnvironment(context.runner, python.path, context.env);
    const dir = join(work, 'locks', packageName);
    mkdirSync(dir, { recursive: true });
    const marked = { environment, extras: options.extras, groups: options.lockGroups };
    requirementFiles = [writeLockedRequirements(lockFile, marked, dir)];
  } else {
    const path = requirementsPath(layout, options);
    requirementFiles = path === undefined ? [] : [path];
  }
  const project = !options.skipInstall;
  const constraints = buildConstraintFiles(layout, options, join(work, 'build-constraints', packageName));
  const specs = [
    ...(project ? [projectTarget(options.extras)] : []),
    ...options.preinstall,
    ...pipUpgrades(options).map((upgrade) => upgrade.requirement),
    ...context.options.include,
  ];
  return {
    packageName,
    sourceDir: layout.sourceDir,
    requirementFiles,
    specs,
    project,
    python,
    uv: options.installer === 'uv',
    ...(constraints === undefined ? {} : { buildConstraints: constraints.forPip }),
  };
}

/** The inputs of every package the build acts on, each with its own debian/<package>.dh-virtualenv. */
export function allInputs(context: VendorContext, options: Options, work: string): PackageInputs[] {
  const build = {
    options,
    runner: context.runner,
    logger: context.logger,
    hostEnv: context.env,
    cwd: context.packageDir,
  };
  const packages = selectPackages(options, context.runner, context.env, context.packageDir);
  if (packages.length === 0) {
    throw new ConfigurationError('debian/control has no binary package dh_virtualenv would build a venv for');
  }
  const inputs = optionsOfPackages(build, packages).map(({ packageName, options: own }) =>
    packageInputs(context, packageName, own, work),
  );
  const interpreters = [...new Set(inputs.map((input) => input.python.realPath))];
  if (interpreters.length > 1) {
    throw new UsageError(
      `the packages are built with different interpreters (${interpreters.join(', ')}); one wheelhouse holds ` +
        'the files of one, so vendor and build them from separate source packages, or use one --python',
    );
  }
  return inputs;
}
