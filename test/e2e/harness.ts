/**
 * One-line steps for the end-to-end tests: build a fixture source package with dpkg-buildpackage, look inside
 * the .deb, install it, run what it installed, purge it, and check nothing is left.
 *
 *     const suite = useSuite({ projects: ['dhvt-greet'] });   // in describe(): started once, closed after
 *     const build = await suite().buildPackage('hello');
 *     await purgeAfter(t, 'dhvt-hello');                  // purges now (leftovers) and when the test ends
 *     await installDeb(build.deb('dhvt-hello'));
 *     await runInstalled('/opt/venvs/dhvt-hello/bin/dhvt-hello');
 *     await purge('dhvt-hello');
 *     assertNothingLeft('/opt/venvs/dhvt-hello');
 *
 * The tool is installed once per test file with `make install` into a temporary DESTDIR, and found by dh
 * through PATH and PERL5LIB, so the host's own dh-virtualenv (if any) is never used. Packages come from the
 * index in package-index.ts. Everything runs as root (dpkg -i); DHVT_E2E_KEEP=1 keeps the temporary
 * directories (copies of the fixtures, build.log, the .debs) for a look after a failure.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { normalizeName } from '../../src/init/requirements';
import { startPackageIndex, type IndexOptions, type PackageIndex } from './package-index';
import {
  assertSucceeded,
  fixturePath,
  hermeticEnv,
  repoRoot,
  runProcess,
  sleep,
  SYSTEM_PATH,
  SYSTEM_PYTHON,
  type Env,
  type ProcessResult,
} from './processes';

/**
 * Directories the tests install into, and their parents; their state before the suite is checked again at the
 * end. (/opt and /srv are watched too: see restoreDirectories.)
 */
const WATCHED_DIRS = ['/opt', '/opt/venvs', '/srv', '/srv/dhvt-venvs'];

/** Every binary package of the fixtures starts with one of these, so tests never touch a real package. */
const TEST_PACKAGE_PATTERNS = ['dhvt-*', 'python3-dhvt-*'];

export interface Build {
  /** The copy of the fixture that was built, e.g. /tmp/dhvt-e2e-XXXX/hello-XXXX/hello. */
  readonly sourceDir: string;
  /** dpkg-buildpackage's output, stdout and stderr interleaved. */
  readonly log: string;
  /** Binary package name -> path of its .deb. */
  readonly debs: ReadonlyMap<string, string>;
  /** The .deb of one binary package; fails the test if it was not built. */
  deb(packageName: string): string;
}

export interface BuildOptions {
  /** Added to the build environment (after PATH, PERL5LIB, HOME and PIP_INDEX_URL). */
  readonly env?: Env;
  /** Leave PIP_INDEX_URL unset, for fixtures that pass --index-url themselves. */
  readonly noIndexEnv?: boolean;
  /** More dpkg-buildpackage options, e.g. -d where a Build-Depends is met by the tool under test itself. */
  readonly args?: readonly string[];
}

export interface Suite {
  readonly index: PackageIndex;
  /** The installed dh_virtualenv, <DESTDIR>/usr/bin/dh_virtualenv. */
  readonly dhVirtualenv: string;
  /** The environment builds get: our tool first on PATH, our Perl sequence on PERL5LIB, a temporary HOME. */
  env(extra?: Env): Env;
  /** Copies a fixture into a fresh temporary directory and returns the copy's path. */
  copyFixture(fixture: string): string;
  /** Copies the fixture and runs `dpkg-buildpackage -us -uc -b` in the copy; fails with the log's tail. */
  buildPackage(fixture: string, options?: BuildOptions): Promise<Build>;
  /**
   * Runs `dpkg-buildpackage -us -uc -b` in a source tree made elsewhere (bench/real-world-native.ts writes
   * its own); the .debs and build.log land in its parent directory, as with buildPackage.
   */
  buildSourceDir(sourceDir: string, options?: BuildOptions): Promise<Build>;
  /** Runs dh_virtualenv by itself in `cwd`, as debian/rules would; returns whatever happened. */
  runDhVirtualenv(cwd: string, args: readonly string[], env?: Env): Promise<ProcessResult>;
  /** Stops the index, removes the temporary files, and checks the machine is as the suite found it. */
  close(): Promise<void>;
}

