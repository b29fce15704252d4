import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { withBuildCaches } from '../../../src/build/build-caches';
import { tempDir } from '../helpers';

test('a HOME that cannot hold caches sends pip and uv caches into debian/.debhelper; a usable one is kept', () => {
  const cwd = tempDir('source');
  const home = tempDir('home');
  const inTree = {
    PIP_CACHE_DIR: join(cwd, 'debian/.debhelper/dh_virtualenv/pip-cache'),
    UV_CACHE_DIR: join(cwd, 'debian/.debhelper/dh_virtualenv/uv-cache'),
  };
  // [HOME, what the caches become]
  const cases: [Record<string, string>, Record<string, string | undefined>][] = [
    [{ HOME: home }, { PIP_CACHE_DIR: undefined, UV_CACHE_DIR: undefined }],
    [{ HOME: '/nonexistent' }, inTree],
    [{}, inTree],
    [{ HOME: join(home, 'a-file-not-a-dir') }, inTree],
    [
      { HOME: '/nonexistent', PIP_CACHE_DIR: '/srv/cache' },
      { ...inTree, PIP_CACHE_DIR: '/srv/cache' },
    ],
  ];
  for (const [host, expected] of cases) {
    const env = withBuildCaches(host, cwd);
    assert.deepEqual(
      { PIP_CACHE_DIR: env.PIP_CACHE_DIR, UV_CACHE_DIR: env.UV_CACHE_DIR },
      expected,
      JSON.stringify(host),
    );
  }
});
