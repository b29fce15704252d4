/**
 * Reading the project: which metadata source counts, in the order setuptools and pip give them weight.
 * pyproject.toml's [project] (with [tool.poetry] filling what it leaves out, as Poetry 2 reads both), else
 * [tool.poetry], else setup.cfg's [metadata] when setup.py adds nothing to it, else what the build backend
 * prepares from setup.py. Static sources are read without running anything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, DhVirtualenvError, StepFailedError } from '../core/errors';
import { readmeType, type ProjectMetadata } from './metadata';
import type { InitContext } from './options';
import { readPoetry } from './poetry';
import { prepareMetadata } from './prepared-metadata';
import { buildRequires, readPyprojectProject } from './pyproject';
import { readSetupCfg } from './setup-cfg';
import { readProjectFile } from './static-values';
import { parseToml, type TomlTable } from './toml';

/** Fields of `primary`, with the gaps filled from `secondary`. */
export function mergeMetadata(
  primary: ProjectMetadata,
  secondary: ProjectMetadata | undefined,
): ProjectMetadata {
  if (secondary === undefined) return primary;
  const license = primary.license;
  const hasLicense =
    license.expression !== undefined || license.text !== undefined || license.classifiers.length > 0;
  const merged = {
    ...secondary,
    ...Object.fromEntries(Object.entries(primary).filter(([, value]) => value !== undefined)),
    license: hasLicense
      ? { ...license, files: license.files.length > 0 ? license.files : secondary.license.files }
      : secondary.license,
    authors: primary.authors.length > 0 ? primary.authors : secondary.authors,
    requirements: primary.requirements.length > 0 ? primary.requirements : secondary.requirements,
    scripts: primary.scripts.length > 0 ? primary.scripts : secondary.scripts,
  } as ProjectMetadata;
  const unresolved = Object.fromEntries(
    Object.entries(primary.unresolved).filter(
      ([field]) => merged[field as keyof ProjectMetadata] === undefined,
    ),
  );
  return { ...merged, unresolved };
}

/**
 * Whether setup.py calls setup() with arguments: then it may set what setup.cfg does not say (entry points,
 * requirements), and only running it tells. A bare `setup()` is setup.cfg's usual companion.
 */
export function setupPyAddsMetadata(text: string): boolean {
  const code = text.replace(/#.*$/gm, '');
  const calls = [...code.matchAll(/\bsetup\s*\(([^)]*)\)?/g)];
  return calls.length === 0 || calls.some((call) => (call[1] ?? '').trim() !== '');
}

/** The readme when the metadata names none: README.md, README.rst, README.txt or README at the top. */
function fallbackReadme(dir: string): ProjectMetadata['readme'] {
  for (const file of ['README.md', 'README.rst', 'README.txt', 'README']) {
    const text = readProjectFile(dir, file);
    if (text !== undefined) return { text, type: readmeType(file) };
  }
  return undefined;
}

export function readProject(context: InitContext): ProjectMetadata {
  const dir = context.projectDir;
  const pyprojectText = readProjectFile(dir, 'pyproject.toml');
  const pyproject: TomlTable | undefined =
    pyprojectText === undefined ? undefined : parseToml(pyprojectText, 'pyproject.toml');
  const setupCfg = readProjectFile(dir, 'setup.cfg');
  const setupPy = readProjectFile(dir, 'setup.py');

  let metadata: ProjectMetadata | undefined;
  if (pyproject !== undefined) {
    const poetry = readPoetry(dir, pyproject);
    const project = readPyprojectProject(dir, pyproject);
    metadata = project === undefined ? poetry : mergeMetadata(project, poetry);
  }
  if (
    metadata === undefined &&
    setupCfg !== undefined &&
    (setupPy === undefined || !setupPyAddsMetadata(setupPy))
  ) {
    metadata = readSetupCfg(dir, setupCfg, buildRequires(pyproject));
  }
  if (metadata === undefined && setupPy !== undefined) {
    context.logger.log({
      kind: 'detail',
      message: 'setup.py only: asking the build backend for the metadata, as pip would',
    });
    try {
      metadata = prepareMetadata(context, pyproject);
    } catch (error) {
      if (!(error instanceof DhVirtualenvError)) throw error;
      throw new StepFailedError(
        'setup.py',
        "preparing the metadata with the project's build backend",
        error,
        'pip would fail the same way when it installs the project; the lines above are what it printed',
      );
    }
  }
  if (metadata === undefined) {
    const what = ['pyproject.toml', 'setup.cfg', 'setup.py'].filter((file) => existsSync(join(dir, file)));
    throw new ConfigurationError(
      what.length === 0
        ? `no pyproject.toml, setup.cfg or setup.py in ${dir}: run dh-virtualenv init in the Python project's top directory`
        : `${what.join(' and ')} in ${dir} name no project ([project], [tool.poetry] or setup.cfg [metadata] name)`,
    );
  }
  return metadata.readme === undefined
    ? { ...metadata, ...(fallbackReadme(dir) === undefined ? {} : { readme: fallbackReadme(dir) }) }
    : metadata;
}
