import { withBuildFlags } from './build-flags';
import { childEnvironment } from './child-environment';
import { ConfigurationError } from './errors';
import { findInterpreter } from './interpreter';
import { packageLayout } from './layout';
import { selectPackages } from './package-selection';
import {
  checkRequirements,
  createVirtualenv,
  fixPaths,
  installPhase,
  runProjectTests,
  writePackageMetadata,
  type Context,
} from './pipeline';

export type { Context } from './pipeline';

export function refuseActiveVirtualenv(hostEnv: Context['hostEnv']): void {
  if (hostEnv.VIRTUAL_ENV !== undefined && hostEnv.VIRTUAL_ENV !== '') {
    throw new ConfigurationError(
      `running inside the virtualenv ${hostEnv.VIRTUAL_ENV}; run "deactivate" (or unset VIRTUAL_ENV) and build again`,
    );
  }
  return undefined;
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

/** dh_virtualenv as a sequence step: for each selected package, build its venv into debian/<pkg>. */
export function run(given: Context): void {
  refuseActiveVirtualenv(given.hostEnv);
  logHeldBackVariables(given);
  const packages = selectPackages(given.options, given.runner, given.hostEnv, given.cwd);
  if (packages.length === 0) {
    given.logger.log({ kind: 'detail', message: 'no packages to act on' });
    return;
  }
  const context = { ...given, hostEnv: withBuildFlags(given.hostEnv, given.runner, given.cwd) };
  const { options, hostEnv } = context;
  const python = findInterpreter(options.python, hostEnv.PATH);
  const layouts = packages.map((name) => packageLayout(name, options, context.cwd));
  for (const layout of layouts) checkRequirements(layout, options);
  for (const layout of layouts) {
    createVirtualenv(context, layout, python);
    installPhase(context, layout, 'prepare');
    installPhase(context, layout, 'project');
    if (options.runTests) runProjectTests(context, layout);
    fixPaths(context, layout);
  }
  writePackageMetadata(context, layouts, python);
}
