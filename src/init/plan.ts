/**
 * Everything debian/ will say, decided once from the project's metadata, the options and the few facts asked
 * of the machine (maintainer, interpreter package). The files (control.ts, rules.ts, …) only render this.
 * Whatever debian/ needs and neither the metadata nor a flag gives is collected and reported in one error
 * naming the flags to pass: nothing is made up.
 */
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../core/errors';
import { findInterpreterPackage } from '../build/interpreter-depends';
import { findProgram } from '../core/interpreter';
import { extendedDescription, firstParagraph, synopsisFrom, SYNOPSIS_MAX } from './description';
import {
  debianExpression,
  debianLicenseName,
  licenseFromClassifiers,
  licenseFromFreeForm,
  licensesIn,
  parseSpdx,
} from './license';
import {
  commonLicenseText,
  copyrightNotices,
  licenseBody,
  readLicenseFiles,
  type LicenseFile,
} from './license-files';
import { findMaintainer } from './maintainer';
import type { ProjectMetadata } from './metadata';
import { checkPackageName, debianVersion, packageNameFor } from './names';
import { nativeCode, type NativeCode } from './native-code';
import { DEFAULT_INSTALL_ROOT, type InitContext } from './options';
import { readRequirementsText, requirementName } from './requirements';
import { readProjectFile } from './static-values';

export interface Dependency {
  readonly name: string;
  /** Why it is there, for the comment above the field. */
  readonly why: string;
}

export interface LicenseParagraph {
  readonly name: string;
  readonly text: string;
}

export interface PackagePlan {
  /** Where the metadata came from, e.g. "pyproject.toml [project]". */
  readonly origin: string;
  readonly projectName: string;
  /** Source and binary package name: one project, one package. */
  readonly packageName: string;
  readonly version: string;
  readonly maintainer: string;
  readonly synopsis: string;
  /** The Description's lines after the synopsis, each starting with a space. */
  readonly extendedDescription: readonly string[];
  readonly homepage: string | undefined;
  readonly buildDepends: readonly Dependency[];
  readonly architecture: 'any' | 'all';
  readonly architectureWhy: string;
  readonly native: NativeCode;
  /** --python as given, passed on to dh_virtualenv; undefined for its default, /usr/bin/python3. */
  readonly python: string | undefined;
  /** DH_VIRTUALENV_INSTALL_ROOT for debian/rules, when not dh_virtualenv's default. */
  readonly installRoot: string | undefined;
  /** Where the virtualenv is installed, e.g. /opt/venvs/myapp. */
  readonly venvDir: string;
  readonly scripts: readonly string[];
  readonly license: {
    readonly expression: string;
    readonly paragraphs: readonly LicenseParagraph[];
  };
  readonly copyright: { readonly holders: readonly string[]; readonly from: string };
  readonly upstreamContact: string | undefined;
  readonly service: { readonly script: string; readonly user: string } | undefined;
  readonly date: Date;
}

/** One thing debian/ needs that nobody said, and how to say it (the flag to pass, mostly). */
interface Missing {
  readonly what: string;
  readonly fix: string;
}

/** System user names adduser accepts by default (NAME_REGEX_SYSTEM), within useradd's 32 characters. */
const SYSTEM_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/** The interpreter's Debian package (python3.12 for --python python3.12), and whether it is installed here. */
function interpreterPackage(context: InitContext, python: string): string | undefined {
  const found = findProgram(python, context.env.PATH);
  if (found !== undefined) {
    return findInterpreterPackage({ path: found, realPath: realpathSync(found) }, context.runner, {
      ...context.env,
    });
  }
  // Not on this machine (it may be on the build machine): a Debian interpreter's name says its package.
  return /^(?:\/usr\/bin\/)?python3(?:\.\d+)?$/.test(python) ? basename(python) : undefined;
}

