/**
 * Steps the clean-output test (clean-output.test.ts) needs beyond harness.ts: a build in a directory and an
 * environment of the test's choosing, the build paths a package must not name, a look for them in a .deb,
 * a description of how two .debs differ, lintian, the RECORD check, and programs run as an unprivileged user.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Suite } from './harness';
import { extractDeb } from './harness';
import {
  assertSucceeded,
  describeResult,
  hermeticEnv,
  runProcess,
  sleep,
  tail,
  type Env,
  type ProcessResult,
} from './processes';

/**
 * A directory name found in no real path: any spelling of the build directory that reaches the package
 * (percent-encoded in a file: URL, escaped in a string literal) still shows it.
 */
export const LEAK_MARKER = 'dhvt-clean-leak-marker';

/** How one build differs from another: where it runs and what its environment holds. */
export interface BuildPlace {
  /** Path segments under the suite's temporary directory; the fixture is copied into the last one. */
  readonly dirs: readonly string[];
  readonly umask: string;
  readonly tz: string;
  readonly locale: string;
}

/**
 * Deep, long and full of the characters dpkg allows in a path (not spaces): "+,@=~". The source directory
 * passes 127 bytes, so pip writes its /bin/sh wrapper instead of a "#!" line for the build-time scripts.
 */
export const ODD_PLACE: BuildPlace = {
  dirs: [
    'first+build,dir@host=x~y',
    LEAK_MARKER,
    'level-three_with-a-rather-long-name.and.dots',
    'level-four_with-another-long-name+and+plus',
    'src',
  ],
  umask: '0002',
  tz: 'UTC',
  locale: 'C.UTF-8',
};

/** Everything else differs: a short plain path, a strict umask, UTC+14, and the C locale. */
export const PLAIN_PLACE: BuildPlace = {
  dirs: ['second', 'src'],
  umask: '0077',
  tz: 'Pacific/Kiritimati',
  locale: 'C',
};

export interface PlacedBuild {
  readonly fixture: string;
  /** Where the fixture's copy was built. */
  readonly sourceDir: string;
  /** The suite's temporary directory, which also holds the builds' HOME. */
  readonly workDir: string;
  readonly log: string;
  /** The one .deb the fixture builds. */
  readonly deb: string;
  /** Wall-clock time the build finished, in ms. */
  readonly finishedAt: number;
}

export interface BuildAtOptions {
  /** Added to the build environment after the place's; upstream's PATH and PERL5LIB, for one. */
  readonly env?: Env;
  /** Changes the fixture's copy before it is built (bench/clean-output.ts lowers the debhelper compat). */
  readonly edit?: (sourceDir: string) => void;
}

/**
 * Copies the fixture to `place` (under the suite's temporary directory) and runs `dpkg-buildpackage -us -uc
 * -b` there with the place's umask, TZ and locale.
 */
export async function buildAt(
  suite: Suite,
  fixture: string,
  place: BuildPlace,
  options: BuildAtOptions = {},
): Promise<PlacedBuild> {
  const copy = suite.copyFixture(fixture);
  const workDir = dirname(dirname(copy));
  const sourceDir = join(workDir, `${fixture}-builds`, ...place.dirs, fixture);
  mkdirSync(dirname(sourceDir), { recursive: true });
  renameSync(copy, sourceDir);
  options.edit?.(sourceDir);
  const result = await runProcess(
    ['sh', '-c', 'umask "$1" && exec dpkg-buildpackage -us -uc -b', 'sh', place.umask],
    {
      cwd: sourceDir,
      env: suite.env({
        PIP_INDEX_URL: suite.index.url,
        TZ: place.tz,
        LC_ALL: place.locale,
        LANG: place.locale,
        ...options.env,
      }),
    },
  );
  assertSucceeded(result, `building the fixture ${fixture} in ${sourceDir}`);
  const parent = dirname(sourceDir);
  const debs = readdirSync(parent).filter((name) => name.endsWith('.deb'));
  assert.equal(debs.length, 1, `${fixture}: expected one .deb, got ${debs.join(', ')}`);
  return {
    fixture,
    sourceDir,
    workDir,
    log: result.output,
    deb: join(parent, debs[0] ?? ''),
    finishedAt: Date.now(),
  };
}

