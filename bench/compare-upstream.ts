/**
 * Speed and size against upstream: builds the same source package (test/fixtures/diff-hello, compat 11, so
 * upstream can build it) alternately with Debian's dh-virtualenv 1.2.2 and with ours, against the same local
 * package index, and prints medians and ratios (ours / upstream). Nothing is installed.
 *
 *     npm run bench                 # 3 rounds
 *     npm run bench -- --rounds 5
 *
 * Needs Debian's archive for `apt-get download dh-virtualenv` (see test/e2e/upstream-dh-virtualenv.ts).
 */
import { statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debField, debPaths, startSuite, type Build, type Suite } from '../test/e2e/harness';
import { fetchUpstream } from '../test/e2e/upstream-dh-virtualenv';

const FIXTURE = 'diff-hello';
const PKG = 'dhvt-diff-hello';

interface Sample {
  readonly seconds: number;
  readonly debBytes: number;
  readonly installedKiB: number;
  readonly files: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function measure(suite: Suite, env: Record<string, string>): Promise<Sample> {
  const started = process.hrtime.bigint();
  const build: Build = await suite.buildPackage(FIXTURE, { env });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const deb = build.deb(PKG);
  return {
    seconds,
    debBytes: statSync(deb).size,
    installedKiB: Number(await debField(deb, 'Installed-Size')),
    files: (await debPaths(deb)).length,
  };
}

function rounds(argv: readonly string[]): number {
  const at = argv.indexOf('--rounds');
  const value = at === -1 ? 3 : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error('--rounds needs a whole number of at least 1');
  return value;
}

async function main(): Promise<void> {
  const count = rounds(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'dhvt-bench-'));
  const suite = await startSuite({ projects: ['dhvt-greet'] });
  try {
    const upstream = await fetchUpstream(work);
    if ('skip' in upstream) throw new Error(upstream.skip);
    const samples: Record<'upstream' | 'ours', Sample[]> = { upstream: [], ours: [] };
    for (let round = 1; round <= count; round++) {
      // Alternate, so machine load drifts affect both sides alike.
      samples.upstream.push(await measure(suite, upstream.env));
      samples.ours.push(await measure(suite, {}));
      process.stderr.write(`round ${round}/${count} done\n`);
    }
    const rows: [string, (sample: Sample) => number, string][] = [
      ['dpkg-buildpackage wall time', (s) => s.seconds, 's'],
      ['.deb size', (s) => s.debBytes / 1024, 'KiB'],
      ['Installed-Size', (s) => s.installedKiB, 'KiB'],
      ['files in the package', (s) => s.files, ''],
    ];
    console.log(
      `fixture ${FIXTURE}, ${count} round(s), medians; upstream = Debian's ${upstream.debianVersion}`,
    );
    console.log('| measure | upstream | ours | ours / upstream |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, pick, unit] of rows) {
      const up = median(samples.upstream.map(pick));
      const ours = median(samples.ours.map(pick));
      console.log(
        `| ${name} | ${up.toFixed(1)} ${unit} | ${ours.toFixed(1)} ${unit} | ${(ours / up).toFixed(2)} |`,
      );
    }
  } finally {
    await suite.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