function licensePlan(
  metadata: ProjectMetadata,
  declared: string | undefined,
  files: readonly LicenseFile[],
  missing: Missing[],
  warnings: string[],
): PackagePlan['license'] | undefined {
  // The metadata's word counts only where it names licenses unambiguously; "BSD" or "Proprietary" do not,
  // and are asked for with --license (LicenseRef-Proprietary, say) rather than copied.
  const { expression: declaredExpression, text, classifiers } = metadata.license;
  const fromMetadata =
    (declaredExpression === undefined ? undefined : licenseFromFreeForm(declaredExpression)) ??
    licenseFromClassifiers(
      classifiers,
      files.map((file) => file.license),
    ) ??
    (text === undefined ? undefined : licenseFromFreeForm(text));
  const spdx = declared ?? fromMetadata;
  if (spdx === undefined) {
    const said =
      declaredExpression ?? text ?? classifiers.find((classifier) => classifier.startsWith('License ::'));
    missing.push({
      what:
        said === undefined
          ? 'the license'
          : `the license ("${said.split('\n')[0] ?? ''}" names no single license)`,
      fix: 'pass --license SPDX-EXPRESSION',
    });
    return undefined;
  }
  const expression = parseSpdx(spdx);
  const paragraphs: LicenseParagraph[] = [];
  const unassigned = files.filter((file) => file.license === undefined);
  for (const license of licensesIn(expression)) {
    const name = debianLicenseName(license);
    const base = name.replace(/ with .*$/, '').replace(/\+$/, '');
    const common = commonLicenseText(name.replace(/ with .*$/, ''));
    const file =
      files.find((candidate) => candidate.license === base) ??
      (unassigned.length === 1 ? unassigned[0] : undefined);
    const text = common ?? (file === undefined ? undefined : licenseBody(file.text));
    if (text === undefined || text === '') {
      missing.push({
        what: `the text of the license ${name} (no license file holds it)`,
        fix: 'add a LICENSE file',
      });
      continue;
    }
    paragraphs.push({ name, text });
  }
  const named = new Set(
    licensesIn(expression).map((license) => debianLicenseName(license).replace(/\+$/, '')),
  );
  for (const file of files) {
    if (file.license !== undefined && !named.has(file.license)) {
      warnings.push(
        `${file.path} reads like ${file.license}, but the license is ${spdx}; check debian/copyright`,
      );
    }
  }
  return { expression: debianExpression(expression), paragraphs };
}

/**
 * Copyright holders: --copyright, else the notices in the license files (not those of long license texts
 * such as the GPL's, which are the license's own), else the authors the metadata names.
 */
function copyrightPlan(
  given: readonly string[],
  files: readonly LicenseFile[],
  metadata: ProjectMetadata,
  missing: Missing[],
): PackagePlan['copyright'] {
  if (given.length > 0) return { holders: given, from: '--copyright' };
  const ownNotices = files.filter((file) => !/^(A?GPL|LGPL|Apache|MPL)/.test(file.license ?? ''));
  const notices = [...new Set(ownNotices.flatMap((file) => copyrightNotices(file.text)))];
  if (notices.length > 0) return { holders: notices, from: ownNotices.map((file) => file.path).join(', ') };
  const authors = metadata.authors
    .map((person) =>
      person.name !== undefined && person.email !== undefined
        ? `${person.name} <${person.email}>`
        : (person.name ?? person.email ?? ''),
    )
    .filter(Boolean);
  if (authors.length > 0)
    return { holders: [...new Set(authors)], from: `the authors in ${metadata.origin}` };
  missing.push({
    what: 'the copyright holders (no notice in a license file, no authors)',
    fix: 'pass --copyright "YEARS HOLDER"',
  });
  return { holders: [], from: '' };
}

/** The reproducible-builds date when there is one (SOURCE_DATE_EPOCH), else now. */
function changelogDate(context: InitContext): Date {
  const epoch = context.env.SOURCE_DATE_EPOCH;
  return epoch !== undefined && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : context.now();
}

