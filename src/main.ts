import { withBuildCaches } from './build-caches';
import { withBuildFlags } from './build-flags';
import { findInterpreter } from './interpreter';
import { packageLayout } from './layout';
import { selectPackages } from './package-selection';
import { writeBillOfMaterials } from './sbom';
import {
  checkInterpreter,
  checkRequirements,
  createVirtualenv,
  fixPaths,
  installPhase,
  logHeldBackVariables,
  refuseActiveVirtualenv,
  runProjectTests,
  writePackageMetadata,
  type Context,
} from './pipeline';

export type { Context } from './pipeline';

/** dh_virtualenv as a sequence step: for each selected package, build its venv into debian/<pkg>. */
export function run(given: Context): void {
  refuseActiveVirtualenv(given.hostEnv);
  logHeldBackVariables(given);
  const packages = selectPackages(given.options, given.runner, given.hostEnv, given.cwd);
  if (packages.length === 0) {
    given.logger.log({ kind: 'detail', message: 'no packages to act on' });
    return;
  }
  const hostEnv = withBuildCaches(withBuildFlags(given.hostEnv, given.runner, given.cwd), given.cwd);
  const context = { ...given, hostEnv };
  const { options } = context;
  const python = findInterpreter(options.python, hostEnv.PATH);
  checkInterpreter(context, python);
  const layouts = packages.map((name) => packageLayout(name, options, context.cwd));
  for (const layout of layouts) checkRequirements(layout, options);
  for (const layout of layouts) {
    createVirtualenv(context, layout, python);
    installPhase(context, layout, 'prepare');
    installPhase(context, layout, 'project');
    if (options.runTests) runProjectTests(context, layout);
    fixPaths(context, layout);
    writeBillOfMaterials(context, layout, layout.packageName);
  }
  writePackageMetadata(context, layouts, python);
}