/** The strings that name the build: the directories, the marker, and the debian/<pkg> staging tree. */
export function buildSpellings(build: PlacedBuild, packageName: string, finalDir: string): string[] {
  return [
    ...new Set([
      build.sourceDir,
      realpathSync(build.sourceDir),
      build.workDir,
      realpathSync(build.workDir),
      LEAK_MARKER,
      `debian/${packageName}${finalDir}`,
    ]),
  ];
}

/**
 * Where the unpacked package (control files included) names any of `spellings`: file contents (grep -r, as
 * the issue asks), file names, and symbolic link targets.
 */
export async function buildPathLeaks(tree: string, spellings: readonly string[]): Promise<string[]> {
  const grep = await runProcess(
    ['grep', '-r', '-l', '-F', ...spellings.flatMap((spelling) => ['-e', spelling]), '.'],
    { cwd: tree, env: hermeticEnv({ HOME: homedir() }) },
  );
  assert.ok(grep.status === 0 || grep.status === 1, `grep failed: ${describeResult(grep)}`);
  const inContents = grep.stdout
    .split('\n')
    .filter(Boolean)
    .map((path) => `contents: ${path.replace(/^\.\//, '')}`);
  const inNamesAndLinks = entries(tree).flatMap((path) => {
    const found: string[] = [];
    const name = relative(tree, path);
    if (spellings.some((spelling) => name.includes(spelling))) found.push(`name: ${name}`);
    if (lstatSync(path).isSymbolicLink()) {
      const target = readlinkSync(path);
      if (spellings.some((spelling) => target.includes(spelling))) found.push(`link: ${name} -> ${target}`);
    }
    return found;
  });
  return [...inContents, ...inNamesAndLinks];
}

/** Every path under `dir`, depth first, symbolic links not followed. */
export function entries(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? [path, ...entries(path)] : [path];
    });
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** "<type><mode> <size> <sha256 or link target>" for each entry of an unpacked tree, by relative path. */
function treeSummary(tree: string): Map<string, string> {
  return new Map(
    entries(tree).map((path) => {
      const stat = lstatSync(path);
      const mode = (stat.mode & 0o7777).toString(8);
      const what = stat.isSymbolicLink()
        ? `link ${readlinkSync(path)}`
        : stat.isDirectory()
          ? 'dir'
          : `file ${stat.size} ${sha256(path)}`;
      return [relative(tree, path), `${mode} ${what}`] as const;
    }),
  );
}

/**
 * Says how two .debs differ: diffoscope's report when it is installed, otherwise the members whose metadata
 * (dpkg-deb -c: mode, owner, size, date) or contents differ.
 */
export async function describeDebDifferences(a: string, b: string): Promise<string> {
  const env = hermeticEnv({ HOME: homedir() });
  const diffoscope = await runProcess(['diffoscope', '--text', '-', a, b], { env });
  if (diffoscope.signal === null && diffoscope.status !== null && diffoscope.status <= 1) {
    return `diffoscope ${a} ${b}:\n${tail(diffoscope.stdout, 200)}`;
  }
  const listings = await Promise.all(
    [a, b].map(async (deb) => {
      const result = await runProcess(['dpkg-deb', '-c', deb], { env });
      assertSucceeded(result, `dpkg-deb -c ${deb}`);
      return new Set(result.stdout.split('\n').filter(Boolean));
    }),
  );
  const [listA, listB] = listings as [Set<string>, Set<string>];
  const metadata = [
    ...[...listA].filter((line) => !listB.has(line)).map((line) => `- ${line}`),
    ...[...listB].filter((line) => !listA.has(line)).map((line) => `+ ${line}`),
  ];
  const [treeA, treeB] = [treeSummary(await extractDeb(a)), treeSummary(await extractDeb(b))];
  const paths = [...new Set([...treeA.keys(), ...treeB.keys()])].sort();
  const contents = paths
    .filter((path) => treeA.get(path) !== treeB.get(path))
    .map((path) => `${path}: ${treeA.get(path) ?? 'missing'} | ${treeB.get(path) ?? 'missing'}`);
  return [
    `(diffoscope is not installed) ${contents.length} file(s) differ:`,
    ...contents.slice(0, 100),
    `dpkg-deb -c lines that differ (${metadata.length}):`,
    ...metadata.slice(0, 100),
  ].join('\n');
}

