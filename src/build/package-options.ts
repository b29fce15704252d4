/**
 * Options of one binary package, from debian/<package>.dh-virtualenv: a source that builds several venvs (a
 * server and a worker with different extras or requirements files) gives each its own options without an
 * override_dh_virtualenv in debian/rules.
 *
 * The file is one long option a line, as on the command line (`--extras server`,
 * `--requirements=requirements/worker.txt`); blank lines and lines starting with # are skipped. The value is the
 * rest of the line as written: no quotes, no splitting into words. The lines are read after the options given to
 * dh_virtualenv (options.ts, withMoreOptions), so the file's value of a single-valued option wins, its repeatable
 * options are added to the command line's, and a flag given on either is on.
 *
 * Which file is found as debhelper finds a package's files (Dh_Lib.pm, pkgfile): the first of
 * debian/<package>.dh-virtualenv.<arch>, .<os>, debian/<package>.dh-virtualenv and, for the main package (the
 * first binary package of debian/control), debian/dh-virtualenv.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors';
import { OPTION_TABLE, type OptionSpec } from '../core/option-table';
import { withMoreOptions, type GivenOption, type OptionEnvironment, type Options } from './options';
import type { Context } from './pipeline';

/** The name debhelper's convention puts after `debian/<package>.`. */
export const PACKAGE_FILE = 'dh-virtualenv';

/** One option of the file and the line it is on, for the errors. */
export interface OptionLine {
  readonly line: number;
  readonly option: GivenOption;
}

/** Reads a per-package file; `where` (debian/<package>.dh-virtualenv) names it in the errors. */
export function parsePackageFile(text: string, where: string): OptionLine[] {
  const lines: OptionLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const words = raw.trim();
    if (words === '' || words.startsWith('#')) return;
    lines.push(Object.freeze({ line: index + 1, option: optionOfLine(words, `${where}:${index + 1}`) }));
  });
  return lines;
}

function optionOfLine(text: string, at: string): GivenOption {
  if (!text.startsWith('--')) {
    const short = /^-([A-Za-z])(?:\s|$)/.exec(text)?.[1];
    const spec =
      short === undefined ? undefined : OPTION_TABLE.find((candidate) => candidate.short === short);
    if (spec !== undefined) {
      throw new UsageError(`${at}: -${short}: this file takes long options only; write --${spec.long}`);
    }
    throw new UsageError(
      `${at}: "${text}" is not an option; each line holds one long option, such as --extras NAME`,
    );
  }
  const end = text.search(/[=\s]/);
  const name = text.slice(2, end === -1 ? undefined : end);
  const rest = end === -1 ? undefined : text.slice(end + 1).trim();
  const spec = OPTION_TABLE.find((candidate) => candidate.long === name && candidate.internal !== true);
  if (spec === undefined) throw new UsageError(`${at}: unknown option --${name}; ${unknownFix(name)}`);
  if (spec.wholeRun !== undefined) {
    throw new UsageError(`${at}: --${name} cannot be set for one package: ${spec.wholeRun}`);
  }
  if (spec.deprecated !== undefined) {
    throw new UsageError(`${at}: --${name} is deprecated and not read here; ${spec.deprecated}`);
  }
  if (spec.kind === 'flag') {
    if (rest !== undefined && rest !== '') {
      throw new UsageError(`${at}: --${name} takes no value; write the line as --${name} alone`);
    }
    return Object.freeze({ long: name });
  }
  return Object.freeze({ long: name, value: valueOf(spec, rest, at) });
}

