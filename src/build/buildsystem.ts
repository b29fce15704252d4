import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { childEnvironment } from './child-environment';
import { UsageError } from '../core/errors';
import { findInterpreter } from '../core/interpreter';
import type { PackageLayout } from './layout';
import type { BuildsystemStep } from './options';
import { selectPackages } from './package-selection';
import { writeBillOfMaterials } from './sbom';
import { venvBinaries } from './shlibdeps';
import {
  checkInterpreter,
  checkRequirements,
  createVirtualenv,
  fixPaths,
  installPhase,
  logHeldBackVariables,
  refuseActiveVirtualenv,
  runProjectTests,
  withBuildEnvironment,
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

/** A dh_install source as a path relative to debian/tmp: "debian/tmp/usr/share/x/" is "usr/share/x". */
function relativeToTmp(source: string): string {
  return source.replace(/^(\.\/)?(debian\/tmp\/)?\/*/, '').replace(/\/+$/, '');
}

/** A dh_install source pattern as a regular expression over whole paths (* and ? stay within a directory). */
function installPattern(path: string): RegExp {
  const body = [...path]
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/**
 * Whether debian/<pkg>.install (debian/install for the first package) takes the venv from debian/tmp: a line
 * names the venv directory, a directory above it, or something inside it.
 */
function installFileTakes(cwd: string, packageName: string, first: boolean, finalDir: string): boolean {
  const names = [`${packageName}.install`, ...(first ? ['install'] : [])];
  const file = names.map((name) => join(cwd, 'debian', name)).find((path) => existsSync(path));
  if (file === undefined) return false;
  const venv = finalDir.replace(/^\/+/, '');
  const parts = venv.split('/');
  const venvAndParents = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0 && !(words[0] ?? '').startsWith('#'))
    .flatMap((words) => (words.length > 1 ? words.slice(0, -1) : words))
    .map(relativeToTmp)
    .some((source) => {
      const pattern = installPattern(source);
      return venvAndParents.some((path) => pattern.test(path)) || source.startsWith(`${venv}/`);
    });
}

/**
 * The packages the venv is for: the one dh_auto_install installs into; with several packages (debian/tmp),
 * those whose .install file takes the venv, so the others get no maintainer scripts, triggers or Depends of
 * it; failing that, every package acted on.
 */
function targetPackages(context: Context, destDir: string, finalDir: string): string[] {
  const packages = selectPackages(context.options, context.runner, context.hostEnv, context.cwd);
  const named = basename(resolve(context.cwd, destDir));
  if (packages.includes(named)) return [named];
  const taking = packages.filter((name, i) => installFileTakes(context.cwd, name, i === 0, finalDir));
  if (taking.length > 0) return taking;
  context.logger.log({
    kind: 'warning',
    message:
      `the venv went to ${destDir} and no debian/<package>.install names ${finalDir}; ` +
      `adding its maintainer scripts to every package (${packages.join(', ')})`,
  });
  return packages;
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

/**
 * Without the python-virtualenv add-on nothing keeps dh_strip and dh_shlibdeps away from the libraries binary
 * wheels bundle (docs/native.md): strip can corrupt them and dpkg-shlibdeps cannot resolve them. The build
 * is not stopped, as an existing debian/rules may already exclude them by hand.
 */
function warnAboutBundledLibraries(context: Context, packageTree: string): void {
  const bundled = venvBinaries(packageTree).filter((path) => /\.libs\//.test(path));
  if (bundled.length === 0) return;
  context.logger.log({
    kind: 'warning',
    message:
      `the venv holds ${bundled.length} librar${bundled.length === 1 ? 'y' : 'ies'} bundled by binary ` +
      `wheels (${relative(packageTree, bundled[0] ?? '')}), which dh_strip may corrupt and dh_shlibdeps ` +
      'cannot resolve; add dh-sequence-python-virtualenv to Build-Depends (it works with ' +
      '--buildsystem=dh_virtualenv) to have them handled',
  });
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
      checkInterpreter(context, python);
      checkRequirements(context, build);
      const building = withBuildEnvironment(context);
      createVirtualenv(building, build, python);
      installPhase(building, build, 'prepare');
      return;
    }
    case 'test':
      runProjectTests(context, build);
      return;
    case 'install': {
      installPhase(withBuildEnvironment(context), build, 'project');
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
      if (!bs.addonActive) warnAboutBundledLibraries(context, installed.packageTree);
      const layouts = targetPackages(context, destDir, build.finalDir).map((packageName) => ({
        ...installed,
        packageName,
      }));
      for (const layout of layouts) writeBillOfMaterials(context, layout, build.packageName);
      writePackageMetadata(
        context,
        layouts.map((layout) => ({ options: context.options, layout, python })),
      );
      return;
    }
    case 'clean':
      rmSync(removableBuildDir(context, bs), { recursive: true, force: true });
      return;
  }
}