/** Members' dates as dpkg-deb -c shows them ("2024-01-01 00:00"), each with how many members carry it. */
export async function memberDates(deb: string): Promise<Map<string, number>> {
  const result = await runProcess(['dpkg-deb', '-c', deb], { env: hermeticEnv({ HOME: homedir() }) });
  assertSucceeded(result, `dpkg-deb -c ${deb}`);
  const dates = new Map<string, number>();
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    const date = line.split(/\s+/).slice(3, 5).join(' ');
    dates.set(date, (dates.get(date) ?? 0) + 1);
  }
  return dates;
}

export interface LintianReport {
  /** `lintian --fail-on error,warning`: fails on errors and warnings that are not overridden. */
  readonly result: ProcessResult;
  /** The E: and W: lines. */
  readonly errorsAndWarnings: readonly string[];
  /** The O: lines (overridden tags) that lintian printed no comment (N:) for. */
  readonly overridesWithoutReason: readonly string[];
  readonly overridden: number;
}

/** The E: and W: lines of lintian's output. */
function errorAndWarningLines(output: string): string[] {
  return output.split('\n').filter((line) => /^[EW]: /.test(line));
}

/**
 * lintian as bookworm's 2.116 runs it, failing on errors and warnings; then again showing the overridden tags
 * with the comments of their overrides (with --show-overrides, --fail-on counts overridden tags too).
 */
export async function lintian(deb: string, home: string): Promise<LintianReport> {
  const env = hermeticEnv({ HOME: home });
  const result = await runProcess(['lintian', '--fail-on', 'error,warning', deb], { env });
  const shown = await runProcess(['lintian', '--fail-on', 'none', '--show-overrides', deb], { env });
  assertSucceeded(shown, `lintian --show-overrides ${deb}`);
  const lines = shown.stdout.split('\n');
  return {
    result,
    errorsAndWarnings: errorAndWarningLines(result.stdout),
    overridesWithoutReason: lines.filter(
      (line, at) => line.startsWith('O: ') && !(lines[at - 1] ?? '').startsWith('N: '),
    ),
    overridden: lines.filter((line) => line.startsWith('O: ')).length,
  };
}

/**
 * Every RECORD under `venv` checked against the files (PEP 376, the wheel spec): each listed file exists, and
 * each hash and size matches. Returns the problems found and how many hashed entries were checked.
 */
export function recordProblems(venv: string): { problems: string[]; checked: number } {
  const problems: string[] = [];
  let checked = 0;
  const lib = join(venv, 'lib');
  const sites = readdirSync(lib).map((name) => join(lib, name, 'site-packages'));
  for (const site of sites.filter((dir) => existsSync(dir))) {
    for (const distInfo of readdirSync(site).filter((name) => name.endsWith('.dist-info'))) {
      const record = join(site, distInfo, 'RECORD');
      if (!existsSync(record)) continue;
      for (const line of readFileSync(record, 'utf8').split('\n').filter(Boolean)) {
        // The test's fixtures have no commas or quotes in file names, so a plain split reads the CSV.
        const [path = '', hash = '', size = ''] = line.replace(/\r$/, '').split(',');
        const file = resolve(site, path);
        // Entries without a hash may name byte code that does not exist (yet): virtualenv lists the .pyc
        // files and __pycache__ directories pip would write, for pip uninstall to remove.
        if (hash === '') {
          if (!existsSync(file) && !/\.pyc$|__pycache__$/.test(path)) {
            problems.push(`${distInfo}/RECORD lists ${path}, which is not there`);
          }
          continue;
        }
        if (!existsSync(file)) {
          problems.push(`${distInfo}/RECORD lists ${path}, which is not there`);
          continue;
        }
        checked++;
        const bytes = readFileSync(file);
        const actual = 'sha256=' + createHash('sha256').update(bytes).digest('base64url');
        if (actual !== hash || String(bytes.length) !== size) {
          problems.push(`${distInfo}/RECORD: ${path} is ${actual},${bytes.length}, recorded ${hash},${size}`);
        }
      }
    }
  }
  return { problems, checked };
}

