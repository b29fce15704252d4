/**
 * Real-world check of native code (docs/native.md), not part of `npm test`: for each row of
 * bench/real-world/projects.ts (popular manylinux wheels, sdists compiled against Debian's -dev packages, and
 * two whole applications) it builds one package with this checkout's dh_virtualenv and the bare upstream rules
 * (`dh $@ --with python-virtualenv`), installs it, runs a smoke call with the venv's own interpreter, and purges
 * it again. Ends with a Markdown table: project, version, wheel/sdist/profile, build, the Depends that
 * dh_shlibdeps added, smoke call, seconds.
 *
 * Everything the builds install comes from a download cache filled once with Debian's pip (see
 * bench/real-world/wheelhouse.ts): the builds get PIP_NO_INDEX=1 and PIP_FIND_LINKS, and a proxy that refuses
 * every connection, so a build that reaches for the network fails instead of quietly downloading.
 *
 * Needs root (apt-get for the -dev packages, dpkg -i); the network only for what the cache lacks.
 *
 *     npm run bench:native                          # every row
 *     npm run bench:native -- orjson numpy web      # some rows; also: wheels, sdists, profiles
 *     npm run bench:native -- --download-only       # fill the cache, build nothing
 *     npm run bench:native -- --cache=/srv/cache    # cache root instead of $XDG_CACHE_HOME/dh-virtualenv-bench
 *     DHVT_E2E_KEEP=1 npm run bench:native          # keep the work directories (sources, logs, .debs)
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
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
import { ROWS, type Row } from './real-world/projects';
import { writeShellSource } from './real-world/source-package';
import { defaultCacheRoot, Wheelhouse } from './real-world/wheelhouse';

/** What the builds need besides the -dev packages of the rows. */
const BASE_PACKAGES = ['python3-dev', 'python3-venv', 'python3-virtualenv', 'debhelper', 'dpkg-dev'];

/** The shell project around each row's requirements is built by pip too, with these from the cache. */
const SHELL_PROJECT_REQUIREMENTS = ['setuptools', 'wheel'];

/** Port 9 (discard) on loopback: nothing listens, so any download attempt fails at once and says so. */
const REFUSING_PROXY = 'http://127.0.0.1:9';
const NO_NETWORK = {
  http_proxy: REFUSING_PROXY,
  https_proxy: REFUSING_PROXY,
  HTTP_PROXY: REFUSING_PROXY,
  HTTPS_PROXY: REFUSING_PROXY,
};

const GROUPS: Readonly<Record<string, Row['kind']>> = {
  wheels: 'wheel',
  sdists: 'sdist',
  profiles: 'profile',
};

const packageOf = (row: Row): string => `dhvt-native-rw-${row.name}`;

type Stage = 'download' | 'build' | 'install' | 'smoke' | 'purge';

interface Outcome {
  readonly row: Row;
  build: 'ok' | 'FAILED' | 'not run';
  smoke: 'ok' | 'FAILED' | 'not run';
  /** Depends entries dh_shlibdeps put there: neither ${misc:Depends} nor the interpreter. */
  shlibs: readonly string[];
  seconds: number;
  /** The first thing that went wrong, and the first line of output that says what. */
  failure?: { readonly stage: Stage; readonly line: string; readonly log?: string };
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
 * The venv's ELF files as shipped (programs in bin/, shared objects), at most twelve: stripped or not (a .symtab
 * left), and whether _FORTIFY_SOURCE reached those compiled here (they import __*_chk functions).
 */
async function elfFiles(venv: string): Promise<string[]> {
  const bin = join(venv, 'bin');
  const objects = entries(venv)
    .filter((path) => path.startsWith(`${bin}/`) || basename(path).includes('.so'))
    .filter((path) => lstatSync(path).isFile() && isElf(path))
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The line that says what went wrong: the first "error:" of the output (dpkg-shlibdeps, the compiler, pip's
 * ERROR:), else its last line.
 */
function errorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /(^|[\s:])(fatal )?error:/i.test(line)) ?? lastLine(output);
}

/** A Python traceback ends with the exception. */
function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.trim() ?? '(no output)';
}

