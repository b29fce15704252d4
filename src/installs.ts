import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from './errors';
import { venvBin, type PackageLayout } from './layout';
import type { Options } from './options';

/** One pip run of the pipeline, in order. */
export interface PipStep {
  /** "prepare" runs before the project is installed (the buildsystem's build step), "project" after. */
  readonly phase: 'prepare' | 'project';
  readonly step: string;
  readonly argv: readonly string[];
  readonly cwd?: string;
}

/**
 * pip runs as `<venv>/bin/python -m pip` rather than through bin/pip: the script's shebang holds the full
 * build path, which can pass the kernel's 127-byte shebang limit on a deep build directory.
 */
function pipPrefix(layout: PackageLayout, tool: string): string[] {
  const python = venvBin(layout, 'python');
  return tool === 'pip' ? [python, '-m', 'pip'] : [python, venvBin(layout, tool)];
}

/**
 * pip's own byte-compiling is skipped: byte code would carry the build path and build time, so the postinst
 * compiles it on the target. (Any other --pip-tool may still compile; the fixups step removes the result.)
 */
function withoutCompile(argv: readonly string[]): string[] {
  const at = argv.indexOf('install');
  return argv[2] === 'pip' && at !== -1
    ? [...argv.slice(0, at + 1), '--no-compile', ...argv.slice(at + 1)]
    : [...argv];
}

function indexArgs(options: Options): string[] {
  return [
    ...(options.verbose ? ['-v'] : []),
    ...(options.indexUrl === undefined ? [] : [`--index-url=${options.indexUrl}`]),
    ...options.extraIndexUrls.map((url) => `--extra-index-url=${url}`),
  ];
}

export function requirementsPath(layout: PackageLayout, options: Options): string | undefined {
  const path = join(layout.sourceDir, options.requirements.file);
  if (existsSync(path)) return path;
  if (options.requirements.explicit) {
    throw new ConfigurationError(
      `--requirements ${options.requirements.file}: ${path} does not exist; fix the path ` +
        '(it is relative to the source directory, -D) or drop the option',
    );
  }
  return undefined;
}

export function pipSteps(layout: PackageLayout, options: Options): PipStep[] {
  const pip = pipPrefix(layout, 'pip');
  const tool = pipPrefix(layout, options.pipTool);
  const install = ['install', ...indexArgs(options)];
  const steps: PipStep[] = [];

  // Upgrades get only the index options: the user's extra pip arguments may need the newer pip.
  const upgrades = [
    ['pip', options.upgradePip],
    ['setuptools', options.upgradeSetuptools],
    ['wheel', options.upgradeWheel],
  ] as const;
  for (const [name, upgrade] of upgrades) {
    if (upgrade.kind === 'none') continue;
    const target = upgrade.kind === 'latest' ? ['-U', name] : [`${name}==${upgrade.version}`];
    steps.push({ phase: 'prepare', step: `upgrading ${name}`, argv: [...pip, ...install, ...target] });
  }
  if (options.preinstall.length > 0) {
    steps.push({
      phase: 'prepare',
      step: 'installing --preinstall packages',
      argv: [...pip, ...install, ...options.extraPipArgs, ...options.preinstall],
    });
  }
  const requirements = requirementsPath(layout, options);
  if (requirements !== undefined) {
    steps.push({
      phase: 'prepare',
      step: `installing ${options.requirements.file}`,
      argv: [...tool, ...install, ...options.extraPipArgs, '-r', requirements],
    });
  }
  if (!options.skipInstall) {
    const target = options.extras.length > 0 ? `.[${options.extras.join(',')}]` : '.';
    steps.push({
      phase: 'project',
      step: 'installing the project',
      argv: [...tool, ...install, ...options.extraPipArgs, target],
      cwd: layout.sourceDir,
    });
  }
  return steps.map((step) => ({ ...step, argv: withoutCompile(step.argv) }));
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