/**
 * One plain `lintian <deb>` (the exit code is not judged: it fails on errors): its E: and W: lines, and how
 * long it took, in seconds. For measuring; lintian() above is for asserting.
 */
export async function timedLintian(
  deb: string,
  home: string,
): Promise<{ errorsAndWarnings: string[]; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await runProcess(['lintian', deb], { env: hermeticEnv({ HOME: home }) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  assert.ok(result.signal === null && result.status !== null, `lintian failed: ${describeResult(result)}`);
  return { errorsAndWarnings: errorAndWarningLines(result.stdout), seconds };
}

// As in harness.ts: dpkg exits 2 with one of these while another process (a parallel test run) holds its lock.
const DPKG_LOCKED =
  /frontend lock|status database.*locked|locked by another process|unable to (acquire|lock)/i;

/**
 * `dpkg -i` of a package that is installed already (an upgrade to the same version). harness.ts's installDeb
 * is for first installations: it notes every directory of the .deb that exists before, to put it back after
 * purge, which would bring back the whole venv tree here.
 */
export async function reinstallDeb(deb: string): Promise<void> {
  const deadline = Date.now() + 5 * 60 * 1000;
  for (;;) {
    const result = await runAsRoot(['dpkg', '-i', deb]);
    if (result.status === 0) return;
    if (!DPKG_LOCKED.test(result.stderr) || Date.now() > deadline) {
      assertSucceeded(result, `dpkg -i ${deb} (again)`);
    }
    await sleep(2000);
  }
}

/** Runs a program as root, in a clean environment, from /. */
export function runAsRoot(argv: readonly string[], env: Env = {}): Promise<ProcessResult> {
  return runProcess(argv, { env: hermeticEnv({ HOME: homedir(), ...env }), cwd: '/' });
}

/** Runs a program as the unprivileged user nobody, who cannot write into the venv. */
export function runAsNobody(argv: readonly string[], env: Env = {}): Promise<ProcessResult> {
  return runProcess(['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', ...argv], {
    env: hermeticEnv({ HOME: '/nonexistent', ...env }),
    cwd: '/',
  });
}

/** Path, size and modification time of everything under `dir`: what running a program may have changed. */
export function snapshot(dir: string): string[] {
  return entries(dir).map((path) => {
    const stat = lstatSync(path);
    return `${relative(dir, path)} ${stat.size} ${stat.mtimeMs}`;
  });
}

/**
 * What `python -v` (PYTHONVERBOSE=1) says about the modules under `venv`: those whose code came from a .pyc,
 * and those compiled from source (no valid .pyc), with any attempt to write the .pyc.
 */
export function byteCodeUse(
  verboseStderr: string,
  venv: string,
): { fromCache: string[]; compiled: string[] } {
  const lines = verboseStderr.split('\n').filter((line) => line.includes(venv));
  return {
    fromCache: lines
      .map((line) => /^# code object from '(.+\.pyc)'$/.exec(line)?.[1])
      .filter((path): path is string => path !== undefined),
    compiled: lines.filter((line) => /^# code object from [^']|^# (created|could not create) /.test(line)),
  };
}
