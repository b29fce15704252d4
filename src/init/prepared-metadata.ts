/**
 * A setup.py project's metadata exists only once setup.py has run. We get it as pip does: the project's build
 * requirements (PEP 518's, or pip's default for projects without pyproject.toml) go into a fresh virtualenv of
 * Debian's python3, and the build backend's prepare_metadata_for_build_wheel hook runs there (setuptools'
 * legacy backend when none is named), so no more of the project's code runs than `pip install` would run.
 * The backend writes egg-info and build directories into the tree it runs in, so it runs in a copy: nothing
 * is written to the project.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { childEnvironment } from '../build/child-environment';
import { SYSTEM_PYTHON } from '../core/interpreter';
import { DEBIAN_WHEELS, pipFromWheel } from '../build/venv-creation';
import { metadataFromDistInfo } from './core-metadata';
import type { ProjectMetadata } from './metadata';
import type { InitContext } from './options';
import { buildBackend, buildRequires } from './pyproject';
import hookRunner from './run_backend_hook.py';
import { stringsAt, tableAt, type TomlTable } from './toml';

/** Directories that are no part of the source: version-control-free caches and virtualenvs. */
const NOT_SOURCE = new Set([
  '.tox',
  '.nox',
  '.venv',
  'node_modules',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  'debian',
]);

/** Copies the project, leaving out caches, virtualenvs (any directory with a pyvenv.cfg) and debian/. */
function copyProject(projectDir: string, copy: string): void {
  cpSync(projectDir, copy, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) =>
      source === projectDir || (!NOT_SOURCE.has(basename(source)) && !existsSync(join(source, 'pyvenv.cfg'))),
  });
}

export function prepareMetadata(context: InitContext, pyproject: TomlTable | undefined): ProjectMetadata {
  const { runner, logger } = context;
  const env = { ...childEnvironment(context.env).env };
  const work = mkdtempSync(join(tmpdir(), 'dh-virtualenv-init-'));
  try {
    const source = join(work, 'source');
    const venv = join(work, 'venv');
    const out = join(work, 'out');
    const result = join(work, 'result.json');
    copyProject(context.projectDir, source);
    mkdirSync(out);
    logger.log({ kind: 'detail', message: `running the build backend of setup.py in a copy, ${source}` });

    // --without-pip: pip runs from Debian's wheel, as dh_virtualenv --without-pip does; the venv only holds
    // what the backend needs.
    runner.run([SYSTEM_PYTHON, '-m', 'venv', '--without-pip', venv], { env });
    const python = join(venv, 'bin', 'python');
    const pip = pipFromWheel();
    const install = (requirements: readonly string[]): void => {
      if (requirements.length === 0) return;
      // The configured index (PIP_INDEX_URL, pip.conf) as pip's build isolation would use, and Debian's own
      // setuptools and wheel too, so that a setup.py project needs no network for them.
      runner.capture(
        [
          python,
          pip,
          'install',
          '--quiet',
          '--no-warn-script-location',
          '--find-links',
          DEBIAN_WHEELS,
          ...requirements,
        ],
        { env },
      );
    };
    const backend = buildBackend(pyproject);
    const backendPath = JSON.stringify(stringsAt(tableAt(pyproject, 'build-system'), 'backend-path'));
    // As pip's hook runner does, the hooks run from a script file (a verbose log shows its path, not its text).
    const hookScript = join(work, 'run_backend_hook.py');
    writeFileSync(hookScript, hookRunner);
    const hook = (name: string): unknown => {
      runner.capture([python, hookScript, name, backend, backendPath, out, result], { cwd: source, env });
      return JSON.parse(readFileSync(result, 'utf8')) as unknown;
    };

    const requires = buildRequires(pyproject);
    install(requires);
    const more = hook('get_requires_for_build_wheel');
    install(Array.isArray(more) ? more.filter((item): item is string => typeof item === 'string') : []);
    rmSync(result, { force: true });
    const distInfo = String(hook('prepare_metadata_for_build_wheel'));
    const entryPoints = join(distInfo, 'entry_points.txt');
    return metadataFromDistInfo(
      readFileSync(join(distInfo, 'METADATA'), 'utf8'),
      existsSync(entryPoints) ? readFileSync(entryPoints, 'utf8') : undefined,
      requires,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
