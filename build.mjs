// Bundles the command into one file (the .deb ships no node_modules) and each test file into build/test/,
// so the maintainer-script templates are loaded the same way (as text) in both.
import { build } from 'esbuild';
import { readdirSync, statSync, chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  loader: { '.sh': 'text' },
  define: { __DH_VIRTUALENV_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  legalComments: 'none',
};

await build({
  ...common,
  entryPoints: ['bin/dh_virtualenv.ts'],
  outfile: 'dist/dh_virtualenv',
  banner: { js: '#!/usr/bin/node' },
});
chmodSync('dist/dh_virtualenv', 0o755);

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
