// Bundles the command into one file (the .deb ships no node_modules) and each test file into build/test/,
// so the maintainer-script templates are loaded the same way (as text) in both. Also writes the manual pages
// dist/<command>.1 from the option tables that feed --help.
import { build } from 'esbuild';
import { readdirSync, statSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  // Maintainer-script templates and the Python scripts init runs are bundled as text.
  loader: { '.sh': 'text', '.py': 'text' },
  define: { __DH_VIRTUALENV_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  legalComments: 'none',
};

// One bundle per command in bin/.
const COMMANDS = ['dh_virtualenv', 'dh_virtualenv_shlibdeps', 'dh-virtualenv'];
for (const command of COMMANDS) {
  await build({
    ...common,
    entryPoints: [`bin/${command}.ts`],
    outfile: `dist/${command}`,
    banner: { js: '#!/usr/bin/node' },
  });
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

await build({ ...common, entryPoints: ['src/manpage.ts'], outfile: 'build/manpage.js' });
const { manpage, shlibdepsManpage } = createRequire(import.meta.url)(resolve('build/manpage.js'));
const pageInfo = { version, date: manpageDate().toISOString().slice(0, 10) };
writeFileSync('dist/dh_virtualenv.1', manpage(pageInfo));
writeFileSync('dist/dh_virtualenv_shlibdeps.1', shlibdepsManpage(pageInfo));
await build({
  ...common,
  entryPoints: ['src/subcommand-manpage.ts'],
  outfile: 'build/subcommand-manpage.js',
});
const { dhVirtualenvManpage } = createRequire(import.meta.url)(resolve('build/subcommand-manpage.js'));
writeFileSync('dist/dh-virtualenv.1', dhVirtualenvManpage(pageInfo));

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

await build({
  ...common,
  entryPoints: testFiles('test'),
  outdir: 'build/test',
  outbase: 'test',
  external: ['node:test'],
  sourcemap: 'inline',
});

// Benchmarks (bench/*.ts): `npm run bench`, `bench:clean-output` and `bench:native`; never run by the tests.
await build({
  ...common,
  entryPoints: readdirSync('bench')
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join('bench', name)),
  outdir: 'build/bench',
  sourcemap: 'inline',
});
