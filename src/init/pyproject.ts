/**
 * pyproject.toml's `[project]` table (PEP 621, with PEP 639's license fields), and the `dynamic` fields
 * whose value the build backend's own configuration gives statically: setuptools' `[tool.setuptools.dynamic]`,
 * hatchling's `[tool.hatch.version]`, PDM's `[tool.pdm.version]`, flit's module `__version__`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  homepageOf,
  parsePerson,
  readmeType,
  type LicenseInfo,
  type Person,
  type ProjectMetadata,
  type Readme,
} from './metadata';
import { readRequirementsText } from './requirements';
import { literalAssignment, readProjectFile, textOfFiles, valueOfAttr, versionInFile } from './static-values';
import { stringAt, stringsAt, tableAt, tablesAt, type TomlTable } from './toml';

/** What pip would install to build the project: PEP 518's requires, or its default for setup.py projects. */
export function buildRequires(pyproject: TomlTable | undefined): string[] {
  const buildSystem = tableAt(pyproject, 'build-system');
  return buildSystem === undefined ? ['setuptools>=40.8.0', 'wheel'] : stringsAt(buildSystem, 'requires');
}

export function buildBackend(pyproject: TomlTable | undefined): string {
  // PEP 517: without build-backend, pip uses setuptools' legacy backend, which runs setup.py.
  return stringAt(tableAt(pyproject, 'build-system'), 'build-backend') ?? 'setuptools.build_meta:__legacy__';
}

function people(tables: readonly TomlTable[]): Person[] {
  return tables.flatMap((table) => {
    const name = stringAt(table, 'name');
    const email = stringAt(table, 'email');
    // PEP 621 allows "Name <address>, …" in email when only the email is given.
    if (name === undefined && email !== undefined) {
      return email.split(',').flatMap((one) => parsePerson(one) ?? []);
    }
    return name === undefined && email === undefined
      ? []
      : [{ ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email }) }];
  });
}

function readmeOf(dir: string, project: TomlTable, dynamicReadme: TomlTable | undefined): Readme | undefined {
  const value = project.readme;
  if (typeof value === 'string') {
    const text = readProjectFile(dir, value);
    return text === undefined ? undefined : { text, type: readmeType(value) };
  }
  const table = tableAt(project, 'readme');
  if (table !== undefined) {
    const contentType = stringAt(table, 'content-type');
    const inline = stringAt(table, 'text');
    if (inline !== undefined) return { text: inline, type: readmeType('', contentType) };
    const file = stringAt(table, 'file');
    const text = file === undefined ? undefined : readProjectFile(dir, file);
    return text === undefined || file === undefined
      ? undefined
      : { text, type: readmeType(file, contentType) };
  }
  if (dynamicReadme !== undefined) {
    const files = filesOf(dynamicReadme);
    const text = textOfFiles(dir, files);
    return text === undefined
      ? undefined
      : { text, type: readmeType(files[0] ?? '', stringAt(dynamicReadme, 'content-type')) };
  }
  return undefined;
}

/** `{ file = "a" }` or `{ file = ["a", "b"] }`. */
function filesOf(table: TomlTable): string[] {
  const single = stringAt(table, 'file');
  return single === undefined ? stringsAt(table, 'file') : [single];
}

