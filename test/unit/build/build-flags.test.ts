import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBuildFlags, withBuildFlags } from '../../../src/build/build-flags';
import { recordingRunner } from '../helpers';

const QUERY = `Vendor: Debian
Environment:

Area: hardening
Features:
 format=yes

Flag: ASFLAGS
Value: 
Origin: vendor

Flag: CFLAGS
Value: -g -O2 -ffile-prefix-map=/build/src=. -fstack-protector-strong
Origin: vendor

Flag: CPPFLAGS
Value: -Wdate-time -D_FORTIFY_SOURCE=2
Origin: vendor

Flag: CXXFLAGS
Value: -g -O2
Origin: vendor

Flag: LDFLAGS
Value: -Wl,-z,relro
Origin: vendor
`;

test('parseBuildFlags reads Flag/Value blocks, empty values included', () => {
  const flags = parseBuildFlags(QUERY);
  assert.equal(flags.get('CFLAGS'), '-g -O2 -ffile-prefix-map=/build/src=. -fstack-protector-strong');
  assert.equal(flags.get('LDFLAGS'), '-Wl,-z,relro');
  assert.equal(flags.get('ASFLAGS'), '');
  assert.equal(flags.has('Vendor'), false);
});

test('withBuildFlags adds the flags the environment lacks and keeps the ones debian/rules exported', () => {
  const runner = recordingRunner(() => QUERY);
  const env = withBuildFlags({ PATH: '/usr/bin', CFLAGS: '' }, runner, '/build/src');
  assert.equal(env.CFLAGS, '', 'an exported (even empty) CFLAGS is the opt-out');
  assert.equal(env.CPPFLAGS, '-Wdate-time -D_FORTIFY_SOURCE=2');
  assert.equal(env.LDFLAGS, '-Wl,-z,relro -s', 'linked stripped: dh_strip leaves the venv alone');
  assert.equal(env.ASFLAGS, undefined, 'only the flags a C extension build reads');
  assert.deepEqual(
    runner.calls.map((call) => [call.argv, call.options.cwd]),
    [[['dpkg-buildflags', '--query'], '/build/src']],
  );
});

test('withBuildFlags links stripped with Debian LDFLAGS, whoever exported them, but not under nostrip', () => {
  const runner = recordingRunner(() => QUERY);
  const exportedByDh = { CFLAGS: '-g -O2', CPPFLAGS: '', CXXFLAGS: '-g -O2', LDFLAGS: '-Wl,-z,relro' };
  assert.equal(withBuildFlags(exportedByDh, runner, '/x').LDFLAGS, '-Wl,-z,relro -s');
  assert.equal(
    withBuildFlags({ DEB_BUILD_OPTIONS: 'nocheck nostrip parallel=4' }, runner, '/x').LDFLAGS,
    '-Wl,-z,relro',
  );
  assert.equal(withBuildFlags({ DEB_BUILD_OPTIONS: 'nostripfoo' }, runner, '/x').LDFLAGS, '-Wl,-z,relro -s');
});

test("withBuildFlags leaves LDFLAGS of the package's own making alone", () => {
  const runner = recordingRunner(() => QUERY);
  assert.equal(withBuildFlags({ LDFLAGS: '-Wl,-z,now' }, runner, '/x').LDFLAGS, '-Wl,-z,now');
  assert.equal(withBuildFlags({ LDFLAGS: '' }, runner, '/x').LDFLAGS, '');
});

test('withBuildFlags asks dpkg-buildflags nothing under nostrip when every flag is already set', () => {
  const runner = recordingRunner(() => QUERY);
  const host = { CFLAGS: 'a', CPPFLAGS: 'b', CXXFLAGS: 'c', LDFLAGS: 'd', DEB_BUILD_OPTIONS: 'nostrip' };
  assert.equal(withBuildFlags(host, runner, '/x'), host);
  assert.deepEqual(runner.calls, []);
});
