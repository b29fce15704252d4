import { findInterpreter } from '../core/interpreter';
import { packageLayout } from './layout';
import { optionsOfPackages } from './package-options';
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
  type PackageBuild,
  withBuildEnvironment,
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
  const perPackage = optionsOfPackages(given, packages);
  const context = withBuildEnvironment(given);
  const builds: PackageBuild[] = perPackage.map(({ packageName, options }) => {
    const python = findInterpreter(options.python, context.hostEnv.PATH);
    return { options, layout: packageLayout(packageName, options, context.cwd), python };
  });
  for (const { options, python } of builds) checkInterpreter({ ...context, options }, python);
  for (const { options, layout } of builds) checkRequirements({ ...context, options }, layout);
  for (const { options, layout, python } of builds) {
    const packageContext = { ...context, options };
    createVirtualenv(packageContext, layout, python);
    installPhase(packageContext, layout, 'prepare');
    installPhase(packageContext, layout, 'project');
    if (options.runTests) runProjectTests(packageContext, layout);
    fixPaths(packageContext, layout);
    writeBillOfMaterials(packageContext, layout, layout.packageName);
  }
  writePackageMetadata(context, builds);
}