function splitDepends(field: string): string[] {
  return field
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** The entries of Depends that came from dh_shlibdeps, read against the build's substvars. */
function shlibsAdded(sourceDir: string, pkg: string, depends: string): string[] {
  const substvars = join(sourceDir, 'debian', `${pkg}.substvars`);
  const misc = existsSync(substvars)
    ? (/^misc:Depends=(.*)$/m.exec(readFileSync(substvars, 'utf8'))?.[1] ?? '')
    : '';
  const anyway = new Set(splitDepends(misc));
  return splitDepends(depends).filter((entry) => !anyway.has(entry) && !/^python3(\.\d+)?(\s|$)/.test(entry));
}

/** Builds, installs, smoke-tests and purges one row. A failure is recorded, never thrown. */
async function checkRow(suite: Suite, wheelhouse: Wheelhouse, work: string, row: Row): Promise<Outcome> {
  const outcome: Outcome = { row, build: 'not run', smoke: 'not run', shlibs: [], seconds: 0 };
  const pkg = packageOf(row);
  const rowDir = join(work, row.name);
  const sourceDir = join(rowDir, 'src');
  const log = join(rowDir, 'build.log');
  const started = Date.now();
  const fail = (stage: Stage, line: string): Outcome => {
    outcome.failure ??= { stage, line, ...(stage === 'build' ? { log } : {}) };
    console.error(`FAILED: ${row.name}: ${stage}: ${line}`);
    return outcome;
  };
  writeShellSource(sourceDir, {
    pkg,
    requirements: row.requirements,
    buildDepends: ['python3-venv', ...row.buildDepends],
    compat: 13,
    description: row.project,
    by: 'bench/real-world-native.ts',
  });

  console.log(`== ${row.name}: building ${pkg}`);
  let build: Build;
  try {
    build = await suite.buildSourceDir(sourceDir, {
      noIndexEnv: true,
      env: { ...wheelhouse.buildEnv(), ...NO_NETWORK },
    });
  } catch (error) {
    outcome.build = 'FAILED';
    outcome.seconds = Math.round((Date.now() - started) / 1000);
    return fail('build', errorLine(existsSync(log) ? readFileSync(log, 'utf8') : messageOf(error)));
  }
  outcome.build = 'ok';
  const deb = build.deb(pkg);
  const depends = await debField(deb, 'Depends');
  outcome.shlibs = shlibsAdded(sourceDir, pkg, depends);
  console.log(`   Depends: ${depends}`);
  const warnings = build.log.split('\n').filter((line) => /dpkg-shlibdeps: warning/.test(line));
  if (warnings.length > 0)
    console.log(`   ${warnings.length} dpkg-shlibdeps warnings, first: ${warnings[0]}`);

  const venv = `/opt/venvs/${pkg}`;
  // An earlier run that was interrupted may have left it installed.
  await purge(pkg).catch(() => undefined);
  try {
    try {
      await installDeb(deb);
    } catch (error) {
      return fail('install', errorLine(messageOf(error)));
    }
    for (const line of await elfFiles(venv)) console.log(`   ${line}`);
    const home = join(rowDir, 'home');
    mkdirSync(home, { recursive: true });
    // A HOME of its own: matplotlib and others write caches there.
    const smoke = await runProcess([join(venv, 'bin', row.smoke.program), ...row.smoke.args], {
      env: hostEnv({ HOME: home }),
      cwd: '/',
    });
    if (smoke.status === 0) {
      outcome.smoke = 'ok';
      console.log(`   smoke: ${smoke.output.trim().split('\n').join(' / ')}`);
    } else {
      outcome.smoke = 'FAILED';
      console.error(smoke.output.trimEnd());
      fail('smoke', lastLine(smoke.output));
    }
  } finally {
    try {
      await purge(pkg);
      if (existsSync(venv)) fail('purge', `${venv} is still there`);
    } catch (error) {
      fail('purge', errorLine(messageOf(error)));
    }
    outcome.seconds = Math.round((Date.now() - started) / 1000);
  }
  return outcome;
}

/** The row's work directory, down to its build log (the .debs and the build tree are large). */
function tidy(work: string, row: Row): void {
  const rowDir = join(work, row.name);
  if (!existsSync(rowDir)) return;
  for (const name of readdirSync(rowDir)) {
    if (name !== 'build.log') rmSync(join(rowDir, name), { recursive: true, force: true });
  }
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The rows named on the command line (names or groups), all of them if none is. */
function selectedRows(names: readonly string[]): readonly Row[] {
  if (names.length === 0) return ROWS;
  const chosen = new Set<Row>();
  for (const name of names) {
    const group = GROUPS[name];
    const matches =
      group !== undefined
        ? ROWS.filter((row) => row.kind === group)
        : ROWS.filter((row) => normalize(row.name) === normalize(name));
    if (matches.length === 0) throw new UsageError(`unknown project ${name}`);
    for (const row of matches) chosen.add(row);
  }
  return ROWS.filter((row) => chosen.has(row));
}

/** The command line names a project this check does not know; exit code 2, as for any usage error. */
class UsageError extends Error {}

interface Arguments {
  readonly names: readonly string[];
  readonly cacheRoot: string;
  readonly downloadOnly: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const names: string[] = [];
  let cacheRoot = defaultCacheRoot();
  let downloadOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--download-only') downloadOnly = true;
    else if (arg.startsWith('--cache=')) cacheRoot = arg.slice('--cache='.length);
    else if (arg === '--cache' && argv[i + 1] !== undefined) cacheRoot = argv[++i] ?? cacheRoot;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else names.push(arg);
  }
  return { names, cacheRoot, downloadOnly };
}

/** Fills the cache for the rows that need it; returns the rows whose download failed, with the reason. */
async function download(wheelhouse: Wheelhouse, rows: readonly Row[]): Promise<Map<Row, string>> {
  const failed = new Map<Row, string>();
  const wanted: [string, readonly string[], Row | undefined][] = [
    ['shell-project', SHELL_PROJECT_REQUIREMENTS, undefined],
    ...rows.map((row): [string, readonly string[], Row] => [row.name, row.requirements, row]),
  ];
  for (const [name, requirements, row] of wanted) {
    if (wheelhouse.has(name, requirements)) continue;
    console.log(`== downloading ${name}: ${requirements.join(' ')}`);
    const result = await wheelhouse.download(name, requirements);
    if (result === undefined) continue;
    const line = errorLine(result.output);
    console.error(`FAILED: download of ${name}: ${line}`);
    if (row === undefined) throw new Error(`downloading ${requirements.join(' ')} failed: ${line}`);
    failed.set(row, line);
  }
  return failed;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function table(outcomes: readonly Outcome[]): string {
  const lines = [
    '| Project | Version | From | Build | Depends added by shlibs | Smoke call | Seconds |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { row, build, smoke, shlibs, seconds } of outcomes) {
    const depends = build === 'ok' ? (shlibs.length > 0 ? shlibs.join(', ') : '(none)') : '';
    lines.push(
      `| ${[row.project, row.version, row.kind, build, depends, smoke, String(seconds)].map(cell).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  const selected = selectedRows(args.names);

  // Before the download: pip prepares an sdist's metadata by running its setup.py, and mysqlclient's asks
  // pkg-config for libmariadb.
  const missing = await missingPackages([
    ...new Set([...selected.flatMap((row) => row.buildDepends), ...BASE_PACKAGES]),
  ]);
  if (missing.length > 0) {
    console.log(`installing: ${missing.join(' ')}`);
    await aptInstall(missing);
  }

  const wheelhouse = new Wheelhouse(args.cacheRoot);
  console.log(`cache: ${wheelhouse.dir}`);
  const downloadStarted = Date.now();
  const downloadFailures = await download(wheelhouse, selected);
  const downloadSeconds = Math.round((Date.now() - downloadStarted) / 1000);
  console.log(`download: ${downloadSeconds}s`);
  if (args.downloadOnly) return downloadFailures.size > 0 ? 1 : 0;

  const work = mkdtempSync(join(tmpdir(), 'dhvt-real-world-native-'));
  // The tool under test, not an installed dh-virtualenv. Its package index goes unused: the builds get no
  // PIP_INDEX_URL, only the cache.
  const suite = await startSuite({ projects: [] });
  const outcomes: Outcome[] = [];
  const runStarted = Date.now();
  try {
    for (const row of selected) {
      const reason = downloadFailures.get(row);
      if (reason !== undefined) {
        outcomes.push({
          row,
          build: 'not run',
          smoke: 'not run',
          shlibs: [],
          seconds: 0,
          failure: { stage: 'download', line: reason },
        });
        continue;
      }
      outcomes.push(await checkRow(suite, wheelhouse, work, row));
      if (!keepTemporaryFiles()) tidy(work, row);
    }
  } finally {
    await suite.close();
  }
  const failures = outcomes.filter((outcome) => outcome.failure !== undefined);
  const runSeconds = Math.round((Date.now() - runStarted) / 1000);

  console.log(`\n${table(outcomes)}\n`);
  console.log(
    `${outcomes.length - failures.length} of ${outcomes.length} rows passed; download ${downloadSeconds}s, ` +
      `builds ${runSeconds}s; cache ${wheelhouse.root}`,
  );
  if (failures.length > 0) {
    console.log('\nFailed:');
    for (const { row, failure } of failures) {
      if (failure === undefined) continue;
      console.log(
        `- ${row.name} (${failure.stage}): ${failure.line}${failure.log === undefined ? '' : ` [${failure.log}]`}`,
      );
    }
  }
  // The build logs of failed rows stay for a look; a run that passed leaves nothing behind.
  if (failures.length === 0 && !keepTemporaryFiles()) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`kept ${work}\n`);
  return failures.length > 0 ? 1 : 0;
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
