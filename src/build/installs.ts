import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { indexOptions } from '../core/credentials';
import { ConfigurationError } from '../core/errors';
import { reportArgs } from './install-reports';
import { venvBin, type PackageLayout } from './layout';
import type { Options } from './options';

/** One pip run of the pipeline, in order. */
export interface PipStep {
  /** "prepare" runs before the project is installed (the buildsystem's build step), "project" after. */
  readonly phase: 'prepare' | 'project';
  readonly step: string;
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** Set for the run on top of the child environment (index URLs with credentials). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * How the installer is run: the words before "install", and the words right after it. pip runs as
 * `<venv>/bin/python -m pip` rather than through bin/pip: the script's shebang holds the full build path,
 * which can pass the kernel's 127-byte shebang limit on a deep build directory. pip's own byte-compiling is
 * skipped: byte code would carry the build path and build time, so the postinst compiles it on the target.
 * uv compiles nothing unless asked, and is told which interpreter's environment to install into.
 */
export interface Installer {
  readonly prefix: readonly string[];
  readonly installFlags: readonly string[];
  /** The variables that name the index and the extra indexes for it. */
  readonly indexVariables: { readonly index: string; readonly extra: string };
  /** pip writes an installation report (`--report`) for the bill of materials; uv and --pip-tool cannot. */
  readonly writesReports: boolean;
  /** uv's option for build constraints; pip has none before 25.3 and reads PIP_CONSTRAINT (build-constraints.ts). */
  readonly buildConstraintsOption?: string;
}

const PIP_INDEX_VARIABLES = { index: 'PIP_INDEX_URL', extra: 'PIP_EXTRA_INDEX_URL' };

/** pip in the venv, or with --without-pip pip from a wheel (`pipWheel`, see pipFromWheel). */
export function pipInstaller(layout: PackageLayout, pipWheel?: string): Installer {
  const python = venvBin(layout, 'python');
  const prefix = pipWheel === undefined ? [python, '-m', 'pip'] : [python, pipWheel];
  return {
    prefix,
    installFlags: ['--no-compile'],
    indexVariables: PIP_INDEX_VARIABLES,
    writesReports: true,
  };
}

/**
 * --installer uv: `uv pip install --python <venv>/bin/python …`, with `uv` the path found. uv 0.13 reads no
 * variable for pip's --no-index, so PIP_NO_INDEX on the build host becomes the option.
 */
export function uvInstaller(layout: PackageLayout, uv: string, noIndex = false): Installer {
  return {
    prefix: [uv, 'pip'],
    installFlags: ['--python', venvBin(layout, 'python'), ...(noIndex ? ['--no-index'] : [])],
    indexVariables: { index: 'UV_INDEX_URL', extra: 'UV_EXTRA_INDEX_URL' },
    writesReports: false,
    buildConstraintsOption: '--build-constraints',
  };
}

/** --pip-tool: a program in the venv's bin/ that takes pip's arguments; it may compile (fixups remove it). */
function pipTool(layout: PackageLayout, tool: string): Installer {
  return {
    prefix: [venvBin(layout, 'python'), venvBin(layout, tool)],
    installFlags: [],
    indexVariables: PIP_INDEX_VARIABLES,
    writesReports: false,
  };
}

/** Where --index-url and --extra-index-url go: words of the command, or variables of its environment. */
interface IndexSettings {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The index options (credentials.ts keeps URLs with credentials out of the words), and -v when verbose. */
export function indexSettings(options: Options, installer: Installer): IndexSettings {
  const index = indexOptions(options.indexUrl, options.extraIndexUrls, installer.indexVariables);
  return { args: [...(options.verbose ? ['-v'] : []), ...index.args], env: index.env };
}

/**
 * An editable requirement (-e) leaves the venv importing from the build tree, which the target does not have;
 * refused before pip runs (setuptools' develop would already write into the directory it names).
 */
export function checkNoEditableRequirements(layout: PackageLayout, options: Options): void {
  const path = requirementsPath(layout, options);
  if (path === undefined) return;
  const lines = readFileSync(path, 'utf8').split('\n');
  const at = lines.findIndex((line) => /^\s*(-e|--editable)(\s|=|$)/.test(line));
  if (at === -1) return;
  throw new ConfigurationError(
    `${options.requirements.file}:${at + 1}: "${(lines[at] ?? '').trim()}" is an editable requirement, which ` +
      'leaves the venv importing from the build tree; drop -e (a local directory installs as a copy without it)',
  );
}

/**
 * git requirements in a requirements file that name no full commit id (`git+https://…/repo.git@main`, or no
 * ref at all): what they install moves with the branch, so two builds of one source may differ. One warning
 * each, naming the line; a tag or branch is allowed, as upstream allows it, but said.
 */
export function unpinnedVcsRequirements(text: string, file: string): string[] {
  return text.split('\n').flatMap((line, index) => {
    const vcs = /(?:^|\s|@)\s*(git\+\S+)/.exec(line.replace(/^\s*#.*$/, ''));
    const url = vcs?.[1];
    if (url === undefined || /@[0-9a-f]{40}(?:#|$)/.test(url)) return [];
    return [
      `${file}:${index + 1}: "${url}" names no commit, so what it installs can change between builds; pin ` +
        'the full commit id (…@<40 hex digits>)',
    ];
  });
}

/** Without setup.py or pyproject.toml pip would fail deep in its output; said up front instead. */
export function checkProject(layout: PackageLayout, options: Options): void {
  if (options.skipInstall) return;
  if (['setup.py', 'pyproject.toml'].some((name) => existsSync(join(layout.sourceDir, name)))) return;
  throw new ConfigurationError(
    `no setup.py or pyproject.toml in ${layout.sourceDir}, so there is no project to install; point ` +
      '--sourcedirectory (-D) at the project, or pass --skip-install to install only the requirements',
  );
}

export function requirementsPath(layout: PackageLayout, options: Options): string | undefined {
  const path = join(layout.sourceDir, options.requirements.file);
  if (existsSync(path) && !statSync(path).isFile()) {
    throw new ConfigurationError(
      `--requirements ${options.requirements.file}: ${path} is not a file; name the requirements file itself`,
    );
  }
  if (existsSync(path)) return path;
  if (options.requirements.explicit) {
    throw new ConfigurationError(
      `--requirements ${options.requirements.file}: ${path} does not exist; fix the path ` +
        '(it is relative to the source directory, -D) or drop the option',
    );
  }
  return undefined;
}

/** The project in the current directory, with its extras, as pip takes it. */
export function projectTarget(extras: readonly string[]): string {
  return extras.length > 0 ? `.[${extras.join(',')}]` : '.';
}

/** Files the build writes for the installer runs (pipeline.ts makes them); each is optional. */
export interface BuildFiles {
  /** Where each pip run writes its installation report and log (install-reports.ts). */
  readonly reportDir?: string;
  /** The --build-constraints file: as given (for uv), and pip's copy without hashes (build-constraints.ts). */
  readonly buildConstraints?: { readonly given: string; readonly forPip: string };
  /** Requirements converted from a lock file (lock-files.ts), installed instead of --requirements. */
  readonly requirements?: { readonly path: string; readonly label: string };
}

/** The upgrades of pip, setuptools and wheel the options ask for: the name, and it or `name==version`. */
export function pipUpgrades(options: Options): { name: string; requirement: string }[] {
  const upgrades = [
    ['pip', options.upgradePip],
    ['setuptools', options.upgradeSetuptools],
    ['wheel', options.upgradeWheel],
  ] as const;
  return upgrades.flatMap(([name, upgrade]) => {
    if (upgrade.kind === 'none') return [];
    return [{ name, requirement: upgrade.kind === 'latest' ? name : `${name}==${upgrade.version}` }];
  });
}

/** Options that only make sense for a requirements file: the project itself, a directory, has no hash. */
const REQUIREMENTS_ONLY_ARGS = new Set(['--require-hashes']);

/** The installer runs, in order. */
export function pipSteps(
  layout: PackageLayout,
  options: Options,
  installer: Installer,
  files: BuildFiles = {},
): PipStep[] {
  const tool = options.pipTool === 'pip' ? installer : pipTool(layout, options.pipTool);
  const index = indexSettings(options, installer);
  const steps: PipStep[] = [];
  const constraints = files.buildConstraints;
  const install = (runner: Installer): string[] => [
    ...runner.prefix,
    'install',
    ...runner.installFlags,
    ...index.args,
    ...(files.reportDir !== undefined && runner.writesReports
      ? reportArgs(files.reportDir, steps.length)
      : []),
    ...(constraints !== undefined && runner.buildConstraintsOption !== undefined
      ? [runner.buildConstraintsOption, constraints.given]
      : []),
  ];
  const extraArgs = options.extraPipArgs.filter((arg) => !REQUIREMENTS_ONLY_ARGS.has(arg));

  // Upgrades get only the index options: the user's extra pip arguments may need the newer pip.
  for (const { name, requirement } of pipUpgrades(options)) {
    const target = requirement === name ? ['-U', name] : [requirement];
    steps.push({ phase: 'prepare', step: `upgrading ${name}`, argv: [...install(installer), ...target] });
  }
  if (options.preinstall.length > 0) {
    steps.push({
      phase: 'prepare',
      step: 'installing --preinstall packages',
      argv: [...install(installer), ...extraArgs, ...options.preinstall],
    });
  }
  const requirements = files.requirements?.path ?? requirementsPath(layout, options);
  if (requirements !== undefined) {
    steps.push({
      phase: 'prepare',
      step: `installing ${files.requirements?.label ?? options.requirements.file}`,
      argv: [...install(tool), ...options.extraPipArgs, '-r', requirements],
    });
  }
  if (!options.skipInstall) {
    const target = projectTarget(options.extras);
    steps.push({
      phase: 'project',
      step: 'installing the project',
      argv: [...install(tool), ...extraArgs, target],
      cwd: layout.sourceDir,
    });
  }
  // pip reads build constraints only from the environment, which the pip setting up each build inherits.
  const env: Record<string, string> = {
    ...index.env,
    ...(constraints !== undefined && installer.buildConstraintsOption === undefined
      ? { PIP_CONSTRAINT: constraints.forPip }
      : {}),
  };
  return Object.keys(env).length === 0 ? steps : steps.map((step) => ({ ...step, env }));
}

/** Prints the version of the setuptools the venv's python imports, or nothing when it has none. */
export const SETUPTOOLS_VERSION_PROBE =
  'try:\n    import setuptools\nexcept ImportError:\n    pass\nelse:\n    print(setuptools.__version__)\n';

/**
 * Why `python setup.py test` cannot run with this setuptools ('' for none), or undefined if it can. Debian 12's
 * virtualenv seeds setuptools 66; for Python 3.12 and later (Debian 13) virtualenv and venv seed none, and a
 * setuptools installed later is 72 or newer, whose test command only raises an error.
 */
export function setupPyTestUnavailable(setuptoolsVersion: string): string | undefined {
  if (setuptoolsVersion === '') return 'the virtualenv has no setuptools';
  const major = Number(/^\d+/.exec(setuptoolsVersion)?.[0]);
  if (major >= 72) return `setuptools ${setuptoolsVersion} has no test command (setuptools 72 removed it)`;
  return undefined;
}

/** `--setuptools-test`: upstream's behaviour, `python setup.py test` in the project, only for setup.py projects. */
export function testStep(layout: PackageLayout): PipStep | undefined {
  if (!existsSync(join(layout.sourceDir, 'setup.py'))) return undefined;
  return {
    phase: 'project',
    step: 'running setup.py test',
    argv: [venvBin(layout, 'python'), 'setup.py', 'test'],
    cwd: layout.sourceDir,
  };
}