/** What the tests expect of the interpreter dh_virtualenv uses by default, as that interpreter reports it. */
export interface TargetPython {
  /** Major.minor, e.g. "3.11". */
  readonly version: string;
  /** The file /usr/bin/python3 resolves to, e.g. /usr/bin/python3.11: the path venvs run and triggers name. */
  readonly executable: string;
  /** The Debian package a venv depends on for it, e.g. python3.11 (its files are in the -minimal half). */
  readonly packageName: string;
  /** The tag in byte code file names, e.g. cpython-311. */
  readonly cacheTag: string;
  /** The tag in extension module file names, e.g. cpython-311-x86_64-linux-gnu. */
  readonly soabi: string;
  /** A venv's site-packages relative to the venv, e.g. lib/python3.11/site-packages. */
  readonly sitePackages: string;
}

/** Asks an interpreter for a TargetPython, as JSON: `<python> ...TARGET_PYTHON_ARGS`. */
export const TARGET_PYTHON_ARGS: readonly string[] = [
  '-I',
  '-c',
  `
import json, os, sys, sysconfig
venv = "/venv"
print(json.dumps({
    "version": "%d.%d" % sys.version_info[:2],
    "executable": os.path.realpath(sys.executable),
    "cacheTag": sys.implementation.cache_tag,
    "soabi": sysconfig.get_config_var("SOABI"),
    "sitePackages": os.path.relpath(sysconfig.get_path("purelib", "venv", {"base": venv, "platbase": venv}), venv),
}))
`,
];

/** The interpreter's answer to TARGET_PYTHON_ARGS. */
export function parseTargetPython(json: string): TargetPython {
  const reported = JSON.parse(json) as Omit<TargetPython, 'packageName'>;
  return { ...reported, packageName: basename(reported.executable) };
}

let targetPythonFound: TargetPython | undefined;

/**
 * Debian's /usr/bin/python3 (never the first python3 on PATH), asked once: the tests run on Debian 12 and 13,
 * whose interpreters differ in version, so nothing may assume one.
 */
export function targetPython(): TargetPython {
  targetPythonFound ??= parseTargetPython(
    execFileSync(SYSTEM_PYTHON, TARGET_PYTHON_ARGS, {
      env: hermeticEnv({ HOME: tmpdir() }),
      encoding: 'utf8',
    }),
  );
  return targetPythonFound;
}

/** DHVT_E2E_KEEP=1: leave the temporary directories for a look afterwards. */
export function keepTemporaryFiles(): boolean {
  return process.env.DHVT_E2E_KEEP === '1';
}

/** `make install DESTDIR=<tmp> PREFIX=/usr`: the same layout the dh-virtualenv .deb ships. */
async function installTool(destDir: string, home: string): Promise<void> {
  // `npm run build` made dist/ just before, so make only installs it.
  const result = await runProcess(
    ['make', '-C', repoRoot(), 'install', `DESTDIR=${destDir}`, 'PREFIX=/usr'],
    { env: hermeticEnv({ HOME: home, PATH: `${dirname(process.execPath)}:${SYSTEM_PATH}` }) },
  );
  assertSucceeded(result, 'make install of dh-virtualenv');
}

/**
 * Starts a suite before the tests of the enclosing describe() and closes it after them; the tests call the
 * returned function for it.
 */
export function useSuite(options: IndexOptions): () => Suite {
  let suite: Suite | undefined;
  before(async () => {
    suite = await startSuite(options);
  });
  after(() => suite?.close());
  return () => {
    if (suite === undefined) throw new Error('the test suite did not start (see the before hook)');
    return suite;
  };
}

/** The commands dh_virtualenv echoed under -v / DH_VERBOSE=1: the log's lines that start with a tab. */
export function echoedCommands(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('\t'))
    .map((line) => line.slice(1));
}

