import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childEnvironment, isPassedToPython } from '../../src/child-environment';

test('which host variables reach Python, virtualenv and pip', () => {
  // [name, passed on]
  const cases: [string, boolean][] = [
    ['PYTHONPATH', false],
    ['PYTHONHOME', false],
    ['PYTHONSTARTUP', false],
    ['PYTHONUSERBASE', false],
    ['VIRTUAL_ENV', false],
    ['__PYVENV_LAUNCHER__', false],
    ['PIP_USER', false],
    ['PIP_TARGET', false],
    ['PIP_PREFIX', false],
    ['PIP_ROOT', false],
    ['PIP_REQUIRE_VIRTUALENV', false],
    ['PIP_CONSTRAINT', false],
    ['PIP_NO_BINARY', false],
    ['PIP_INDEX_URL', true],
    ['PIP_EXTRA_INDEX_URL', true],
    ['PIP_FIND_LINKS', true],
    ['PIP_NO_INDEX', true],
    ['PIP_TRUSTED_HOST', true],
    ['PIP_CERT', true],
    ['PIP_CLIENT_CERT', true],
    ['PIP_PROXY', true],
    ['PIP_DEFAULT_TIMEOUT', true],
    ['PIP_CACHE_DIR', true],
    ['PATH', true],
    ['HOME', true],
    ['http_proxy', true],
    ['HTTPS_PROXY', true],
    ['no_proxy', true],
    ['LANG', true],
    ['LC_ALL', true],
    ['DEB_BUILD_OPTIONS', true],
    ['SOURCE_DATE_EPOCH', true],
    ['REQUESTS_CA_BUNDLE', true],
  ];
  for (const [name, passed] of cases) assert.equal(isPassedToPython(name), passed, name);
});

test('childEnvironment keeps what passes, lists what was dropped and sets the fixed variables', () => {
  const host = {
    PATH: '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    http_proxy: 'http://proxy:3128',
    PIP_INDEX_URL: 'http://127.0.0.1:8080/simple',
    PIP_CERT: '/etc/ssl/certs/ca.pem',
    PIP_FIND_LINKS: '/srv/wheels',
    PYTHONPATH: '/home/me/lib',
    PYTHONHOME: '/usr/local',
    PYTHONDONTWRITEBYTECODE: '',
    PIP_USER: '1',
    PIP_TARGET: '/tmp/t',
    PIP_PREFIX: '/usr/local',
    PIP_REQUIRE_VIRTUALENV: 'true',
    PIP_NO_INPUT: '0',
    PIP_DISABLE_PIP_VERSION_CHECK: '0',
    VIRTUAL_ENV: '/home/me/venv',
    UNSET: undefined,
  };
  const { env, dropped } = childEnvironment(host);
  assert.deepEqual(env, {
    PATH: '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    http_proxy: 'http://proxy:3128',
    PIP_INDEX_URL: 'http://127.0.0.1:8080/simple',
    PIP_CERT: '/etc/ssl/certs/ca.pem',
    PIP_FIND_LINKS: '/srv/wheels',
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  });
  assert.deepEqual(dropped, [
    'PIP_DISABLE_PIP_VERSION_CHECK',
    'PIP_NO_INPUT',
    'PIP_PREFIX',
    'PIP_REQUIRE_VIRTUALENV',
    'PIP_TARGET',
    'PIP_USER',
    'PYTHONDONTWRITEBYTECODE',
    'PYTHONHOME',
    'PYTHONPATH',
    'VIRTUAL_ENV',
  ]);
  assert.ok(Object.isFrozen(env));
});

test('an empty host still gets the fixed variables', () => {
  assert.deepEqual(childEnvironment({}), {
    env: { PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONDONTWRITEBYTECODE: '1' },
    dropped: [],
  });
});
