/**
 * The files init writes, compared whole with golden copies (test/unit/golden/init/<fixture>/), and the rules
 * of writing: debian/ only, never over an existing one without --force. DHVT_UPDATE_GOLDEN=1 rewrites the
 * golden copies from what init writes now; review the diff before committing it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import { runInit } from '../../../src/init/init';
import { repoRoot } from '../../e2e/processes';
import { initContext, projectCopy } from './helpers';

/** The golden copy of debian/.gitignore is kept under another name: git would read it as its own. */
const GOLDEN_NAME: Readonly<Record<string, string>> = { '.gitignore': 'gitignore.golden' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** Every file of a tree, relative path → content and mode. */
function snapshot(dir: string, names: Readonly<Record<string, string>> = {}): Map<string, string> {
  return new Map(
    filesUnder(dir).map((path) => [
      names[relative(dir, path)] ?? relative(dir, path),
      `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, 'utf8')}`,
    ]),
  );
}

// [fixture, init's arguments]
const GOLDEN: readonly [string, readonly string[]][] = [
  ['init-service', ['--service', 'dhvt-web']],
  ['init-psycopg2', []],
  ['init-two-scripts', ['--install-root', '/opt/dhvt-venvs']],
];

describe('the generated debian/', () => {
  for (const [fixture, args] of GOLDEN) {
    test(`${fixture}, init ${args.join(' ')}: every file as the golden copy`, () => {
      const dir = projectCopy(fixture);
      runInit(initContext(dir, args).context);
      const golden = join(repoRoot(), 'test', 'unit', 'golden', 'init', fixture);
      if (process.env.DHVT_UPDATE_GOLDEN === '1') {
        rmSync(golden, { recursive: true, force: true });
        for (const path of filesUnder(join(dir, 'debian'))) {
          const name = relative(join(dir, 'debian'), path);
          const target = join(golden, GOLDEN_NAME[name] ?? name);
          mkdirSync(join(target, '..'), { recursive: true });
          writeFileSync(target, readFileSync(path));
        }
      }
      const written = snapshot(join(dir, 'debian'), GOLDEN_NAME);
      const expected = snapshot(golden);
      assert.deepEqual(
        [...written.keys()].sort(),
        [...expected.keys()].sort(),
        'the files written differ from the golden ones',
      );
      for (const [path, content] of written) {
        // Git keeps only the executable bit: compare contents, and the modes init sets against 644/755.
        assert.equal(content.slice(4), expected.get(path)?.slice(4), path);
        assert.equal(content.slice(0, 3), /^(rules|.*\.(postinst|postrm))$/.test(path) ? '755' : '644', path);
      }
    });
  }

  test('the maintainer scripts are valid POSIX shell (sh -n, shellcheck -s sh) with one #DEBHELPER#', (t) => {
    const dir = projectCopy('init-service');
    runInit(initContext(dir, ['--service', 'dhvt-web']).context);
    const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
    for (const script of ['dhvt-web.postinst', 'dhvt-web.postrm']) {
      const path = join(dir, 'debian', script);
      assert.equal(readFileSync(path, 'utf8').split('#DEBHELPER#').length, 2, `${script}: #DEBHELPER# once`);
      assert.equal(spawnSync('sh', ['-n', path]).status, 0, `sh -n ${script}`);
      if (!hasShellcheck) {
        t.diagnostic('shellcheck is not installed');
        continue;
      }
      const result = spawnSync('shellcheck', ['-s', 'sh', path], { encoding: 'utf8' });
      assert.equal(result.status, 0, `shellcheck ${script}:\n${result.stdout}`);
    }
  });

  test('debian/control parses as dpkg reads it (dpkg-source comments and all)', () => {
    const dir = projectCopy('init-psycopg2');
    runInit(initContext(dir).context);
    const result = spawnSync('dpkg-checkbuilddeps', ['-d', 'debhelper-compat (= 13)', '-c', ''], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.ok(!/error: .*control/.test(result.stderr), result.stderr);
    const parsed = spawnSync('dpkg-parsechangelog', ['-S', 'Version'], { cwd: dir, encoding: 'utf8' });
    assert.equal(parsed.stdout.trim(), '0.9', parsed.stderr);
  });
});

describe('writing: debian/ only, an existing one only with --force', () => {
  test('an existing debian/ stops init before it reads anything', () => {
    const dir = projectCopy('init-two-scripts');
    mkdirSync(join(dir, 'debian'));
    writeFileSync(join(dir, 'debian', 'control'), 'mine\n');
    const { context, runner } = initContext(dir);
    assert.throws(
      () => runInit(context),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        /debian exists already and init does not change it: move it away, or pass --force/.test(
          error.message,
        ),
    );
    assert.equal(readFileSync(join(dir, 'debian', 'control'), 'utf8'), 'mine\n');
    assert.deepEqual(runner.calls, []);
  });

  test('--force replaces what init writes and keeps, naming them, the files it does not write', () => {
    const dir = projectCopy('init-two-scripts');
    mkdirSync(join(dir, 'debian', 'patches'), { recursive: true });
    writeFileSync(join(dir, 'debian', 'control'), 'mine\n');
    writeFileSync(join(dir, 'debian', 'patches', 'series'), 'fix.patch\n');
    const { context, logger } = initContext(dir, ['--force']);
    runInit(context);
    assert.match(readFileSync(join(dir, 'debian', 'control'), 'utf8'), /^Source: dhvt-two$/m);
    assert.equal(readFileSync(join(dir, 'debian', 'patches', 'series'), 'utf8'), 'fix.patch\n');
    assert.ok(
      logger.entries.some(
        (entry) => entry.kind === 'warning' && entry.message.includes('debian/patches/series'),
      ),
    );
  });

  test('a debian that is a file is never replaced, even with --force', () => {
    const dir = projectCopy('init-two-scripts');
    writeFileSync(join(dir, 'debian'), 'a file\n');
    assert.throws(
      () => runInit(initContext(dir, ['--force']).context),
      /debian is there and is not a directory/,
    );
  });

  test('nothing outside debian/ changes', () => {
    const dir = projectCopy('init-hatchling');
    const before = snapshot(dir);
    runInit(initContext(dir).context);
    const after = snapshot(dir);
    for (const path of [...after.keys()].filter((key) => !key.startsWith('debian/'))) {
      assert.equal(after.get(path), before.get(path), path);
    }
    assert.deepEqual(
      [...after.keys()].filter((key) => !key.startsWith('debian/')),
      [...before.keys()],
    );
    assert.ok(existsSync(join(dir, 'debian', 'control')));
  });
});
