import { childEnvironment } from './child-environment';
import { ConfigurationError, DhVirtualenvError, StepFailedError } from './errors';
import { findInterpreter, type Interpreter } from './interpreter';
import { findInterpreterPackage } from './interpreter-depends';
import { packageLayout, type PackageLayout } from './layout';
import type { Logger } from './log';
import {
  maintainerAdditions,
  writeMaintainerAdditions,
  type MaintainerAdditions,
} from './maintainer-scripts';
import type { Options } from './options';
import { selectPackages } from './package-selection';
import { pipSteps, testStep } from './installs';
import { relocate } from './relocation';
import type { Runner } from './runner';
import { writeSubstvars } from './substvars';
import { createVenvCommand, resetStagingDir } from './venv-creation';

export interface Context {
  readonly options: Options;
  readonly runner: Runner;
  readonly logger: Logger;
  /** The build host's environment, as given; what reaches Python is decided in child-environment.ts. */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Runs one step, naming the package and step in the error if it fails. */
function step<T>(layout: PackageLayout, name: string, hint: string | undefined, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof DhVirtualenvError && !(error instanceof StepFailedError)) {
      throw new StepFailedError(layout.packageName, name, error, hint);
    }
    throw error;
  }
}

function buildPackage(
  context: Context,
  layout: PackageLayout,
  python: Interpreter,
): MaintainerAdditions | null {
  const { options, runner, logger } = context;
  const progress = (message: string): void =>
    logger.log({ kind: 'progress', packageName: layout.packageName, message });
  const env = childEnvironment(context.hostEnv).env;

  const creator = options.builtinVenv ? 'venv' : 'virtualenv';
  progress(`creating ${layout.finalDir} (${creator}, ${python.path})`);
  const venvHint = options.builtinVenv
    ? 'is the venv module installed (python3-venv for Debian interpreters)?'
    : 'is python3-virtualenv installed? (or build with --builtin-venv)';
  step(layout, `creating the virtualenv with ${creator}`, venvHint, () => {
    resetStagingDir(layout);
    runner.run(createVenvCommand(layout, options, python), { env });
  });

  for (const pip of step(layout, 'reading the requirements', undefined, () => pipSteps(layout, options))) {
    progress(pip.step);
    step(layout, pip.step, 'see the pip output above', () =>
      runner.run(pip.argv, { env, ...(pip.cwd === undefined ? {} : { cwd: pip.cwd }) }),
    );
  }

  if (options.runTests) {
    const test = testStep(layout);
    if (test === undefined) {
      logger.log({
        kind: 'warning',
        message: `${layout.packageName}: --setuptools-test given but no setup.py; no tests run`,
      });
    } else {
      progress(test.step);
      step(layout, test.step, 'the project tests failed; DEB_BUILD_OPTIONS=nocheck skips them', () =>
        runner.run(test.argv, { env, ...(test.cwd === undefined ? {} : { cwd: test.cwd }) }),
      );
    }
  }

  progress(`fixing paths for ${layout.finalDir}`);
  const report = step(layout, 'fixing paths', undefined, () => relocate(layout));
  logger.log({
    kind: 'detail',
    message:
      `${layout.packageName}: rewrote ${report.scripts.length} script shebang(s), ` +
      `${report.activateFiles.length} activate script(s), ${report.symlinks.length} symlink(s)`,
  });
  return options.autoscripts ? maintainerAdditions(layout, python) : null;
}

export function run(context: Context): void {
  const { options, runner, logger, hostEnv } = context;
  if (hostEnv.VIRTUAL_ENV !== undefined && hostEnv.VIRTUAL_ENV !== '') {
    throw new ConfigurationError(
      `running inside the virtualenv ${hostEnv.VIRTUAL_ENV}; run "deactivate" (or unset VIRTUAL_ENV) and build again`,
    );
  }
  const dropped = childEnvironment(hostEnv).dropped;
  if (dropped.length > 0) {
    logger.log({
      kind: 'detail',
      message: `not passed to Python/pip from the environment: ${dropped.join(' ')}`,
    });
  }
  const packages = selectPackages(options, runner, hostEnv);
  if (packages.length === 0) {
    logger.log({ kind: 'detail', message: 'no packages to act on' });
    return;
  }
  const python = findInterpreter(options.python, hostEnv.PATH);
  const additions = packages
    .map((name) => buildPackage(context, packageLayout(name, options, context.cwd), python))
    .filter((item): item is MaintainerAdditions => item !== null);
  // Scripts and substvars are written only once every package has built, so a failed build leaves nothing
  // half-added behind.
  const debianDir = `${context.cwd}/debian`;
  for (const item of additions) writeMaintainerAdditions(item, debianDir);
  const interpreterPackage = findInterpreterPackage(python, runner, hostEnv);
  if (interpreterPackage === undefined) {
    logger.log({
      kind: 'warning',
      message:
        `${python.realPath} belongs to no Debian package, so \${misc:Depends} names no interpreter; ` +
        'add the package that provides it to Depends in debian/control',
    });
    return;
  }
  for (const name of packages) writeSubstvars(debianDir, name, 'misc:Depends', [interpreterPackage]);
}