export function planPackage(
  context: InitContext,
  metadata: ProjectMetadata,
): PackagePlan & { readonly warnings: readonly string[] } {
  const { options } = context;
  const missing: Missing[] = [];
  const warnings: string[] = [];
  const dir = context.projectDir;

  const projectName = metadata.name ?? options.packageName;
  if (projectName === undefined) missing.push({ what: 'the project name', fix: 'pass --package NAME' });
  let packageName =
    options.packageName === undefined ? undefined : checkPackageName(options.packageName, '--package');
  if (packageName === undefined && metadata.name !== undefined) {
    packageName = packageNameFor(metadata.name);
    if (packageName === undefined)
      missing.push({ what: `a Debian package name for "${metadata.name}"`, fix: 'pass --package NAME' });
  }

  const upstreamVersion = options.version ?? metadata.version;
  let version: string | undefined;
  if (upstreamVersion === undefined) {
    const why = metadata.unresolved.version;
    missing.push({
      what: why === undefined ? 'the version' : `the version (${why})`,
      fix: 'pass --version VERSION',
    });
  } else {
    version = debianVersion(upstreamVersion);
    if (version === undefined)
      missing.push({
        what: `a version dpkg can order ("${upstreamVersion}" is not PEP 440)`,
        fix: 'pass --version VERSION',
      });
  }

  const summary = options.description ?? metadata.summary;
  let synopsis: string | undefined;
  if (summary === undefined) {
    const why = metadata.unresolved.summary;
    missing.push({
      what: why === undefined ? 'a summary' : `a summary (${why})`,
      fix: 'pass --description SYNOPSIS',
    });
  } else {
    synopsis = synopsisFrom(summary);
    if (synopsis.length > SYNOPSIS_MAX) {
      missing.push({
        what: `a synopsis of at most ${SYNOPSIS_MAX} characters (the summary has ${synopsis.length})`,
        fix: 'pass --description SYNOPSIS',
      });
    } else if (synopsis === '') {
      missing.push({ what: 'a summary (it is empty)', fix: 'pass --description SYNOPSIS' });
    }
  }

  const maintainer = findMaintainer(context);
  if (maintainer === undefined) {
    missing.push({
      what: 'the maintainer (no DEBFULLNAME and DEBEMAIL, no git user.name and user.email)',
      fix: 'pass --maintainer "NAME <EMAIL>"',
    });
  }

  const licenseFiles = readLicenseFiles(dir, metadata.license.files);
  const license = licensePlan(metadata, options.license, licenseFiles, missing, warnings);
  const copyright = copyrightPlan(options.copyright, licenseFiles, metadata, missing);

  if (options.service !== undefined && !metadata.scripts.includes(options.service)) {
    const scripts =
      metadata.scripts.length === 0 ? 'the project has none' : `it has ${metadata.scripts.join(', ')}`;
    throw new UsageError(`--service ${options.service}: not a console script of the project (${scripts})`);
  }
  const user = options.service === undefined ? undefined : (options.user ?? packageName);
  if (user !== undefined && !SYSTEM_USER.test(user)) {
    missing.push({
      what: `a system user name ("${user}" is not one: a-z 0-9 _ -, at most 32)`,
      fix: 'pass --user NAME',
    });
  }

  if (
    missing.length > 0 ||
    projectName === undefined ||
    packageName === undefined ||
    version === undefined ||
    synopsis === undefined ||
    maintainer === undefined ||
    license === undefined
  ) {
    const list = missing.map((item) => `${item.what}: ${item.fix}`).join('; ');
    throw new UsageError(
      `${metadata.origin} does not say everything debian/ needs, so nothing was written. Missing: ${list}`,
    );
  }

  // dh_virtualenv installs requirements.txt before the project: its names count as much as the metadata's.
  const requirementsFile = readRequirementsText(readProjectFile(dir, 'requirements.txt') ?? '');
  for (const line of requirementsFile.unnamed)
    warnings.push(
      `requirements.txt: "${line}" names no distribution; init cannot tell whether it is compiled`,
    );
  const requirements = [...metadata.requirements, ...requirementsFile.requirements];
  const native = nativeCode(dir, requirements, metadata.buildRequires);

  const python = options.python;
  const interpreter = python === undefined ? 'python3' : interpreterPackage(context, python);
  if (python !== undefined && interpreter === undefined) {
    warnings.push(
      `--python ${python}: no Debian package provides it; add the package that does to Build-Depends yourself`,
    );
  }
  const compiles = native.sdists.length > 0 || native.ownCode !== undefined;
  const buildDepends: Dependency[] = [
    { name: 'debhelper-compat (= 13)', why: "debhelper's compatibility level 13 (Debian 11 and later)" },
    {
      name: 'dh-sequence-python-virtualenv',
      why: 'turns on the python-virtualenv add-on: dh runs dh_virtualenv (no "dh $@ --with python-virtualenv" needed)',
    },
  ];
  if (interpreter !== undefined) {
    buildDepends.push({
      name: interpreter,
      why: 'the interpreter the virtualenv runs; pip fetches the build backend and the requirements from the package index',
    });
  }
  if (compiles && interpreter !== undefined) {
    const what = [
      ...native.sdists.map((sdist) => `${sdist.name} is compiled from its sdist`),
      ...(native.ownCode === undefined ? [] : [native.ownCode]),
    ];
    buildDepends.push({ name: `${interpreter}-dev`, why: `the Python headers: ${what.join(', ')}` });
  }
  for (const sdist of native.sdists) {
    for (const name of sdist.packages) {
      if (!buildDepends.some((dependency) => dependency.name === name))
        buildDepends.push({ name, why: `${sdist.name} is built against it` });
    }
  }

  const architectureWhy =
    native.architecture === 'all'
      ? requirements.length === 0
        ? 'the project has no requirements and no compiled code: the package is the same on every architecture'
        : `every requirement (${[...new Set(requirements.map(requirementName))].join(', ')}) is known to be pure Python: the package is the same on every architecture`
      : [
          ...native.sdists.map((sdist) => `${sdist.name} is compiled from its sdist`),
          ...(native.ownCode === undefined ? [] : [`the project compiles code (${native.ownCode})`]),
          ...(native.unknown.length === 0
            ? []
            : [
                `${native.unknown.join(', ')} may bring compiled code (binary wheels), which is only known once pip has picked the files`,
              ]),
        ].join('; ');

  const installRoot = options.installRoot;
  if (installRoot !== undefined && !/^\/(opt|usr)\//.test(`${installRoot}/`)) {
    // dh_virtualenv's lintian overrides cover /opt (FHS add-on software) and /usr; elsewhere lintian objects
    // (dir-or-file-in-srv, for one).
    warnings.push(
      `--install-root ${installRoot}: lintian reports packages that install outside /opt and /usr`,
    );
  }
  const venvDir = `${installRoot ?? DEFAULT_INSTALL_ROOT}/${packageName}`;
  const readmeParagraph = metadata.readme === undefined ? undefined : firstParagraph(metadata.readme);
  const normalize = (text: string): string =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  const paragraphs = [
    ...(readmeParagraph === undefined || normalize(readmeParagraph) === normalize(synopsis)
      ? []
      : [readmeParagraph]),
    `The package holds ${projectName} and the Python packages it needs in a virtualenv of their own, ${venvDir}` +
      (metadata.scripts.length === 0 ? '.' : `, and links ${metadata.scripts.join(', ')} into /usr/bin.`),
  ];
  if (metadata.scripts.length === 0)
    warnings.push('the project has no console scripts: nothing is linked into /usr/bin');

  const contact = metadata.authors.find((person) => person.email !== undefined);
  return {
    origin: metadata.origin,
    projectName,
    packageName,
    version,
    maintainer,
    synopsis,
    extendedDescription: extendedDescription(paragraphs),
    homepage: metadata.homepage,
    buildDepends,
    architecture: native.architecture,
    architectureWhy,
    native,
    python,
    installRoot,
    venvDir,
    scripts: metadata.scripts,
    license,
    copyright,
    upstreamContact:
      contact === undefined
        ? undefined
        : contact.name === undefined
          ? contact.email
          : `${contact.name} <${contact.email ?? ''}>`,
    service:
      options.service === undefined || user === undefined ? undefined : { script: options.service, user },
    date: changelogDate(context),
    warnings,
  };
}
