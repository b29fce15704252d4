import { mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { withBuildFlags } from './build-flags';
import { childEnvironment } from './child-environment';
import { UsageError } from './errors';
import { findInterpreter } from './interpreter';
import type { PackageLayout } from './layout';
import { logHeldBackVariables, refuseActiveVirtualenv } from './main';
import type { BuildsystemStep } from './options';
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

/**
 * `dh $@ --buildsystem=dh_virtualenv`: the same venv pipeline as the sequence, split over debhelper's steps.
 * The venv is created in the build directory (configure/build/test), then copied into the package tree and
 * fixed for its final path (install), so users can override a single step or place files with .install.
 */
function buildLayout(context: Context, bs: BuildsystemStep, packageName: string): PackageLayout {
  const finalDir = join(context.options.installRoot, context.options.installSuffix ?? bs.sourcePackage);
  return Object.freeze({
    packageName,
    finalDir,
    stagingDir: join(resolve(context.cwd, bs.buildDir), finalDir),
    packageTree: resolve(context.cwd, bs.buildDir),
    sourceDir: resolve(context.cwd, context.options.sourceDirectory),
  });
}

/** The packages the venv is for: the one dh_auto_install installs into, or every one acted on (debian/tmp). */
function targetPackages(context: Context, destDir: string): string[] {
  const packages = selectPackages(context.options, context.runner, context.hostEnv, context.cwd);
  const named = basename(resolve(context.cwd, destDir));
  return packages.includes(named) ? [named] : packages;
}

/** clean must never remove the source tree, whatever --builddirectory says. */
function removableBuildDir(context: Context, bs: BuildsystemStep): string {
  const dir = resolve(context.cwd, bs.buildDir);
  const source = resolve(context.cwd, context.options.sourceDirectory);
  const inside = (parent: string): boolean => (parent + '/').startsWith(dir + '/');
  if (inside(resolve(context.cwd)) || inside(source) || dir === '/') {
    throw new UsageError(`refusing to remove build directory ${dir}: it holds the source tree`);
  }
  return dir;
}

export function runBuildsystemStep(context: Context, bs: BuildsystemStep): void {
  refuseActiveVirtualenv(context.hostEnv);
  const python = findInterpreter(context.options.python, context.hostEnv.PATH);
  const build = buildLayout(context, bs, bs.sourcePackage);
  switch (bs.step) {
    case 'configure':
      mkdirSync(resolve(context.cwd, bs.buildDir), { recursive: true });
      return;
    case 'build': {
      logHeldBackVariables(context);
      checkRequirements(build, context.options);
      const withFlags = { ...context, hostEnv: withBuildFlags(context.hostEnv, context.runner, context.cwd) };
      createVirtualenv(withFlags, build, python);
      installPhase(withFlags, build, 'prepare');
      return;
    }
    case 'test':
      runProjectTests(context, build);
      return;
    case 'install': {
      installPhase(
        { ...context, hostEnv: withBuildFlags(context.hostEnv, context.runner, context.cwd) },
        build,
        'project',
      );
      const destDir = bs.destDir ?? `debian/${bs.sourcePackage}`;
      const installed: PackageLayout = Object.freeze({
        ...build,
        stagingDir: join(resolve(context.cwd, destDir), build.finalDir),
        packageTree: resolve(context.cwd, destDir),
      });
      mkdirSync(installed.stagingDir, { recursive: true });
      context.runner.run(['cp', '-a', '-T', build.stagingDir, installed.stagingDir], {
        env: childEnvironment(context.hostEnv).env,
      });
      fixPaths(context, installed, build.stagingDir);
      const layouts = targetPackages(context, destDir).map((packageName) => ({ ...installed, packageName }));
      writePackageMetadata(context, layouts, python);
      return;
    }
    case 'clean':
      rmSync(removableBuildDir(context, bs), { recursive: true, force: true });
      return;
  }
}
