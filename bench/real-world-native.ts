/**
 * Real-world check of native code (docs/native.md), not part of `npm test`: builds one package per project from
 * PyPI with this checkout's dh_virtualenv and the default debhelper sequence, installs it, imports the project
 * with the venv's interpreter, and purges it again.
 *
 *   psycopg2     compiled from its sdist against libpq-dev          -> libpq5 in Depends
 *   python-ldap  compiled from its sdist against libldap2-dev/libsasl2-dev -> libldap-2.5-0 (and libsasl2-2)
 *   lxml, numpy  manylinux wheels, bundled libraries under <name>.libs/
 *
 * Needs root (dpkg -i), the network (PyPI) and Debian's archive for the -dev packages it installs when they
 * are missing. Prints each package's Depends line and a summary; exits non-zero if any step failed.
 *
 *     npm run bench:native                        # all four
 *     npm run bench:native -- numpy lxml          # some of them
 *     DHVT_E2E_KEEP=1 npm run bench:native        # keep the work directories (logs, .debs)
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { entries } from '../test/e2e/clean-output-steps';
import {
  aptInstall,
  debField,
  hostEnv,
  installDeb,
  keepTemporaryFiles,
  missingPackages,
  purge,
  startSuite,
  type Build,
  type Suite,
} from '../test/e2e/harness';
import { importedSymbols, sectionNames } from '../test/e2e/native-distributions';
import { runProcess } from '../test/e2e/processes';

interface Project {
  readonly name: string;
  /** requirements.txt, one entry a line. */
  readonly requirements: readonly string[];
  /** Build-Depends beyond the basics. */
  readonly buildDepends: readonly string[];
  /** Run with the venv's python -c: imports the project and prints its version and its library's. */
  readonly check: string;
}

const PROJECTS: readonly Project[] = [
  {
    name: 'psycopg2',
    requirements: ['--no-binary psycopg2', 'psycopg2'],
    buildDepends: ['libpq-dev'],
    check:
      'import psycopg2, psycopg2.extensions as e; print("psycopg2", psycopg2.__version__, "libpq", e.libpq_version())',
  },
  {
    name: 'python-ldap',
    requirements: ['--no-binary python-ldap', 'python-ldap'],
    buildDepends: ['libldap2-dev', 'libsasl2-dev'],
    check: 'import ldap; print("python-ldap", ldap.__version__, "OpenLDAP", ldap.VENDOR_VERSION)',
  },
  {
    name: 'lxml',
    requirements: ['--only-binary lxml', 'lxml'],
    buildDepends: [],
    check:
      'from lxml import etree; print("lxml", etree.__version__, "libxml2", etree.LIBXML_VERSION); etree.fromstring("<a><b/></a>")',
  },
  {
    name: 'numpy',
    requirements: ['--only-binary numpy', 'numpy'],
    buildDepends: [],
    check: 'import numpy; print("numpy", numpy.__version__, numpy.linalg.inv(numpy.eye(3) * 2).sum())',
  },
];

/** What the builds need besides the -dev packages of the projects. */
const BASE_PACKAGES = ['python3-dev', 'python3-venv', 'python3-virtualenv', 'debhelper', 'dpkg-dev'];

const packageOf = (project: Project): string => `dhvt-native-rw-${project.name}`;

/** A source package that is an empty shell around the project's requirements. */
function writeSource(dir: string, project: Project): void {
  const pkg = packageOf(project);
  mkdirSync(join(dir, 'debian', 'source'), { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), `${project.requirements.join('\n')}\n`);
  writeFileSync(
    join(dir, 'setup.py'),
    'from setuptools import setup\n\n' +
      '# Only the requirements matter; this project is an empty shell around them.\n' +
      `setup(name="${pkg}", version="1.0", py_modules=[])\n`,
  );
  const buildDepends = [
    'debhelper-compat (= 13)',
    'python3',
    'python3-dev',
    'python3-venv',
    'python3-virtualenv',
    ...project.buildDepends,
  ];
  writeFileSync(
    join(dir, 'debian', 'control'),
    [
      `Source: ${pkg}`,
      'Section: python',
      'Priority: optional',
      'Maintainer: dh-virtualenv tests <dhvt-tests@example.invalid>',
      `Build-Depends: ${buildDepends.join(', ')}`,
      'Standards-Version: 4.6.2',
      'Rules-Requires-Root: no',
      '',
      `Package: ${pkg}`,
      'Architecture: any',
      'Depends: ${shlibs:Depends}, ${misc:Depends}',
      `Description: dh-virtualenv real-world check: ${project.name}`,
      ' Built by bench/real-world-native.ts.',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'debian', 'rules'), '#!/usr/bin/make -f\n\n%:\n\tdh $@ --with python-virtualenv\n');
  chmodSync(join(dir, 'debian', 'rules'), 0o755);
  writeFileSync(join(dir, 'debian', 'source', 'format'), '3.0 (native)\n');
  writeFileSync(
    join(dir, 'debian', 'changelog'),
    `${pkg} (1.0) unstable; urgency=medium\n\n` +
      '  * Real-world check of dh-virtualenv.\n\n' +
      ' -- dh-virtualenv tests <dhvt-tests@example.invalid>  Mon, 01 Jan 2024 00:00:00 +0000\n',
  );
}

function isElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.equals(Buffer.from('\x7fELF', 'latin1'));
  } finally {
    closeSync(fd);
  }
}

/**
 * The venv's shared objects as shipped, at most twelve: stripped or not (a .symtab left, as `file` says), and
 * whether _FORTIFY_SOURCE reached those compiled here (they import __*_chk functions).
 */
async function sharedObjects(venv: string): Promise<string[]> {
  const objects = entries(venv)
    .filter((path) => basename(path).includes('.so') && lstatSync(path).isFile() && isElf(path))
    .sort()
    .slice(0, 12);
  const lines: string[] = [];
  for (const path of objects) {
    const stripped = (await sectionNames(path)).includes('.symtab') ? 'not stripped' : 'stripped';
    const fortify = (await importedSymbols(path)).some((symbol) => /^__[a-z]*_chk$/.test(symbol));
    lines.push(`${relative(venv, path)} (${stripped}${fortify ? ', _FORTIFY_SOURCE' : ''})`);
  }
  return lines;
}

/** The message of a failed step (harness steps fail with an AssertionError carrying the command's output). */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A step of one project failed (said on stderr already); the others still run. */
class Failure extends Error {}

/** The command line names a project this check does not know; exit code 2, as for any usage error. */
class UsageError extends Error {}

/** Builds, installs, checks and purges one project; returns its summary line, or throws a Failure. */
async function checkProject(suite: Suite, work: string, project: Project): Promise<string> {
  const pkg = packageOf(project);
  const sourceDir = join(work, project.name, 'src');
  const log = join(work, project.name, 'build.log');
  const fail = (what: string): Failure => {
    console.error(`FAILED: ${project.name}: ${what} (log: ${log})`);
    return new Failure(what);
  };
  writeSource(sourceDir, project);

  console.log(`== ${project.name}: building ${pkg}`);
  const started = Date.now();
  let build: Build;
  let deb: string;
  try {
    // No PIP_INDEX_URL: pip goes to PyPI.
    build = await suite.buildSourceDir(sourceDir, { noIndexEnv: true });
    deb = build.deb(pkg);
  } catch (error) {
    console.error(messageOf(error));
    throw fail('dpkg-buildpackage');
  }
  const built = Math.round((Date.now() - started) / 1000);
  const depends = await debField(deb, 'Depends');
  // du -k: the blocks the .deb takes on disk.
  const size = Math.ceil(statSync(deb).blocks / 2);
  console.log(`${pkg} Depends: ${depends}`);
  for (const line of build.log.split('\n').filter((text) => /dpkg-shlibdeps: (warning|error)/.test(text))) {
    console.error(line);
  }
  for (const [name, path] of build.debs) {
    if (name.endsWith('-dbgsym')) console.log(`   (also built ${basename(path)})`);
  }

  const venv = `/opt/venvs/${pkg}`;
  await purge(pkg).catch(() => undefined);
  try {
    await installDeb(deb);
  } catch (error) {
    console.error(messageOf(error));
    throw fail('dpkg -i');
  }
  for (const line of await sharedObjects(venv)) console.log(`   ${line}`);
  const check = await runProcess([join(venv, 'bin', 'python'), '-c', project.check], {
    env: hostEnv(),
    cwd: '/',
  });
  if (check.status === 0) {
    console.log(`   import: ${check.output.trimEnd()}`);
  } else {
    console.error(check.output.trimEnd());
    fail('import');
  }
  try {
    await purge(pkg);
  } catch (error) {
    console.error(messageOf(error));
    throw fail('purge');
  }
  if (existsSync(venv)) throw fail(`purge (${venv} is still there)`);
  if (check.status !== 0) throw new Failure('import');
  return `${pkg} (${size} KiB, built in ${built}s) Depends: ${depends}`;
}

/** The projects named on the command line, all of them if none is. */
function selectedProjects(names: readonly string[]): readonly Project[] {
  if (names.length === 0) return PROJECTS;
  return names.map((name) => {
    const project = PROJECTS.find((candidate) => candidate.name === name);
    if (project === undefined) throw new UsageError(`unknown project ${name}`);
    return project;
  });
}

async function main(): Promise<number> {
  const selected = selectedProjects(process.argv.slice(2));

  const missing = await missingPackages([
    ...new Set([...selected.flatMap((p) => p.buildDepends), ...BASE_PACKAGES]),
  ]);
  if (missing.length > 0) {
    console.log(`installing: ${missing.join(' ')}`);
    await aptInstall(missing);
  }

  const work = mkdtempSync(join(tmpdir(), 'dhvt-real-world-native-'));
  // The tool under test, not an installed dh-virtualenv; the suite's fresh HOME, so pip compiles afresh (no
  // wheel cache). Its package index goes unused: the builds get no PIP_INDEX_URL.
  const suite = await startSuite({ projects: [] });
  const summary: string[] = [];
  let failed = false;
  try {
    for (const project of selected) {
      try {
        summary.push(await checkProject(suite, work, project));
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
        summary.push(`${project.name}: FAILED (${error.message})`);
        failed = true;
      }
    }
  } finally {
    await suite.close();
    if (keepTemporaryFiles()) process.stderr.write(`DHVT_E2E_KEEP=1: kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n== summary\n${summary.join('\n')}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
