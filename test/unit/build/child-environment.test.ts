import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childEnvironment, isPassedToPython } from '../../../src/build/child-environment';

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
    ['PIP_CONFIG_FILE', false],
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
    ['UV_INDEX_URL', true],
    ['UV_FIND_LINKS', true],
    ['UV_CACHE_DIR', true],
    ['UV_COMPILE_BYTECODE', false],
    ['UV_CONSTRAINT', false],
    ['UV_PYTHON', false],
    ['UV_SYSTEM_PYTHON', false],
    ['UV_NO_CONFIG', false],
    ['VIRTUALENV_SYSTEM_SITE_PACKAGES', false],
    ['VIRTUALENV_DOWNLOAD', false],
    ['VIRTUALENV_CONFIG_FILE', false],
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
    PIP_CONFIG_FILE: '/home/me/.config/pip/pip.conf',
    VIRTUALENV_SYSTEM_SITE_PACKAGES: 'true',
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
    UV_INDEX_URL: 'http://127.0.0.1:8080/simple',
    UV_FIND_LINKS: '/srv/wheels',
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_CONFIG_FILE: '/dev/null',
    VIRTUALENV_CONFIG_FILE: '/dev/null',
    UV_NO_CONFIG: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  });
  assert.deepEqual(dropped, [
    'PIP_CONFIG_FILE',
    'PIP_DISABLE_PIP_VERSION_CHECK',
    'PIP_NO_INPUT',
    'PIP_PREFIX',
    'PIP_REQUIRE_VIRTUALENV',
    'PIP_TARGET',
    'PIP_USER',
    'PYTHONDONTWRITEBYTECODE',
    'PYTHONHOME',
    'PYTHONPATH',
    'VIRTUALENV_SYSTEM_SITE_PACKAGES',
    'VIRTUAL_ENV',
  ]);
  assert.ok(Object.isFrozen(env));
});

test('an empty host still gets the fixed variables', () => {
  assert.deepEqual(childEnvironment({}), {
    env: {
      PIP_NO_INPUT: '1',
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      PIP_CONFIG_FILE: '/dev/null',
      VIRTUALENV_CONFIG_FILE: '/dev/null',
      UV_NO_CONFIG: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    },
    dropped: [],
  });
});

test("pip's fetch settings reach uv under uv's names; the host's own UV_* win", () => {
  // [host, the UV_* variables of the child]
  const cases: [Record<string, string>, Record<string, string>][] = [
    [{ PIP_INDEX_URL: 'http://a/simple' }, { UV_INDEX_URL: 'http://a/simple' }],
    [
      { PIP_INDEX_URL: 'http://a/simple', UV_INDEX_URL: 'http://b/simple' },
      { UV_INDEX_URL: 'http://b/simple' },
    ],
    [{ PIP_EXTRA_INDEX_URL: 'http://x/ http://y/' }, { UV_EXTRA_INDEX_URL: 'http://x/ http://y/' }],
    [{ PIP_FIND_LINKS: ' /srv/a  /srv/b ' }, { UV_FIND_LINKS: '/srv/a,/srv/b' }],
    [{ PIP_NO_CACHE_DIR: '1' }, { UV_NO_CACHE: '1' }],
    [{ PIP_TRUSTED_HOST: 'pypi.example.org' }, { UV_INSECURE_HOST: 'pypi.example.org' }],
    [{ PIP_CERT: '/etc/ca.pem', UV_COMPILE_BYTECODE: '1' }, {}],
  ];
  for (const [host, expected] of cases) {
    const uv = Object.fromEntries(
      Object.entries(childEnvironment(host).env).filter(
        ([name]) => name.startsWith('UV_') && name !== 'UV_NO_CONFIG',
      ),
    );
    assert.deepEqual(uv, expected, JSON.stringify(host));
  }
});
