/**
 * Core metadata as a build backend writes it into `<name>.dist-info/METADATA` (RFC 822 style headers, the
 * long description as the body or, before metadata 2.1, as an indented Description header) and
 * `entry_points.txt` (INI). The setup.py path (prepared-metadata.ts) reads what the backend prepared.
 */
import { homepageOf, parsePerson, readmeType, type Person, type ProjectMetadata } from './metadata';
import { parseIni } from './ini';
import { isExtraRequirement } from './requirements';

export interface CoreMetadata {
  /** Header values by lower-case name, in order (Classifier, Requires-Dist and others repeat). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: string;
}

export function parseCoreMetadata(text: string): CoreMetadata {
  const headers = new Map<string, string[]>();
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let at = 0;
  let last: { name: string; index: number } | undefined;
  for (; at < lines.length; at++) {
    const line = lines[at] ?? '';
    if (line === '') {
      at++;
      break;
    }
    if (/^[ \t]/.test(line) && last !== undefined) {
      // A folded header. Metadata 1.x writes the long description as a Description header whose lines are
      // indented by 8 spaces (or "       |"); other headers fold on white space.
      const values = headers.get(last.name) ?? [];
      const continued = last.name === 'description' ? line.replace(/^(?: {7}\|| {8}|\t)/, '') : line.trim();
      values[last.index] = `${values[last.index] ?? ''}\n${continued}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
    last = { name, index: values.length - 1 };
  }
  return { headers, body: lines.slice(at).join('\n').trim() };
}

/** What a dist-info directory says: METADATA and, if there is one, entry_points.txt. */
export function metadataFromDistInfo(
  metadataText: string,
  entryPointsText: string | undefined,
  buildRequires: readonly string[],
): ProjectMetadata {
  const { headers, body } = parseCoreMetadata(metadataText);
  const first = (name: string): string | undefined => {
    const value = headers.get(name)?.[0];
    return value === undefined || value === '' || value === 'UNKNOWN' ? undefined : value;
  };
  const all = (name: string): readonly string[] => headers.get(name) ?? [];

  const urls = new Map<string, string>([['homepage', first('home-page') ?? '']]);
  for (const entry of all('project-url')) {
    const [label = '', ...url] = entry.split(',');
    urls.set(label.trim(), url.join(',').trim());
  }
  const homepage = homepageOf(urls);

  const authors: Person[] = [];
  for (const [nameHeader, emailHeader] of [
    ['author', 'author-email'],
    ['maintainer', 'maintainer-email'],
  ] as const) {
    const name = first(nameHeader);
    const emails = (first(emailHeader) ?? '').split(',').flatMap((one) => parsePerson(one) ?? []);
    if (emails.length === 0 && name !== undefined) authors.push({ name });
    else
      authors.push(
        ...emails.map((person) =>
          person.name === undefined && name !== undefined ? { name, ...person } : person,
        ),
      );
  }

  const description = body !== '' ? body : first('description');
  const entryPoints = entryPointsText === undefined ? undefined : parseIni(entryPointsText);
  const scripts = ['console_scripts', 'gui_scripts'].flatMap((group) => [
    ...(entryPoints?.get(group)?.keys() ?? []),
  ]);
  const name = first('name');
  const version = first('version');
  const summary = first('summary');
  const expression = first('license-expression');
  const license = first('license');
  return {
    origin: 'setup.py (the metadata its build backend prepares)',
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
    ...(summary === undefined ? {} : { summary }),
    ...(description === undefined
      ? {}
      : { readme: { text: description, type: readmeType('', first('description-content-type')) } }),
    license: {
      ...(expression === undefined ? {} : { expression }),
      ...(license === undefined ? {} : { text: license }),
      classifiers: all('classifier'),
      files: all('license-file'),
    },
    ...(homepage === undefined ? {} : { homepage }),
    authors,
    requirements: all('requires-dist').filter((requirement) => !isExtraRequirement(requirement)),
    scripts,
    buildRequires,
    unresolved: {},
  };
}
