import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import {
  distributionOf,
  LOCK_FILE,
  parseLock,
  renderLock,
  sha256Of,
  readLock,
  verifyWheelhouse,
  WHEELHOUSE_DIR,
  wheelhouseUv,
  withWheelhouse,
  type WheelhouseLock,
} from '../../../src/build/wheelhouse';
import { processRunner } from '../../../src/core/runner';
import { recordingLogger, tempDir, writeFile } from '../helpers';

test('distributionOf reads name and version from wheel and sdist file names', () => {
  // [file, expected]
  const cases: [string, { name: string; version: string } | undefined][] = [
    ['six-1.17.0-py2.py3-none-any.whl', { name: 'six', version: '1.17.0' }],
    ['Django-4.2.1-py3-none-any.whl', { name: 'django', version: '4.2.1' }],
    [
      'psycopg2_binary-2.9.9-1-cp311-cp311-manylinux_2_17_x86_64.whl',
      { name: 'psycopg2-binary', version: '2.9.9' },
    ],
    ['zope.interface-6.0.tar.gz', { name: 'zope-interface', version: '6.0' }],
    ['python-dateutil-2.8.2.tar.gz', { name: 'python-dateutil', version: '2.8.2' }],
    ['pkg-1.0.zip', { name: 'pkg', version: '1.0' }],
    ['notawheel.whl', undefined],
    ['README.txt', undefined],
    ['-1.0.tar.gz', undefined],
  ];
  for (const [file, expected] of cases) assert.deepEqual(distributionOf(file), expected, file);
});

const LOCK: WheelhouseLock = {
  python: '3.11',
  platform: 'linux-x86_64',
  files: [
    {
      name: 'six',
      version: '1.17.0',
      file: 'six-1.17.0-py2.py3-none-any.whl',
      sha256: 'a'.repeat(64),
      use: 'install',
    },
    {
      name: 'attrs',
      version: '23.1.0',
      file: 'attrs-23.1.0-py3-none-any.whl',
      sha256: 'b'.repeat(64),
      use: 'install',
    },
    {
      name: 'setuptools',
      version: '69.0',
      file: 'setuptools-69.0-py3-none-any.whl',
      sha256: 'c'.repeat(64),
      use: 'build',
    },
  ],
};

test('renderLock writes the files sorted, and parseLock reads back the same lock', () => {
  const text = renderLock(LOCK);
  assert.equal(renderLock({ ...LOCK, files: [...LOCK.files].reverse() }), text, 'order of input matters');
  const names = [...text.matchAll(/^name = "(.*)"$/gm)].map((match) => match[1]);
  assert.deepEqual(names, ['attrs', 'setuptools', 'six']);
  const parsed = parseLock(text, LOCK_FILE);
  assert.deepEqual(
    { ...parsed, files: [...parsed.files].sort((a, b) => a.name.localeCompare(b.name)) },
    { ...LOCK, files: [...LOCK.files].sort((a, b) => a.name.localeCompare(b.name)) },
  );
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\d/, 'no dates in the lock');
});

test('parseLock names the lock file and the entry it cannot read', () => {
  const entry = (fields: string): string => `lock-version = 1\n[[file]]\n${fields}\n`;
  const good = 'name = "six"\nversion = "1"\nfile = "six-1-py3-none-any.whl"\nuse = "install"\n';
  // [text, message]
  const cases: [string, RegExp][] = [
    ['lock-version = 2\n', /lock-version is 2, this dh-virtualenv reads version 1/],
    [entry(good), /\[\[file\]\] number 1 has no "sha256"/],
    [entry(good + 'sha256 = "xyz"'), /sha256 that is not 64 hexadecimal digits/],
    [entry(good.replace('install', 'runtime') + `sha256 = "${'a'.repeat(64)}"`), /use = "runtime"/],
    [
      entry(good.replace('six-1-py3-none-any.whl', '../x.whl') + `sha256 = "${'a'.repeat(64)}"`),
      /not a distribution file name/,
    ],
    ['lock-version = [', /debian\/wheelhouse\/lock.toml:1:\d+: not valid TOML/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseLock(text, LOCK_FILE),
      (error: unknown) => {
        assert.ok(error instanceof ConfigurationError, String(error));
        assert.match(error.message, message);
        assert.match(error.message, /debian\/wheelhouse\/lock\.toml/);
        return true;
      },
    );
  }
});

/** A source package whose wheelhouse holds the given files, locked as they are. */
function packageWith(files: Record<string, string>): { dir: string; lock: WheelhouseLock } {
  const dir = tempDir('wheelhouse');
  const entries = Object.entries(files).map(([file, content]) => {
    const path = writeFile(join(dir, WHEELHOUSE_DIR, file), content);
    const distribution = distributionOf(file);
    assert.ok(distribution !== undefined);
    return { ...distribution, file, sha256: sha256Of(path), use: 'install' as const };
  });
  const lock = { python: '3.11', platform: 'linux-x86_64', files: entries };
  writeFileSync(join(dir, LOCK_FILE), renderLock(lock));
  return { dir, lock };
}

