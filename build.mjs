// Bundles the command into one file (the .deb ships no node_modules) and each test file into build/test/,
// so the maintainer-script templates are loaded the same way (as text) in both. Also writes the manual pages
// dist/<command>.1 from the option tables that feed --help.
//
// esbuild is run as a program, through its command line, so that the package build can use Debian's esbuild
// (Build-Depends: esbuild, 0.17 on Debian 12, which has no Node module) and developers the one npm pins
// (node_modules/.bin/esbuild); every flag used here means the same in both. $ESBUILD names another one.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

function findEsbuild() {
  if (process.env.ESBUILD) return process.env.ESBUILD;
  const candidates = ['node_modules/.bin/esbuild', '/usr/bin/esbuild'];
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    console.error(
      'build.mjs: no esbuild: run "npm ci", or "apt-get install esbuild" (see debian/README.source)',
    );
    process.exit(1);
  }
  return found;
}
const esbuild = findEsbuild();
// Said in every build log: bundles made by different esbuild versions differ a little.
const esbuildVersion = spawnSync(esbuild, ['--version'], { encoding: 'utf8' }).stdout?.trim();
console.log(`build.mjs: bundling with ${esbuild} ${esbuildVersion ?? '(version unknown)'}`);

const common = [
  '--bundle',
  '--platform=node',
  '--target=node18',
  '--format=cjs',
  // Maintainer-script templates and the Python scripts init runs are bundled as text.
  '--loader:.sh=text',
  '--loader:.py=text',
  `--define:__DH_VIRTUALENV_VERSION__=${JSON.stringify(version)}`,
  '--log-level=warning',
  '--legal-comments=none',
];

/** Runs esbuild on `entryPoints` with the common flags and `flags`; stops the build if it fails. */
function bundle(entryPoints, flags) {
  const argv = [...common, ...flags, ...entryPoints];
  const result = spawnSync(esbuild, argv, { stdio: 'inherit' });
  if (result.status !== 0) {
    const why =
      result.error?.message ??
      (result.signal === null ? `exit code ${result.status}` : `signal ${result.signal}`);
    console.error(`build.mjs: ${esbuild} failed (${why})`);
    process.exit(1);
  }
}

// One bundle per command in bin/.
const COMMANDS = ['dh_virtualenv', 'dh_virtualenv_shlibdeps', 'dh-virtualenv'];
for (const command of COMMANDS) {
  bundle([`bin/${command}.ts`], [`--outfile=dist/${command}`, '--banner:js=#!/usr/bin/node']);
  chmodSync(`dist/${command}`, 0o755);
}

// The page's date is the newest debian/changelog entry's (what dpkg-buildpackage exports as SOURCE_DATE_EPOCH),
// so the page, like the package, is the same whenever it is built.
function manpageDate() {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  const trailer = /^ -- .*<.*> {2}(.+)$/m.exec(readFileSync('debian/changelog', 'utf8'));
  if (trailer === null) throw new Error('debian/changelog: no trailer line with a date');
  return new Date(trailer[1]);
}

bundle(['src/build/manpage.ts'], ['--outfile=build/manpage.js']);
const { manpage, shlibdepsManpage } = createRequire(import.meta.url)(resolve('build/manpage.js'));
const pageInfo = { version, date: manpageDate().toISOString().slice(0, 10) };
writeFileSync('dist/dh_virtualenv.1', manpage(pageInfo));
writeFileSync('dist/dh_virtualenv_shlibdeps.1', shlibdepsManpage(pageInfo));
bundle(['src/subcommand-manpage.ts'], ['--outfile=build/subcommand-manpage.js']);
const { dhVirtualenvManpage } = createRequire(import.meta.url)(resolve('build/subcommand-manpage.js'));
writeFileSync('dist/dh-virtualenv.1', dhVirtualenvManpage(pageInfo));

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// Emptied first: the bundle of a test that was moved or removed would otherwise still run.
rmSync('build/test', { recursive: true, force: true });
bundle(testFiles('test'), [
  '--outdir=build/test',
  '--outbase=test',
  '--external:node:test',
  '--sourcemap=inline',
]);

// Benchmarks (bench/*.ts): `npm run bench`, `bench:clean-output` and `bench:native`; never run by the tests.
bundle(
  readdirSync('bench')
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join('bench', name)),
  ['--outdir=build/bench', '--sourcemap=inline'],
);
