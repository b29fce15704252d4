/**
 * Measures issue #5 ("clean output") for upstream dh-virtualenv 1.2.2 (Debian's package, unpacked privately)
 * and for this checkout, on the same source: test/fixtures/clean-hello, a setup.py project with two small
 * requirements, switched to debhelper compat 11 for both (upstream stops at dh_auto_configure from compat 12).
 * Not part of `npm test`. For each tool it builds the source twice:
 *
 *   A  in a deep directory with odd characters (+ , @ = ~), umask 0002, TZ=UTC, LC_ALL=C.UTF-8
 *   B  in a short plain directory, two seconds later, umask 0077, TZ=Pacific/Kiritimati, LC_ALL=C
 *
 * and prints: how many files of package A name the build directory (its path, a marker directory name that
 * catches percent-encoded spellings, or the debian/<pkg> staging tree); how many files differ between
 * packages A and B (diff -r of the unpacked trees, control files included) and whether the .debs are
 * identical; lintian's E: and W: counts for package A, and how long lintian took.
 *
 * Needs root (apt-get download), Debian's archive for dh-virtualenv 1.2.2 and lintian; no PyPI: the two
 * requirements come from the tests' local package index (test/e2e/package-index.ts), with Debian's
 * python-wheels.
 *
 *     npm run bench:clean-output
 *     DHVT_E2E_KEEP=1 npm run bench:clean-output    # keep the work directories (builds, logs, unpacked trees)
 */
import { lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  buildAt,
  buildPathLeaks,
  entries,
  LEAK_MARKER,
  sha256,
  timedLintian,
  type BuildPlace,
  type PlacedBuild,
} from '../test/e2e/clean-output-steps';
import { extractDeb, hostEnv, keepTemporaryFiles, startSuite, type Suite } from '../test/e2e/harness';
import { describeResult, runProcess, sleep, type Env } from '../test/e2e/processes';
import { fetchUpstream } from '../test/e2e/upstream-dh-virtualenv';

const FIXTURE = 'clean-hello';
const PKG = 'dhvt-clean-hello';
const TOOLS = ['upstream', 'ours'] as const;
type Tool = (typeof TOOLS)[number];

/** Build A: deep, odd characters, the marker; each tool gets its own top directory. */
function oddPlace(tool: Tool): BuildPlace {
  return {
    dirs: [
      `${tool}-a`,
      'first+build,dir@host=x~y',
      LEAK_MARKER,
      'level-three_with-a-rather-long-name',
      'src',
    ],
    umask: '0002',
    tz: 'UTC',
    locale: 'C.UTF-8',
  };
}

/**
 * Build B: everything else differs, and the path is short: the venv's bin/python during the build stays well
 * under the 127 bytes of a "#!" line, so pip writes plain "#!" lines there and /bin/sh wrappers only in A.
 */
function plainPlace(tool: Tool): BuildPlace {
  const shortName: Record<Tool, string> = { upstream: 'up', ours: 'ours' };
  return { dirs: [`${shortName[tool]}-b`], umask: '0077', tz: 'Pacific/Kiritimati', locale: 'C' };
}

/** Upstream 1.2.2 only runs the whole sequence up to compat 11; both tools build the same source. */
function compat11(sourceDir: string): void {
  const control = join(sourceDir, 'debian', 'control');
  writeFileSync(
    control,
    readFileSync(control, 'utf8').replace('debhelper-compat (= 13)', 'debhelper-compat (= 11)'),
  );
}

async function build(suite: Suite, place: BuildPlace, env: Env): Promise<PlacedBuild> {
  const placed = await buildAt(suite, FIXTURE, place, { env, edit: compat11 });
  // Kept next to the .deb, for DHVT_E2E_KEEP=1.
  writeFileSync(join(dirname(placed.sourceDir), 'build.log'), placed.log);
  return placed;
}

/** `diff -r -q --no-dereference`: one line per file that differs or is only in one tree. */
async function differingFiles(treeA: string, treeB: string): Promise<number> {
  const diff = await runProcess(['diff', '-r', '-q', '--no-dereference', treeA, treeB], { env: hostEnv() });
  if (diff.status !== 0 && diff.status !== 1) throw new Error(`diff failed: ${describeResult(diff)}`);
  return diff.stdout.split('\n').filter(Boolean).length;
}

/** `sort | uniq -c | sort -rn | head -15` of the tags, their context ("[path]") cut off. */
function tagCounts(lines: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const tag = line.replace(/ \[.*/, '');
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return [...counts]
    .sort(([tagA, a], [tagB, b]) => b - a || (tagA < tagB ? 1 : tagA > tagB ? -1 : 0))
    .slice(0, 15)
    .map(([tag, count]) => `${String(count).padStart(7)} ${tag}`);
}

async function measure(suite: Suite, tool: Tool, env: Env): Promise<void> {
  const started = process.hrtime.bigint();
  const a = await build(suite, oddPlace(tool), env);
  const secondsA = Number(process.hrtime.bigint() - started) / 1e9;
  await sleep(2000);
  const b = await build(suite, plainPlace(tool), env);
  const [treeA, treeB] = [await extractDeb(a.deb), await extractDeb(b.deb)];

  // The directory the fixture was copied into (it also holds the .deb and build.log), as the build sees it.
  const placeDir = dirname(a.sourceDir);
  const leaks = await buildPathLeaks(treeA, [placeDir, LEAK_MARKER, `debian/${PKG}/opt/venvs/${PKG}`]);
  // "contents: <path>", "name: <path>", "link: <path> -> <target>": a file may be named more than once.
  const leakingFiles = new Set(leaks.map((leak) => leak.replace(/^\w+: /, '').replace(/ -> .*$/, ''))).size;
  const paths = entries(treeA);
  const files = paths.filter((path) => lstatSync(path).isFile()).length;
  const pyc = paths.filter((path) => path.endsWith('.pyc')).length;
  const differing = await differingFiles(treeA, treeB);
  const identical = sha256(a.deb) === sha256(b.deb) ? 'yes' : 'no';
  // The builds' HOME, as in clean-output.test.ts.
  const lintian = await timedLintian(a.deb, join(a.workDir, 'home'));
  const errors = lintian.errorsAndWarnings.filter((line) => line.startsWith('E:')).length;
  const warnings = lintian.errorsAndWarnings.length - errors;

  console.log(
    `${tool}: ${files} files (${pyc} .pyc); build path in ${leakingFiles} files; ` +
      `A and B differ in ${differing} files, identical .deb: ${identical};`,
  );
  console.log(
    `${tool}: lintian ${errors} errors, ${warnings} warnings (${lintian.seconds.toFixed(1)} s); ` +
      `build A took ${secondsA.toFixed(1)} s`,
  );
  for (const line of tagCounts(lintian.errorsAndWarnings)) console.log(`  ${tool}: ${line}`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dhvt-clean-output-'));
  const suite = await startSuite({ projects: ['dhvt-greet', 'dhvt-color'] });
  try {
    const upstream = await fetchUpstream(work);
    if ('skip' in upstream) throw new Error(upstream.skip);
    const envs: Record<Tool, Env> = { upstream: upstream.env, ours: {} };
    for (const tool of TOOLS) await measure(suite, tool, envs[tool]);
  } finally {
    await suite.close();
    if (keepTemporaryFiles()) process.stderr.write(`DHVT_E2E_KEEP=1: kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
