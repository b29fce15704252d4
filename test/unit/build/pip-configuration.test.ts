import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigurationError } from '../../../src/core/errors';
import {
  installSettings,
  normalizeKey,
  parsePipConfig,
  pipConfigFiles,
  pipConfiguration,
  variableOf,
  withPipConfiguration,
} from '../../../src/build/pip-configuration';
import { tempDir, writeFile } from '../helpers';

test("pipConfigFiles lists pip's files lowest priority first, as pip 23.0 and 25.1 read them", () => {
  const none = (): boolean => false;
  const all = (): boolean => true;
  // [what, environment, whether PIP_CONFIG_FILE exists, files]
  const cases: [string, Record<string, string>, () => boolean, string[]][] = [
    [
      'the defaults',
      { HOME: '/home/me' },
      none,
      ['/etc/xdg/pip/pip.conf', '/etc/pip.conf', '/home/me/.pip/pip.conf', '/home/me/.config/pip/pip.conf'],
    ],
    [
      'XDG directories',
      { HOME: '/home/me', XDG_CONFIG_DIRS: '/a:/b', XDG_CONFIG_HOME: '/cfg' },
      none,
      ['/a/pip/pip.conf', '/b/pip/pip.conf', '/etc/pip.conf', '/home/me/.pip/pip.conf', '/cfg/pip/pip.conf'],
    ],
    [
      'PIP_CONFIG_FILE, which exists: read last, and the user files not at all',
      { HOME: '/home/me', PIP_CONFIG_FILE: '/srv/pip.conf' },
      all,
      ['/etc/xdg/pip/pip.conf', '/etc/pip.conf', '/srv/pip.conf'],
    ],
    [
      'PIP_CONFIG_FILE that does not exist: the user files are read',
      { HOME: '/home/me', PIP_CONFIG_FILE: '/srv/pip.conf' },
      none,
      [
        '/etc/xdg/pip/pip.conf',
        '/etc/pip.conf',
        '/home/me/.pip/pip.conf',
        '/home/me/.config/pip/pip.conf',
        '/srv/pip.conf',
      ],
    ],
    [
      'PIP_CONFIG_FILE=/dev/null: no file at all',
      { HOME: '/home/me', PIP_CONFIG_FILE: '/dev/null' },
      all,
      [],
    ],
  ];
  for (const [what, env, exists, files] of cases) assert.deepEqual(pipConfigFiles(env, exists), files, what);
});

test('normalizeKey and variableOf name a key as pip does, from a file or from a variable', () => {
  assert.equal(normalizeKey('Index_URL'), 'index-url');
  assert.equal(normalizeKey('--extra-index-url'), 'extra-index-url');
  assert.equal(variableOf('index-url'), 'PIP_INDEX_URL');
  assert.equal(variableOf('require-virtualenv'), 'PIP_REQUIRE_VIRTUALENV');
});

test('parsePipConfig reads sections, both separators, comments and continued values', () => {
  const text = [
    '# the build farm',
    '[global]',
    'index_url = https://pypi.example.org/simple',
    'timeout: 60',
    '; a comment',
    'extra-index-url =',
    '    https://a.example.org/simple',
    '    https://b.example.org/simple',
    '',
    '[install]\r',
    'target=/srv/lib\r',
  ].join('\n');
  assert.deepEqual(
    [...parsePipConfig(text, 'pip.conf')],
    [
      ['global.index-url', 'https://pypi.example.org/simple'],
      ['global.timeout', '60'],
      ['global.extra-index-url', '\nhttps://a.example.org/simple\nhttps://b.example.org/simple'],
      ['install.target', '/srv/lib'],
    ],
  );
});

test('parsePipConfig refuses what pip cannot read, naming the file and line', () => {
  const cases: [string, RegExp][] = [
    ['index-url = x\n', /^\/etc\/pip\.conf, line 1: a setting before the first \[section\], so pip cannot/],
    ['[global]\njust words\n', /^\/etc\/pip\.conf, line 2: "just words" is neither "key = value" nor a/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parsePipConfig(text, '/etc/pip.conf'),
      (error: unknown) => error instanceof ConfigurationError && message.test(error.message),
    );
  }
});

test('installSettings: a later file wins per key, and [install] wins over [global] whatever the file', () => {
  const settings = installSettings([
    { path: '/etc/pip.conf', text: '[global]\nindex-url = A\ntimeout = 1\n[install]\nuser = yes\n' },
    {
      path: '/srv/pip.conf',
      text: '[global]\nindex-url = B\n[install]\ntimeout = 2\n[download]\ndest = x\n',
    },
    { path: '/home/me/.pip/pip.conf', text: '[freeze]\nall = true\n' },
  ]);
  assert.deepEqual(Object.fromEntries(settings), {
    'index-url': { value: 'B', file: '/srv/pip.conf' },
    timeout: { value: '2', file: '/srv/pip.conf' },
    user: { value: 'yes', file: '/etc/pip.conf' },
  });
});

test('pipConfiguration hands the fetch settings to pip as variables, the host variables winning', () => {
  const settings = installSettings([
    {
      path: '/etc/pip.conf',
      text: [
        '[global]',
        'index-url = https://user:TOKEN@pypi.example.org/simple',
        'trusted-host = pypi.example.org',
        'cert = /etc/ssl/ca.pem',
        'target = /srv/lib',
        'prefix = /usr/local',
        'user = true',
        'require-virtualenv = true',
        'no-binary = :all:',
        '[install]',
        'root = /tmp/root',
        'timeout = 30',
      ].join('\n'),
    },
  ]);
  const { env, heldBack } = pipConfiguration({ HOME: '/home/me', PIP_TIMEOUT: '5' }, settings);
  assert.deepEqual(env, {
    HOME: '/home/me',
    PIP_TIMEOUT: '5',
    PIP_INDEX_URL: 'https://user:TOKEN@pypi.example.org/simple',
    PIP_TRUSTED_HOST: 'pypi.example.org',
    PIP_CERT: '/etc/ssl/ca.pem',
  });
  assert.deepEqual(heldBack, [
    'no-binary (/etc/pip.conf)',
    'prefix (/etc/pip.conf)',
    'require-virtualenv (/etc/pip.conf)',
    'root (/etc/pip.conf)',
    'target (/etc/pip.conf)',
    'user (/etc/pip.conf)',
  ]);
});

test('withPipConfiguration reads the files of this machine that exist', () => {
  const home = tempDir('pip-home');
  writeFile(join(home, '.config', 'pip', 'pip.conf'), '[global]\nfind-links = /srv/wheels\nuser = yes\n');
  const { env, heldBack } = withPipConfiguration({ HOME: home, XDG_CONFIG_DIRS: join(home, 'none') });
  // /etc/pip.conf of the machine running the tests may add more; these come from the user's file.
  assert.equal(env.PIP_FIND_LINKS, '/srv/wheels');
  assert.ok(heldBack.includes(`user (${join(home, '.config', 'pip', 'pip.conf')})`));
  assert.equal(
    withPipConfiguration({ HOME: home, PIP_CONFIG_FILE: '/dev/null' }).env.PIP_FIND_LINKS,
    undefined,
  );
});
