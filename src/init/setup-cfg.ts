/**
 * setup.cfg's declarative metadata (setuptools 30.3 and later): `[metadata]`, `[options]` and
 * `[options.entry_points]`, with the `attr:` and `file:` directives resolved statically (static-values.ts).
 */
import {
  homepageOf,
  parsePerson,
  readmeType,
  type Person,
  type ProjectMetadata,
  type Readme,
} from './metadata';
import { entryPointNames, iniList, parseIni, type Ini } from './ini';
import { readRequirementsText } from './requirements';
import { textOfFiles, valueOfAttr } from './static-values';

/** A section with its keys in setuptools' canonical spelling (older releases took long-description too). */
function section(ini: Ini, name: string): Map<string, string> {
  return new Map(
    [...(ini.get(name) ?? new Map<string, string>()).entries()].map(([key, value]) => [
      key.toLowerCase().replace(/-/g, '_'),
      value,
    ]),
  );
}

/** `package_dir = =src` or one `package = directory` a line, as setuptools maps packages to directories. */
function packageDirs(value: string | undefined): Record<string, string> {
  const dirs: Record<string, string> = {};
  for (const line of iniList(value)) {
    const [name = '', dir = ''] = line.split('=').map((part) => part.trim());
    dirs[name] = dir;
  }
  return dirs;
}

/** A value that may be a directive: `attr: pkg.__version__`, `file: README.rst, CHANGES.rst`, or literal text. */
function directive(dir: string, value: string | undefined, dirs: Record<string, string>): string | undefined {
  if (value === undefined) return undefined;
  const attr = /^attr:\s*(\S+)$/.exec(value);
  if (attr !== null) return valueOfAttr(dir, attr[1] ?? '', dirs);
  const file = /^file:\s*(.+)$/s.exec(value);
  if (file !== null) return textOfFiles(dir, iniList(file[1]?.replace(/\n/g, ',')));
  return value;
}

/** Reads setup.cfg, or undefined when it has no [metadata] name (setuptools would then need setup.py). */
export function readSetupCfg(
  dir: string,
  text: string,
  buildRequires: readonly string[],
): ProjectMetadata | undefined {
  const ini = parseIni(text);
  const metadata = section(ini, 'metadata');
  const options = section(ini, 'options');
  const name = metadata.get('name');
  if (name === undefined) return undefined;
  const dirs = packageDirs(options.get('package_dir'));
  const unresolved: Record<string, string> = {};

  const rawVersion = metadata.get('version');
  const version = directive(dir, rawVersion, dirs);
  if (rawVersion !== undefined && version === undefined)
    unresolved.version = `setup.cfg's version (${rawVersion}) is not a literal init can read`;

  const longDescription = directive(dir, metadata.get('long_description'), dirs);
  const descriptionFile =
    /^file:\s*([^,\n]+)/.exec(metadata.get('long_description') ?? '')?.[1]?.trim() ?? '';
  const readme: Readme | undefined =
    longDescription === undefined
      ? undefined
      : {
          text: longDescription,
          type: readmeType(descriptionFile, metadata.get('long_description_content_type')),
        };

  const urls = new Map<string, string>();
  for (const line of iniList(metadata.get('project_urls'))) {
    const [label = '', ...url] = line.split('=');
    urls.set(label.trim(), url.join('=').trim());
  }
  const homepage = homepageOf(
    new Map([['homepage', metadata.get('url') ?? metadata.get('home_page') ?? ''], ...urls]),
  );

  const authors: Person[] = [];
  for (const [nameKey, emailKey] of [
    ['author', 'author_email'],
    ['maintainer', 'maintainer_email'],
  ] as const) {
    const personName = metadata.get(nameKey);
    const email = metadata.get(emailKey);
    if (personName !== undefined || email !== undefined) {
      authors.push({
        ...(personName === undefined ? {} : { name: personName }),
        ...(email === undefined ? {} : (parsePerson(email) ?? {})),
      });
    }
  }

  const installRequires = options.get('install_requires');
  const requirements = /^file:/.test(installRequires ?? '')
    ? readRequirementsText(directive(dir, installRequires, dirs) ?? '').requirements
    : iniList(installRequires);
  const entryPoints = section(ini, 'options.entry_points');
  const classifiers = directive(dir, metadata.get('classifiers'), dirs);
  const license = metadata.get('license');
  const summary = metadata.get('description') ?? metadata.get('summary');
  return {
    origin: 'setup.cfg [metadata]',
    name,
    ...(version === undefined ? {} : { version }),
    ...(summary === undefined ? {} : { summary }),
    ...(readme === undefined ? {} : { readme }),
    license: {
      ...(license === undefined ? {} : { text: license }),
      classifiers: iniList(classifiers),
      files: iniList(metadata.get('license_files') ?? metadata.get('license_file')),
    },
    ...(homepage === undefined ? {} : { homepage }),
    authors,
    requirements,
    scripts: [
      ...entryPointNames(entryPoints.get('console_scripts')),
      ...entryPointNames(entryPoints.get('gui_scripts')),
    ],
    buildRequires,
    unresolved,
  };
}