test('verifyWheelhouse accepts the files as locked and names the file that is changed, missing or unlisted', () => {
  const wheel = 'six-1.17.0-py2.py3-none-any.whl';
  const wheelhouse = (dir: string, file: string): string => join(dir, WHEELHOUSE_DIR, file);
  // [what, change to the locked wheelhouse, message or undefined for accepted]
  const cases: [string, (dir: string) => void, RegExp | undefined][] = [
    ['as locked', () => undefined, undefined],
    ['a README beside the files', (dir) => writeFile(wheelhouse(dir, 'README'), 'x'), undefined],
    [
      'changed',
      (dir) => writeFile(wheelhouse(dir, wheel), 'tampered'),
      /six-1\.17\.0-py2\.py3-none-any\.whl has sha256 [0-9a-f]{64}, but debian\/wheelhouse\/lock\.toml says/,
    ],
    [
      'missing',
      (dir) => rmSync(wheelhouse(dir, wheel)),
      /debian\/wheelhouse\/six-1\.17\.0-py2\.py3-none-any\.whl is missing but debian\/wheelhouse\/lock\.toml lists it/,
    ],
    [
      'unlisted',
      (dir) => writeFile(wheelhouse(dir, 'evil-1.0.tar.gz'), 'x'),
      /evil-1\.0\.tar\.gz not listed in debian\/wheelhouse\/lock\.toml/,
    ],
  ];
  for (const [what, change, message] of cases) {
    const { dir, lock } = packageWith({ [wheel]: 'wheel bytes' });
    change(dir);
    if (message === undefined) verifyWheelhouse(dir, lock);
    else assert.throws(() => verifyWheelhouse(dir, lock), message, what);
  }
});

test('withWheelhouse makes the wheelhouse the only source and says so; without one it changes nothing', () => {
  const host = {
    PATH: '/usr/bin',
    PIP_INDEX_URL: 'https://pypi.example.org/simple',
    PIP_FIND_LINKS: '/opt/wheels',
  };
  const without = tempDir('no-wheelhouse');
  const logger = recordingLogger();
  assert.deepEqual(withWheelhouse(host, without, logger), { hostEnv: host });
  assert.deepEqual(logger.entries, []);

  const { dir, lock } = packageWith({ 'six-1.17.0-py2.py3-none-any.whl': 'x' });
  const noted = recordingLogger();
  const result = withWheelhouse(host, dir, noted);
  assert.deepEqual(result.lock, lock);
  const wheelhouse = join(dir, WHEELHOUSE_DIR);
  assert.deepEqual(result.hostEnv, {
    ...host,
    PIP_NO_INDEX: '1',
    PIP_FIND_LINKS: wheelhouse,
    UV_FIND_LINKS: wheelhouse,
  });
  assert.deepEqual(
    noted.entries.map((entry) => entry.kind),
    ['note'],
  );
  assert.match(JSON.stringify(noted.entries), /building from debian\/wheelhouse alone: 1 file checked/);
});

test("wheelhouseUv unpacks uv's wheel once into the build's tool directory; without one there is none", () => {
  const { dir } = packageWith({ 'six-1.17.0-py2.py3-none-any.whl': 'x' });
  const logger = recordingLogger();
  const runner = processRunner(logger);
  const commands = (): number => logger.entries.filter((entry) => entry.kind === 'command').length;
  assert.equal(wheelhouseUv(readLock(dir) ?? assert.fail('no lock'), dir, runner), undefined);

  const wheel = join(dir, WHEELHOUSE_DIR, 'uv-0.13.9-py3-none-any.whl');
  const script =
    'import sys, zipfile\n' +
    'with zipfile.ZipFile(sys.argv[1], "w") as w:\n' +
    '    w.writestr("uv-0.13.9.data/scripts/uv", "#!/bin/sh\\necho uv 0.13.9\\n")\n';
  execFileSync('/usr/bin/python3', ['-c', script, wheel]);
  const lock = { ...(readLock(dir) ?? assert.fail('no lock')) };
  const files = [
    ...lock.files,
    { name: 'uv', version: '0.13.9', file: basename(wheel), sha256: sha256Of(wheel), use: 'build' as const },
  ];
  const uv = wheelhouseUv({ ...lock, files }, dir, runner);
  assert.ok(uv !== undefined);
  assert.ok(uv.startsWith(join(dir, 'debian', '.debhelper', 'dh_virtualenv')), uv);
  assert.equal(execFileSync(uv, { encoding: 'utf8' }), 'uv 0.13.9\n');
  assert.equal(commands(), 1);
  assert.equal(wheelhouseUv({ ...lock, files }, dir, runner), uv);
  assert.equal(commands(), 1, 'the second call unpacked the wheel again');
});