function valueOf(spec: OptionSpec, rest: string | undefined, at: string): string {
  const metavar = spec.metavar ?? 'VALUE';
  if (rest === undefined || rest === '') {
    throw new UsageError(`${at}: --${spec.long} needs a value, as in "--${spec.long} ${metavar}"`);
  }
  if (/^(["']).*\1$/.test(rest)) {
    throw new UsageError(
      `${at}: the value of --${spec.long} is in quotes, which would become part of it; write it without ` +
        'them (the rest of the line is the value, spaces and all)',
    );
  }
  return rest;
}

/** A misspelt option: the options it is the beginning of, if any. */
function unknownFix(name: string): string {
  const candidates = OPTION_TABLE.filter(
    (spec) => spec.internal !== true && spec.deprecated === undefined && spec.long.startsWith(name),
  );
  if (name === '' || candidates.length === 0) return 'dh_virtualenv --help lists the options';
  return `did you mean ${candidates.map((spec) => `--${spec.long}`).join(' or ')}?`;
}

/**
 * The package's options: the command line's with the file's lines read after them. Each line is checked with
 * the ones before it, so an error (a bad value, an option that conflicts with one of debian/rules) names the
 * line that caused it.
 */
export function packageOptions(
  options: Options,
  lines: readonly OptionLine[],
  where: string,
  env: OptionEnvironment,
): Options {
  let merged = options;
  lines.forEach((entry, index) => {
    try {
      merged = withMoreOptions(
        options,
        lines.slice(0, index + 1).map((line) => line.option),
        env,
      );
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(`${where}:${entry.line}: ${error.message}`);
    }
  });
  return merged;
}

/** The binary packages of debian/control, in order; debhelper's main package is the first. */
export function binaryPackagesOf(control: string): string[] {
  return control.split('\n').flatMap((line) => /^package\s*:\s*(\S+)/i.exec(line)?.[1] ?? []);
}

export interface HostArchitecture {
  /** DEB_HOST_ARCH, e.g. amd64. */
  readonly arch: string;
  /** DEB_HOST_ARCH_OS, e.g. linux. */
  readonly os: string;
}

/**
 * The names debhelper tries for a package's file, most specific first (Dh_Lib.pm, pkgfile). Like debhelper, the
 * architecture is asked for only when some debian/*.dh-virtualenv.* file exists.
 */
export function packageFileCandidates(
  packageName: string,
  mainPackage: string | undefined,
  host: (() => HostArchitecture) | undefined,
): string[] {
  const own = `debian/${packageName}.${PACKAGE_FILE}`;
  const variants = host === undefined ? [] : [`${own}.${host().arch}`, `${own}.${host().os}`];
  return [...variants, own, ...(packageName === mainPackage ? [`debian/${PACKAGE_FILE}`] : [])];
}

/** A per-package file whose name starts with no binary package of debian/control is probably misspelt. */
export function strayPackageFiles(debianFiles: readonly string[], packages: readonly string[]): string[] {
  return debianFiles.filter((file) => {
    const owner = /^(.+)\.dh-virtualenv(?:\.[a-z0-9-]+)?$/.exec(file)?.[1];
    return owner !== undefined && !packages.includes(owner);
  });
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Each package's options: the command line's, with its own file when it has one. */
export function optionsOfPackages(
  context: Context,
  packages: readonly string[],
): { readonly packageName: string; readonly options: Options }[] {
  const { cwd, runner, hostEnv, logger } = context;
  const debianFiles = readdirSync(join(cwd, 'debian'));
  const inControl = binaryPackagesOf(readFileSync(join(cwd, 'debian/control'), 'utf8'));
  for (const file of strayPackageFiles(debianFiles, inControl)) {
    logger.log({
      kind: 'warning',
      message: `debian/${file} is not read: debian/control has no binary package of that name`,
    });
  }
  let known: HostArchitecture | undefined;
  const host = (): HostArchitecture => {
    const ask = (variable: string): string =>
      runner.capture(['dpkg-architecture', `-q${variable}`], { env: hostEnv, cwd }).trim();
    known ??= { arch: ask('DEB_HOST_ARCH'), os: ask('DEB_HOST_ARCH_OS') };
    return known;
  };
  const specific = debianFiles.some(
    (file) => file.includes(`.${PACKAGE_FILE}.`) && !file.endsWith('.debhelper'),
  );
  return packages.map((packageName) => {
    const where = packageFileCandidates(packageName, inControl[0], specific ? host : undefined).find(
      (candidate) => isFile(join(cwd, candidate)),
    );
    if (where === undefined) return { packageName, options: context.options };
    const lines = parsePackageFile(readFileSync(join(cwd, where), 'utf8'), where);
    const options = packageOptions(context.options, lines, where, hostEnv);
    const shown = lines.map(
      ({ option }) => `--${option.long}${option.value === undefined ? '' : `=${option.value}`}`,
    );
    logger.log({
      kind: 'progress',
      packageName,
      message: `options from ${where}${shown.length === 0 ? ' (none)' : `: ${shown.join(' ')}`}`,
    });
    return { packageName, options };
  });
}