export async function startSuite(options: IndexOptions): Promise<Suite> {
  const before = await machineState();
  const workDir = mkdtempSync(join(tmpdir(), 'dhvt-e2e-'));
  const destDir = join(workDir, 'dest');
  const home = join(workDir, 'home');
  let index: PackageIndex;
  try {
    mkdirSync(home);
    await installTool(destDir, home);
    index = await startPackageIndex(options);
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  const dhVirtualenv = join(destDir, 'usr', 'bin', 'dh_virtualenv');

  const env = (extra: Env = {}): Env =>
    hermeticEnv({
      HOME: home,
      PATH: `${join(destDir, 'usr', 'bin')}:${SYSTEM_PATH}`,
      PERL5LIB: join(destDir, 'usr', 'share', 'perl5'),
      ...extra,
    });

  const copyFixture = (fixture: string): string => {
    const parent = mkdtempSync(join(workDir, `${fixture}-`));
    const copy = join(parent, fixture);
    cpSync(fixturePath(fixture), copy, { recursive: true });
    // Git keeps the executable bit only loosely (core.fileMode, checkouts on other file systems). The init
    // fixtures have no debian/ yet: dh-virtualenv init writes it.
    const rules = join(copy, 'debian', 'rules');
    if (existsSync(rules)) chmodSync(rules, 0o755);
    return copy;
  };

  const buildIn = async (sourceDir: string, what: string, buildOptions: BuildOptions): Promise<Build> => {
    const result = await runProcess(['dpkg-buildpackage', '-us', '-uc', '-b', ...(buildOptions.args ?? [])], {
      cwd: sourceDir,
      env: env({
        ...(buildOptions.noIndexEnv === true ? {} : { PIP_INDEX_URL: index.url }),
        ...buildOptions.env,
      }),
    });
    const parent = dirname(sourceDir);
    writeFileSync(join(parent, 'build.log'), result.output);
    assertSucceeded(result, what);
    const debs = new Map(
      readdirSync(parent)
        .filter((name) => name.endsWith('.deb'))
        .map((name) => [name.split('_')[0] ?? name, join(parent, name)] as const),
    );
    return {
      sourceDir,
      log: result.output,
      debs,
      deb(packageName) {
        const path = debs.get(packageName);
        assert.ok(path !== undefined, `no .deb for ${packageName}; built: ${[...debs.keys()].join(', ')}`);
        return path;
      },
    };
  };

  const buildPackage = (fixture: string, buildOptions: BuildOptions = {}): Promise<Build> =>
    buildIn(copyFixture(fixture), `building the fixture ${fixture}`, buildOptions);

  return {
    index,
    dhVirtualenv,
    env,
    copyFixture,
    buildPackage,
    buildSourceDir: (sourceDir, buildOptions = {}) =>
      buildIn(sourceDir, `building ${sourceDir}`, buildOptions),
    runDhVirtualenv: (cwd, args, extra = {}) =>
      runProcess([dhVirtualenv, ...args], { cwd, env: env({ PIP_INDEX_URL: index.url, ...extra }) }),
    close: async () => {
      await index.close();
      if (keepTemporaryFiles()) process.stderr.write(`DHVT_E2E_KEEP=1: kept ${workDir}\n`);
      else rmSync(workDir, { recursive: true, force: true });
      // Several developers' test runs on one machine see each other's packages; they set this to skip the check.
      if (process.env.DHVT_E2E_SHARED_HOST === '1') return;
      assert.deepEqual(await machineState(), before, 'the tests left test packages or directories behind');
    },
  };
}

interface MachineState {
  readonly installedTestPackages: readonly string[];
  readonly existingDirs: readonly string[];
}

async function machineState(): Promise<MachineState> {
  const result = await runProcess(
    ['dpkg-query', '-W', '-f', '${db:Status-Abbrev} ${Package}\n', ...TEST_PACKAGE_PATTERNS],
    {
      env: hostEnv(),
    },
  );
  // dpkg-query exits 1 when no package matches a pattern; its stdout is what counts. The second letter of the
  // status abbreviation is "n" for packages dpkg only knows by name; anything else (installed, config files
  // left, half-configured) is a leftover.
  const installedTestPackages = result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([abbrev, name]) => name !== undefined && abbrev !== undefined && abbrev.charAt(1) !== 'n')
    .map(([, name]) => name ?? '')
    .sort();
  return { installedTestPackages, existingDirs: WATCHED_DIRS.filter((dir) => existsSync(dir)) };
}

/** For dpkg and the installed programs: clean like the builds, with root's own HOME, plus what a test adds. */
export function hostEnv(extra: Env = {}): Env {
  return hermeticEnv({ HOME: homedir(), ...extra });
}

// dpkg exits 2 with one of these when another process (apt, unattended-upgrades, a parallel job) holds a lock.
const DPKG_LOCKED =
  /frontend lock|status database.*locked|locked by another process|unable to (acquire|lock)/i;
const DPKG_LOCK_PATIENCE_MS = 5 * 60 * 1000;

/**
 * Runs a dpkg tool (dpkg, dpkg-trigger) and returns what happened, without judging it; waits for up to five
 * minutes while another process holds dpkg's lock. `env` reaches the maintainer scripts (DH_VERBOSE, …).
 */