/** PEP 639 `license-files` globs, as the files they match in the project's top directory or below. */
export function expandLicenseGlobs(dir: string, globs: readonly string[]): string[] {
  const found = new Set<string>();
  for (const glob of globs) {
    const parts = glob.split('/');
    const name = parts.pop() ?? '';
    const sub = parts.join('/');
    const where = join(dir, sub);
    if (!existsSync(where)) continue;
    const regex = new RegExp(
      '^' +
        name
          .replace(/[.+^${}()|\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
    );
    for (const entry of readdirSync(where, { withFileTypes: true })) {
      if (entry.isFile() && regex.test(entry.name))
        found.add(sub === '' ? entry.name : `${sub}/${entry.name}`);
    }
  }
  return [...found].sort();
}

function licenseOf(dir: string, project: TomlTable): LicenseInfo {
  const classifiers = stringsAt(project, 'classifiers');
  const licenseFiles = project['license-files'];
  // PEP 639 made license-files a list of globs; its drafts (and setuptools 61-68) took { paths, globs }.
  const globs = Array.isArray(licenseFiles)
    ? stringsAt(project, 'license-files')
    : [
        ...stringsAt(tableAt(project, 'license-files'), 'paths'),
        ...stringsAt(tableAt(project, 'license-files'), 'globs'),
      ];
  const files = expandLicenseGlobs(dir, globs);
  const license = project.license;
  if (typeof license === 'string') return { expression: license, classifiers, files };
  const table = tableAt(project, 'license');
  const text = stringAt(table, 'text');
  const file = stringAt(table, 'file');
  return {
    ...(text === undefined ? {} : { text }),
    classifiers,
    files: file === undefined ? files : [...new Set([file, ...files])],
  };
}

/**
 * The version a dynamic `version` has in the backend's configuration, or why there is none: a version from
 * git tags (setuptools-scm, hatch-vcs), from code that must run, or from a backend we do not know.
 */
function dynamicVersion(
  dir: string,
  pyproject: TomlTable,
  name: string | undefined,
): { version?: string; why?: string } {
  const tool = tableAt(pyproject, 'tool');
  const setuptoolsDynamic = tableAt(tableAt(tableAt(tool, 'setuptools'), 'dynamic'), 'version');
  if (setuptoolsDynamic !== undefined) {
    const attr = stringAt(setuptoolsDynamic, 'attr');
    const packageDirs = tableAt(tableAt(tool, 'setuptools'), 'package-dir') ?? {};
    const dirs = Object.fromEntries(
      Object.entries(packageDirs).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const version =
      attr === undefined ? textOfFiles(dir, filesOf(setuptoolsDynamic)) : valueOfAttr(dir, attr, dirs);
    return version === undefined
      ? {
          why: `[tool.setuptools.dynamic] version (${attr === undefined ? 'file' : `attr: ${attr}`}) is not a literal init can read`,
        }
      : { version };
  }
  const hatch = tableAt(tableAt(tool, 'hatch'), 'version');
  if (hatch !== undefined) {
    const path = stringAt(hatch, 'path');
    const source = stringAt(hatch, 'source') ?? 'regex';
    if (source !== 'regex' || path === undefined)
      return { why: `[tool.hatch.version] takes it from the ${source} source at build time` };
    const version = versionInFile(dir, path, stringAt(hatch, 'pattern'));
    return version === undefined ? { why: `[tool.hatch.version]: no version found in ${path}` } : { version };
  }
  const pdm = tableAt(tableAt(tool, 'pdm'), 'version');
  if (pdm !== undefined) {
    const path = stringAt(pdm, 'path');
    if (stringAt(pdm, 'source') !== 'file' || path === undefined)
      return { why: '[tool.pdm.version] takes it from the version control system' };
    const version = versionInFile(dir, path);
    return version === undefined ? { why: `[tool.pdm.version]: no version found in ${path}` } : { version };
  }
  if (tableAt(tool, 'setuptools_scm') !== undefined || tableAt(tool, 'setuptools-scm') !== undefined) {
    return { why: 'setuptools-scm takes it from the git tags at build time' };
  }
  if (buildBackend(pyproject).startsWith('flit_core') && name !== undefined) {
    // flit imports the module named like the project (or [tool.flit.module] name) and reads __version__.
    const module = stringAt(tableAt(tableAt(tool, 'flit'), 'module'), 'name') ?? name.replace(/[-.]/g, '_');
    for (const file of [
      `${module}.py`,
      `${module}/__init__.py`,
      `src/${module}.py`,
      `src/${module}/__init__.py`,
    ]) {
      const source = readProjectFile(dir, file);
      const version = source === undefined ? undefined : literalAssignment(source, '__version__');
      if (version !== undefined) return { version };
    }
    return { why: `flit reads it from ${module}.__version__, which is not a literal` };
  }
  return { why: 'it is "dynamic" and the build backend computes it' };
}

/** Reads `[project]`, or undefined when pyproject.toml has none (Poetry 1, setup.cfg and setup.py projects). */
export function readPyprojectProject(dir: string, pyproject: TomlTable): ProjectMetadata | undefined {
  const project = tableAt(pyproject, 'project');
  if (project === undefined) return undefined;
  const dynamic = new Set(stringsAt(project, 'dynamic'));
  const setuptoolsDynamic = tableAt(tableAt(tableAt(pyproject, 'tool'), 'setuptools'), 'dynamic');
  const name = stringAt(project, 'name');

  let version = stringAt(project, 'version');
  const unresolved: Record<string, string> = {};
  if (version === undefined && dynamic.has('version')) {
    const found = dynamicVersion(dir, pyproject, name);
    version = found.version;
    if (found.why !== undefined) unresolved.version = found.why;
  }

  let requirements = stringsAt(project, 'dependencies');
  const dynamicDependencies = tableAt(setuptoolsDynamic, 'dependencies');
  if (dynamic.has('dependencies') && dynamicDependencies !== undefined) {
    requirements = filesOf(dynamicDependencies).flatMap(
      (file) => readRequirementsText(readProjectFile(dir, file) ?? '').requirements,
    );
  }

  const summary = stringAt(project, 'description');
  const homepage = homepageOf(
    Object.fromEntries(
      Object.entries(tableAt(project, 'urls') ?? {}).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  );
  const readme = readmeOf(
    dir,
    project,
    dynamic.has('readme') ? tableAt(setuptoolsDynamic, 'readme') : undefined,
  );
  return {
    origin: 'pyproject.toml [project]',
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
    ...(summary === undefined ? {} : { summary }),
    ...(readme === undefined ? {} : { readme }),
    license: licenseOf(dir, project),
    ...(homepage === undefined ? {} : { homepage }),
    authors: [...people(tablesAt(project, 'authors')), ...people(tablesAt(project, 'maintainers'))],
    requirements,
    scripts: [
      ...Object.keys(tableAt(project, 'scripts') ?? {}),
      ...Object.keys(tableAt(project, 'gui-scripts') ?? {}),
    ],
    buildRequires: buildRequires(pyproject),
    unresolved:
      dynamic.has('description') && summary === undefined
        ? { ...unresolved, summary: 'it is "dynamic"' }
        : unresolved,
  };
}
