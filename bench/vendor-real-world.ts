/**
 * Real-world check of `dh-virtualenv vendor` (issue #13), not part of `npm test`: for each chosen row of
 * bench/real-world/projects.ts it writes the shell source package, vendors its requirements from PyPI into
 * debian/wheelhouse, vendors again (which must change nothing), builds with no network at all (`unshare -n`)
 * and HOME=/nonexistent from the wheelhouse alone, installs the package, runs the row's smoke call and purges
 * it. Ends with a Markdown table: files vendored (installed / only to build), their size, the seconds of
 * each step.
 *
 * Needs root (apt-get for the -dev packages, dpkg -i) and PyPI.
 *
 *     npm run bench:vendor                  # the rows web, data and psycopg2 (an sdist)
 *     npm run bench:vendor -- orjson uWSGI  # other rows of bench/real-world/projects.ts
 *     npm run bench:vendor -- --uv web      # with --installer uv: uv itself comes from the wheelhouse
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  aptInstall,
  hostEnv,
  installDeb,
  keepTemporaryFiles,
  missingPackages,
  purge,
  startSuite,
  type Suite,
} from '../test/e2e/harness';
import { runProcess, tail } from '../test/e2e/processes';
import { ROWS, type Row } from './real-world/projects';
import { writeShellSource } from './real-world/source-package';

const DEFAULT_ROWS = ['web', 'data', 'psycopg2'];
const BASE_PACKAGES = ['python3-dev', 'python3-venv', 'python3-virtualenv', 'debhelper', 'dpkg-dev'];

interface Outcome {
  readonly row: Row;
  install: number;
  build: number;
  megabytes: number;
  vendorSeconds: number;
  rerunSeconds: number;
  rerunUnchanged: boolean;
  buildSeconds: number;
  smoke: 'ok' | 'FAILED' | 'not run';
  failure?: string;
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}

function lockCounts(lock: string): { install: number; build: number } {
  return {
    install: (lock.match(/^use = "install"$/gm) ?? []).length,
    build: (lock.match(/^use = "build"$/gm) ?? []).length,
  };
}

function wheelhouseMegabytes(dir: string): number {
  const bytes = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  return Math.round(bytes / 1e5) / 10;
}

async function checkRow(suite: Suite, work: string, row: Row, uv: boolean): Promise<Outcome> {
  const outcome: Outcome = {
    row,
    install: 0,
    build: 0,
    megabytes: 0,
    vendorSeconds: 0,
    rerunSeconds: 0,
    rerunUnchanged: false,
    buildSeconds: 0,
    smoke: 'not run',
  };
  const pkg = `dhvt-vendor-rw-${row.name.toLowerCase()}`;
  const source = join(work, row.name, 'src');
  writeShellSource(source, {
    pkg,
    requirements: row.requirements,
    buildDepends: ['python3-venv', ...row.buildDepends],
    compat: 13,
    description: row.project,
    by: 'bench/vendor-real-world.ts',
  });
  // The build host of the offline build has no uv: the one vendored with the files is used.
  if (uv) writeFileSync(join(source, 'debian', `${pkg}.dh-virtualenv`), '--installer uv\n');
  const fail = (what: string, output: string): Outcome => {
    outcome.failure = `${what}: ${tail(output, 3).trim().split('\n').join(' / ')}`;
    console.error(`FAILED: ${row.name}: ${what}\n${tail(output, 30)}`);
    return outcome;
  };
  // PyPI, as a maintainer's machine sees it: no index variable, a HOME of its own.
  const vendor = (): ReturnType<typeof runProcess> =>
    runProcess(['dh-virtualenv', 'vendor'], { cwd: source, env: suite.env() });

  console.log(`== ${row.name}: vendoring ${row.requirements.join(' ')}`);
  let started = Date.now();
  const first = await vendor();
  outcome.vendorSeconds = seconds(started);
  if (first.status !== 0) return fail('vendor', first.output);
  const lockPath = join(source, 'debian', 'wheelhouse', 'lock.toml');
  const lock = readFileSync(lockPath, 'utf8');
  Object.assign(outcome, lockCounts(lock));
  outcome.megabytes = wheelhouseMegabytes(dirname(lockPath));

  started = Date.now();
  const second = await vendor();
  outcome.rerunSeconds = seconds(started);
  if (second.status !== 0) return fail('vendor again', second.output);
  outcome.rerunUnchanged = readFileSync(lockPath, 'utf8') === lock && /unchanged/.test(second.output);

  console.log(`== ${row.name}: building ${pkg} with unshare -n, HOME=/nonexistent`);
  started = Date.now();
  const build = await runProcess(['unshare', '-n', 'dpkg-buildpackage', '-us', '-uc', '-b'], {
    cwd: source,
    env: suite.env({ HOME: '/nonexistent' }),
  });
  outcome.buildSeconds = seconds(started);
  if (build.status !== 0) return fail('offline build', build.output);
  const deb = readdirSync(dirname(source)).find(
    (name) => name.startsWith(`${pkg}_`) && name.endsWith('.deb'),
  );
  if (deb === undefined) return fail('offline build', 'no .deb');

  const venv = `/opt/venvs/${pkg}`;
  await purge(pkg).catch(() => undefined);
  try {
    await installDeb(join(dirname(source), deb));
    const home = join(work, row.name, 'home');
    mkdirSync(home, { recursive: true });
    const smoke = await runProcess([join(venv, 'bin', row.smoke.program), ...row.smoke.args], {
      env: hostEnv({ HOME: home }),
      cwd: '/',
    });
    outcome.smoke = smoke.status === 0 ? 'ok' : 'FAILED';
    if (smoke.status !== 0) return fail('smoke', smoke.output);
    console.log(`   smoke: ${smoke.output.trim().split('\n').join(' / ')}`);
  } finally {
    await purge(pkg);
    if (existsSync(venv)) outcome.failure ??= `purge: ${venv} is still there`;
  }
  return outcome;
}

function table(outcomes: readonly Outcome[]): string {
  const lines = [
    '| Row | Files installed / to build | MB | vendor s | again s (unchanged) | offline build s | Smoke |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const o of outcomes) {
    lines.push(
      `| ${o.row.name} | ${o.install} / ${o.build} | ${o.megabytes} | ${o.vendorSeconds} | ` +
        `${o.rerunSeconds} (${o.rerunUnchanged ? 'yes' : 'NO'}) | ${o.buildSeconds} | ${o.smoke} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const uv = args.includes('--uv');
  const names = args.filter((arg) => arg !== '--uv');
  const wanted = names.length > 0 ? names : DEFAULT_ROWS;
  const rows = wanted.map((name) => {
    const row = ROWS.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (row === undefined) throw new Error(`unknown row ${name}; see bench/real-world/projects.ts`);
    return row;
  });
  const missing = await missingPackages([
    ...new Set([...rows.flatMap((row) => row.buildDepends), ...BASE_PACKAGES]),
  ]);
  if (missing.length > 0) await aptInstall(missing);

  const work = mkdtempSync(join(tmpdir(), 'dhvt-vendor-real-world-'));
  const suite = await startSuite({ projects: [] });
  const outcomes: Outcome[] = [];
  try {
    for (const row of rows) outcomes.push(await checkRow(suite, work, row, uv));
  } finally {
    await suite.close();
  }
  console.log(`\n${table(outcomes)}\n`);
  const failures = outcomes.filter((outcome) => outcome.failure !== undefined || !outcome.rerunUnchanged);
  for (const { row, failure } of failures)
    console.log(`- ${row.name}: ${failure ?? 'the second vendor run changed the lock'}`);
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
    process.exitCode = 1;
  },
);