export async function dpkgRun(argv: readonly string[], env: Env = {}): Promise<ProcessResult> {
  const deadline = Date.now() + DPKG_LOCK_PATIENCE_MS;
  for (;;) {
    const result = await runProcess(argv, { env: hostEnv(env), cwd: '/' });
    if (result.status === 0 || !DPKG_LOCKED.test(result.stderr) || Date.now() > deadline) return result;
    await sleep(2000);
  }
}

/** Those of `packageNames` that dpkg does not have installed. */
export async function missingPackages(packageNames: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of packageNames) {
    const status = await runProcess(['dpkg-query', '-W', '-f', '${Status}', name], { env: hostEnv() });
    if (status.stdout !== 'install ok installed') missing.push(name);
  }
  return missing;
}

/**
 * `apt-get update` and `apt-get install` from the machine's archive, waiting up to five minutes for apt's and
 * dpkg's locks. For the benchmarks' -dev packages: the tests rely on scripts/install-build-deps.sh instead.
 */
export async function aptInstall(packageNames: readonly string[]): Promise<void> {
  const apt = (args: readonly string[]): Promise<ProcessResult> =>
    runProcess(['apt-get', '-o', 'DPkg::Lock::Timeout=300', ...args], { env: hostEnv(), cwd: '/' });
  assertSucceeded(await apt(['update', '-qq']), 'apt-get update');
  assertSucceeded(
    await apt(['install', '-y', '--no-install-recommends', ...packageNames]),
    `apt-get install ${packageNames.join(' ')}`,
  );
}

function dpkg(args: readonly string[]): Promise<ProcessResult> {
  return dpkgRun(['dpkg', ...args]);
}

/** Directories a .deb brings that were on the machine before it was installed, with their owner and mode. */
const directoriesFoundBeforeInstall = new Map<string, { mode: number; uid: number; gid: number }>();

/**
 * dpkg removes, on purge, every empty directory of the package that no other package lists. On trimmed
 * images (containers) base-files may not list /srv or /opt, so purging a package with files under /srv
 * would remove a /srv that was there before: such directories are put back as they were.
 */
function restoreDirectories(): void {
  const dirs = [...directoriesFoundBeforeInstall.entries()].sort(([a], [b]) => a.length - b.length);
  for (const [dir, { mode, uid, gid }] of dirs) {
    if (existsSync(dir)) continue;
    mkdirSync(dir);
    chmodSync(dir, mode);
    chownSync(dir, uid, gid);
  }
}

function isTestPackage(name: string): boolean {
  return TEST_PACKAGE_PATTERNS.some((pattern) => name.startsWith(pattern.replace(/\*$/, '')));
}

/**
 * Of `dirs`, those only test packages installed: an earlier installDeb made them (/opt/venvs when two test
 * packages are installed in a row), so they were not there before the tests and must not be put back.
 */
async function madeByTestPackages(dirs: readonly string[]): Promise<Set<string>> {
  if (dirs.length === 0) return new Set();
  const result = await runProcess(['dpkg-query', '-S', ...dirs], { env: hostEnv() });
  return new Set(
    result.stdout
      .split('\n')
      .map((line) => /^(.*): (\/.*)$/.exec(line))
      .filter(
        (match): match is RegExpExecArray => match !== null && !(match[1] ?? '').startsWith('diversion'),
      )
      .filter((match) => (match[1] ?? '').split(', ').every(isTestPackage))
      .map((match) => match[2] ?? ''),
  );
}

export async function installDeb(path: string): Promise<void> {
  const existing = (await debDirectories(path)).filter(
    (dir) => !directoriesFoundBeforeInstall.has(dir) && existsSync(dir),
  );
  const madeByTests = await madeByTestPackages(existing);
  for (const dir of existing) {
    if (madeByTests.has(dir)) continue;
    const stat = statSync(dir);
    directoriesFoundBeforeInstall.set(dir, { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid });
  }
  assertSucceeded(await dpkg(['-i', path]), `dpkg -i ${path}`);
}

export async function purge(...packageNames: string[]): Promise<void> {
  const result = await dpkg(['--purge', ...packageNames]);
  restoreDirectories();
  assertSucceeded(result, `dpkg --purge ${packageNames.join(' ')}`);
}

/**
 * Purges the packages once the test ends, however it ends; and first purges any copy a crashed earlier run
 * left installed, so the test starts from the machine's real state.
 */
export async function purgeAfter(t: TestContext, ...packageNames: string[]): Promise<void> {
  await purge(...packageNames);
  t.after(() => purge(...packageNames));
}

