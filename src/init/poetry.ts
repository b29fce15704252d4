/**
 * Poetry's `[tool.poetry]` table (poetry-core 1.x, and what Poetry 2 still reads there when `[project]` leaves
 * a field out): authors as "Name <email>" strings, dependencies as a table whose `python` key is the
 * interpreter, scripts as a table.
 */
import {
  homepageOf,
  parsePerson,
  readmeType,
  type Person,
  type ProjectMetadata,
  type Readme,
} from './metadata';
import { buildRequires } from './pyproject';
import { readProjectFile } from './static-values';
import { stringAt, stringsAt, tableAt, type TomlTable } from './toml';

function readmeOf(dir: string, poetry: TomlTable): Readme | undefined {
  // A string, or (poetry-core 1.1 and later) a list of files that are joined.
  const files = typeof poetry.readme === 'string' ? [poetry.readme] : stringsAt(poetry, 'readme');
  const texts = files
    .map((file) => readProjectFile(dir, file))
    .filter((text): text is string => text !== undefined);
  return texts.length === 0 ? undefined : { text: texts.join('\n'), type: readmeType(files[0] ?? '') };
}

/**
 * Scripts Poetry turns into console scripts: `name = "module:function"`, or a table with a `callable` (and no
 * `type = "file"`, which names a file to copy instead, not an entry point).
 */
function scriptsOf(poetry: TomlTable): string[] {
  const scripts = tableAt(poetry, 'scripts') ?? {};
  return Object.entries(scripts)
    .filter(([, value]) => typeof value === 'string' || stringAt(value as TomlTable, 'type') !== 'file')
    .map(([name]) => name);
}

/** Reads `[tool.poetry]`, or undefined when there is none. */
export function readPoetry(dir: string, pyproject: TomlTable): ProjectMetadata | undefined {
  const poetry = tableAt(tableAt(pyproject, 'tool'), 'poetry');
  if (poetry === undefined) return undefined;
  const name = stringAt(poetry, 'name');
  const version = stringAt(poetry, 'version');
  const summary = stringAt(poetry, 'description');
  const readme = readmeOf(dir, poetry);
  const homepage = homepageOf({
    homepage: stringAt(poetry, 'homepage') ?? '',
    repository: stringAt(poetry, 'repository') ?? '',
    ...Object.fromEntries(
      Object.entries(tableAt(poetry, 'urls') ?? {}).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  });
  const license = stringAt(poetry, 'license');
  const authors: Person[] = [...stringsAt(poetry, 'authors'), ...stringsAt(poetry, 'maintainers')].flatMap(
    (text) => parsePerson(text) ?? [],
  );
  const dependencies = tableAt(poetry, 'dependencies') ?? {};
  const requirements = Object.entries(dependencies)
    .filter(([dependency, spec]) => dependency.toLowerCase() !== 'python' && !isOptional(spec))
    .map(([dependency]) => dependency);
  return {
    origin: 'pyproject.toml [tool.poetry]',
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
    ...(summary === undefined ? {} : { summary }),
    ...(readme === undefined ? {} : { readme }),
    // Poetry documents `license` as an SPDX identifier.
    license: {
      ...(license === undefined ? {} : { expression: license }),
      classifiers: stringsAt(poetry, 'classifiers'),
      files: [],
    },
    ...(homepage === undefined ? {} : { homepage }),
    authors,
    requirements,
    scripts: scriptsOf(poetry),
    buildRequires: buildRequires(pyproject),
    unresolved: {},
  };
}

/** `{ version = "…", optional = true }`: only installed through an extra. */
function isOptional(spec: unknown): boolean {
  const table = Array.isArray(spec) ? undefined : (spec as TomlTable | undefined);
  return typeof table === 'object' && table !== null && table.optional === true;
}