/** Runs an installed program in a clean environment (bytecode writing on) and returns its stdout. */
export async function runInstalled(command: string, args: readonly string[] = []): Promise<string> {
  const result = await runProcess([command, ...args], { env: hostEnv(), cwd: '/' });
  assertSucceeded(result, `running ${command}`);
  return result.stdout;
}

/** Everything under `dir`, directories with a trailing slash; symbolic links are listed, not followed. */
function entriesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? [path + '/', ...entriesUnder(path)] : [path];
  });
}

/** Fails, listing what is there, unless `dir` is gone. */
export function assertNothingLeft(dir: string): void {
  if (!existsSync(dir)) return;
  const left = entriesUnder(dir);
  assert.fail(
    `${dir} is still there after purge, with ${left.length} entries:\n${left.slice(0, 30).join('\n')}`,
  );
}

/** Extracts a .deb (`dpkg-deb -R`): its files under the returned directory, control files under DEBIAN/. */
export async function extractDeb(path: string): Promise<string> {
  const dir = mkdtempSync(join(dirname(path), 'extracted-'));
  assertSucceeded(await runProcess(['dpkg-deb', '-R', path, dir], { env: hostEnv() }), `dpkg-deb -R ${path}`);
  return dir;
}

/** `dpkg-deb -c`: one line per member, "drwxr-xr-x root/root 0 2024-01-01 00:00 ./opt/venvs/…". */
export async function debListing(path: string): Promise<string> {
  const result = await runProcess(['dpkg-deb', '-c', path], { env: hostEnv() });
  assertSucceeded(result, `dpkg-deb -c ${path}`);
  return result.stdout;
}

/** One field of the .deb's control file (`dpkg-deb -f`), e.g. Depends. */
export async function debField(path: string, field: string): Promise<string> {
  const result = await runProcess(['dpkg-deb', '-f', path, field], { env: hostEnv() });
  assertSucceeded(result, `dpkg-deb -f ${path} ${field}`);
  return result.stdout.trim();
}

/** The packages the .deb's Depends field lists, alternatives and versions as written, e.g. ["python3.11"]. */
export async function debDepends(path: string): Promise<string[]> {
  return (await debField(path, 'Depends')).split(/,\s*/).filter(Boolean);
}

/**
 * The line of bin/activate that sets VIRTUAL_ENV to `venv`, however virtualenv or venv spell it: quoted or
 * not, with `export ` in front (Python 3.13's venv) or not.
 */
export function setsVirtualEnv(venv: string): RegExp {
  return new RegExp(`^\\s*(export )?VIRTUAL_ENV=(['"]?)${venv}\\2$`, 'm');
}

/** The members' paths, as "/opt/venvs/…" (directories without the trailing slash). */
export async function debPaths(path: string, kind: 'all' | 'directories' = 'all'): Promise<string[]> {
  return (
    (await debListing(path))
      .split('\n')
      .filter((line) => line !== '' && (kind === 'all' || line.startsWith('d')))
      // Names may contain spaces (setuptools ships "launcher manifest.xml"): take everything after the fifth field.
      .map((line) =>
        (/^(?:\S+\s+){5}(.*?)(?: -> .*)?$/.exec(line)?.[1] ?? '').replace(/^\./, '').replace(/\/$/, ''),
      )
      .filter(Boolean)
  );
}

function debDirectories(path: string): Promise<string[]> {
  return debPaths(path, 'directories');
}

export function firstLine(path: string): string {
  return readFileSync(path, 'latin1').split('\n')[0] ?? '';
}

/** Regular files under `dir` whose contents mention `text`, relative to `dir`. */
export function filesMentioning(dir: string, text: string): string[] {
  return entriesUnder(dir)
    .filter((path) => lstatSync(path).isFile() && readFileSync(path, 'latin1').includes(text))
    .map((path) => relative(dir, path));
}

/** pip's view of an installed virtualenv: normalized project name -> version. */
export async function pipList(python: string): Promise<Map<string, string>> {
  const result = await runProcess(
    [python, '-m', 'pip', 'list', '--format=json', '--disable-pip-version-check'],
    {
      env: hostEnv(),
      cwd: '/',
    },
  );
  assertSucceeded(result, `${python} -m pip list`);
  const entries = JSON.parse(result.stdout) as { name: string; version: string }[];
  return new Map(entries.map(({ name, version }) => [normalizeName(name), version]));
}
