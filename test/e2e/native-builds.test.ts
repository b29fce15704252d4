/**
 * Native code (docs/native.md): a C extension pip compiles from an sdist against Debian's zlib, and a
 * manylinux wheel that brings its own library the way auditwheel lays it out, each built with the default
 * debhelper sequence (dh_dwz, dh_strip, dh_makeshlibs and dh_shlibdeps all run), then installed and run.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingLeft,
  debField,
  extractDeb,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  startSuite,
  targetPython,
  type Build,
  type Suite,
} from './harness';
import {
  buildAuditwheelStyleWheel,
  buildSdistOnly,
  dynamicSection,
  importedSymbols,
  type DynamicSection,
  sectionNames,
} from './native-distributions';
import { assertSucceeded, describeResult, hermeticEnv, runProcess, SYSTEM_PYTHON } from './processes';

const TIMEOUT = 5 * 60 * 1000;
const SITE_PACKAGES = targetPython().sitePackages;
const SDIST_PKG = 'dhvt-native-sdist';
const WHEEL_PKG = 'dhvt-native-wheel';
/**
 * Every build compiles afresh: pip's wheel cache (in the suite's HOME) would otherwise hand a later build the
 * extension an earlier one compiled with other flags.
 */
const NO_PIP_CACHE = { PIP_NO_CACHE_DIR: '1' };

function sitePackages(tree: string, pkg: string): string {
  return join(tree, 'opt', 'venvs', pkg, SITE_PACKAGES);
}

/** The zlib extension's file in an extracted package (its name carries the interpreter's EXT_SUFFIX). */
function zlibExtension(tree: string): string {
  const dir = sitePackages(tree, SDIST_PKG);
  const name = readdirSync(dir).find((file) => file.startsWith('dhvt_native_zlib.') && file.endsWith('.so'));
  assert.ok(name !== undefined, `no dhvt_native_zlib extension in ${dir}`);
  return join(dir, name);
}

/** Runs Python code against the site-packages of an extracted package, without installing it. */
async function importFrom(site: string, code: string): Promise<string> {
  const result = await runProcess([SYSTEM_PYTHON, '-c', code], {
    env: hermeticEnv({ HOME: site, PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: '1' }),
    cwd: '/',
  });
  assertSucceeded(result, `importing from ${site}`);
  return result.stdout;
}

/** The -dbgsym packages a build made. */
function dbgsymPackages(build: Build): string[] {
  return [...build.debs.keys()].filter((name) => name.endsWith('-dbgsym'));
}

/**
 * The ELF files of a distribution whose bytes differ from what its RECORD says pip installed, relative to
 * site-packages; empty when nothing touched them after pip.
 */
function elfFilesChangedSincePip(site: string, distInfo: string): string[] {
  const record = readFileSync(join(site, distInfo, 'RECORD'), 'utf8');
  const elf = record
    .split('\n')
    .map((line) => line.split(','))
    .filter(([path]) => path !== undefined && /\.so(\.|$)/.test(path));
  assert.ok(elf.length > 0, `${distInfo}/RECORD lists no shared objects`);
  return elf
    .filter(([path, hash]) => {
      const digest = createHash('sha256')
        .update(readFileSync(join(site, path ?? '')))
        .digest('base64url');
      return hash !== `sha256=${digest}`;
    })
    .map(([path]) => path ?? '');
}

/** -z now (hardening=+all) shows as BIND_NOW in DT_FLAGS or NOW in DT_FLAGS_1. */
function linkedWithNow(dynamic: DynamicSection): boolean {
  return dynamic.flags.includes('BIND_NOW') || dynamic.flags.includes('NOW');
}

/** Matches one dependency of a Depends field, e.g. dependsOn('zlib1g'). */
function dependsOn(name: string): RegExp {
  return new RegExp(`(^|, )${name.replace(/[.+]/g, '\\$&')}( \\([^)]*\\))?(,|$)`);
}

/**
 * A CPython whose ABI differs from Debian's python3 (DHVT_E2E_OTHER_PYTHON, another python3.X on the system,
 * or a pyenv build), for the interpreter check; undefined when there is none, as on a plain Debian system.
 */
async function otherInterpreter(): Promise<string | undefined> {
  const probe = 'import sys; print(sys.implementation.cache_tag, *sys.version_info[:2])';
  const tagOf = async (python: string): Promise<string[] | undefined> => {
    if (!existsSync(python)) return undefined;
    const result = await runProcess([python, '-c', probe], { env: hermeticEnv({ HOME: tmpdir() }) });
    return result.status === 0 ? result.stdout.trim().split(' ') : undefined;
  };
  const listing = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);
  const pyenv = join(process.env.HOME ?? '/root', '.pyenv', 'versions');
  const candidates = [
    ...(process.env.DHVT_E2E_OTHER_PYTHON === undefined ? [] : [process.env.DHVT_E2E_OTHER_PYTHON]),
    ...['/usr/bin', '/usr/local/bin'].flatMap((dir) =>
      listing(dir)
        .filter((name) => /^python3\.\d+$/.test(name))
        .map((name) => join(dir, name)),
    ),
    ...listing(pyenv).map((version) => join(pyenv, version, 'bin', 'python3')),
  ];
  for (const python of candidates) {
    const [tag, major, minor] = (await tagOf(python)) ?? [];
    // Debian 12's virtualenv (20.17) and Debian 13's (20.31) both create environments for CPython 3.8 to 3.12.
    if (
      tag !== undefined &&
      tag !== targetPython().cacheTag &&
      major === '3' &&
      Number(minor) >= 8 &&
      Number(minor) <= 12
    ) {
      return python;
    }
  }
  return undefined;
}

describe('native code', { concurrency: false }, () => {
  let suite: Suite;
  let distDir: string;
  let wheel: string;
  before(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'dhvt-native-dists-'));
    const sdist = await buildSdistOnly('dhvt-native-zlib', distDir);
    wheel = await buildAuditwheelStyleWheel('dhvt-native-bundled', distDir);
    suite = await startSuite({ projects: [], files: [sdist, wheel] });
  });
  after(async () => {
    await suite?.close();
    if (distDir !== undefined) rmSync(distDir, { recursive: true, force: true });
  });

  test(
    'an sdist C extension is compiled with dpkg-buildflags against Debian zlib; zlib1g is in Depends',
    { timeout: TIMEOUT },
    async (t) => {
      const venv = `/opt/venvs/${SDIST_PKG}`;
      const requestsBefore = suite.index.requests.length;
      const build = await suite.buildPackage('native-sdist', { env: NO_PIP_CACHE });
      const requests = suite.index.requests.slice(requestsBefore);
      // setuptools 69.3 and later (Debian 13) name sdists with underscores (PEP 625).
      assert.ok(
        requests.some((path) => /^\/files\/dhvt[-_]native[-_]zlib-1\.0\.tar\.gz$/.test(path)),
        `pip did not fetch the sdist: ${requests.join(' ')}`,
      );

      // dh_shlibdeps found the library the extension links, and the Debian package that ships it.
      const depends = await debField(build.deb(SDIST_PKG), 'Depends');
      assert.match(depends, dependsOn('zlib1g'));
      assert.match(depends, dependsOn('libc6'));

      const tree = await extractDeb(build.deb(SDIST_PKG));
      const extension = zlibExtension(tree);
      const dynamic = await dynamicSection(extension);
      assert.ok(dynamic.needed.includes('libz.so.1'), `NEEDED: ${dynamic.needed.join(' ')}`);
      // dpkg-buildflags reached the compiler and the linker: CPPFLAGS' _FORTIFY_SOURCE made snprintf the
      // checking variant, and LDFLAGS (hardening=+all in debian/rules) brought -z now.
      assert.ok(
        (await importedSymbols(extension)).includes('__snprintf_chk'),
        'not built with _FORTIFY_SOURCE',
      );
      assert.ok(linkedWithNow(dynamic), `not linked with -z now: ${dynamic.flags.join(' ')}`);
      // Linked with -s: no symbol table or debug info, hence no -dbgsym package and no build paths inside.
      const sections = await sectionNames(extension);
      assert.deepEqual(
        sections.filter((name) => name === '.symtab' || name.startsWith('.debug_')),
        [],
      );
      assert.deepEqual(dbgsymPackages(build), []);
      const bytes = readFileSync(extension, 'latin1');
      for (const path of [build.sourceDir, '/tmp/', 'pip-install-', 'pip-req-build-']) {
        assert.ok(!bytes.includes(path), `the extension contains "${path}"`);
      }

      await purgeAfter(t, SDIST_PKG);
      await installDeb(build.deb(SDIST_PKG));
      const output = await runInstalled(`${venv}/bin/${SDIST_PKG}`);
      assert.match(output, /^crc32 dde49f46 by zlib 1\.\d+/m);
      assert.match(output, /^built with _FORTIFY_SOURCE=[1-9], DEB_CFLAGS_MAINT_APPEND yes$/m);
      await purge(SDIST_PKG);
      assertNothingLeft(venv);
    },
  );

  test(
    'flags exported by debian/rules, even empty ones, are used as they are: the opt-out',
    { timeout: TIMEOUT },
    async () => {
      const build = await suite.buildPackage('native-sdist', {
        env: { ...NO_PIP_CACHE, DHVT_NATIVE_OWN_FLAGS: '1' },
      });
      const tree = await extractDeb(build.deb(SDIST_PKG));
      const extension = zlibExtension(tree);
      assert.ok(!(await importedSymbols(extension)).includes('__snprintf_chk'), 'built with _FORTIFY_SOURCE');
      assert.ok(!linkedWithNow(await dynamicSection(extension)), 'linked with -z now');
      // No -s either: the debug info Python's own CFLAGS (-g) ask for stays, as dh_strip leaves the venv alone.
      assert.ok((await sectionNames(extension)).includes('.debug_info'), 'stripped');
      assert.match(await debField(build.deb(SDIST_PKG), 'Depends'), dependsOn('zlib1g'));
      const site = sitePackages(tree, SDIST_PKG);
      const flags = await importFrom(site, 'import dhvt_native_zlib; print(dhvt_native_zlib.build_flags())');
      assert.equal(flags.trim(), '_FORTIFY_SOURCE=0, DEB_CFLAGS_MAINT_APPEND no');
    },
  );

  test(
    'a manylinux wheel with a bundled library builds with the default sequence, its files as pip put them',
    { timeout: TIMEOUT },
    async (t) => {
      const venv = `/opt/venvs/${WHEEL_PKG}`;
      const build = await suite.buildPackage('native-wheel', { env: NO_PIP_CACHE });
      // The sequence keeps the debhelper commands that read ELF files out of the venv, and
      // dh_virtualenv_shlibdeps reads its binaries after dh_shlibdeps.
      for (const command of ['dh_dwz', 'dh_strip', 'dh_makeshlibs', 'dh_shlibdeps']) {
        assert.match(build.log, new RegExp(`^\\s+${command} .*--exclude=/site-packages/`, 'm'));
      }
      assert.match(build.log, /^\s+dh_virtualenv_shlibdeps$/m);
      assert.doesNotMatch(build.log, /dpkg-shlibdeps: (warning|error)/);

      // The bundled library is found in the package tree: what it needs (libc6) is in Depends, the library
      // itself is private and named nowhere.
      const depends = await debField(build.deb(WHEEL_PKG), 'Depends');
      assert.match(depends, dependsOn('libc6'));
      assert.doesNotMatch(depends, /dhvtnative|dhvt-native-wheel/);
      const tree = await extractDeb(build.deb(WHEEL_PKG));
      assert.equal(
        existsSync(join(tree, 'DEBIAN', 'shlibs')),
        false,
        'a private library was declared public',
      );
      assert.doesNotMatch(readFileSync(join(tree, 'DEBIAN', 'triggers'), 'utf8'), /ldconfig/);

      // Extension and library are byte for byte what pip installed from the wheel (RECORD's hashes).
      const site = sitePackages(tree, WHEEL_PKG);
      assert.deepEqual(elfFilesChangedSincePip(site, 'dhvt_native_bundled-1.0.dist-info'), []);
      const [extension] = readdirSync(join(site, 'dhvt_native_bundled')).filter((name) =>
        name.endsWith('.so'),
      );
      const dynamic = await dynamicSection(join(site, 'dhvt_native_bundled', extension ?? ''));
      assert.deepEqual(dynamic.searchPath, ['$ORIGIN/../dhvt_native_bundled.libs']);
      assert.match(dynamic.needed[0] ?? '', /^libdhvtnative-[0-9a-f]{8}-[0-9a-f]{8}\.so\.1$/);
      assert.deepEqual(dbgsymPackages(build), []);

      await purgeAfter(t, WHEEL_PKG);
      await installDeb(build.deb(WHEEL_PKG));
      assert.equal(
        (await runInstalled(`${venv}/bin/${WHEEL_PKG}`)).trim(),
        'hello from libdhvtnative to dhvt-native-wheel',
      );
      await purge(WHEEL_PKG);
      assertNothingLeft(venv);
    },
  );

  test('the wheel is one that strip breaks, as dh_strip would run it: why the venv is left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dhvt-native-strip-'));
    try {
      assertSucceeded(
        await runProcess([SYSTEM_PYTHON, '-m', 'zipfile', '-e', wheel, dir], {
          env: hermeticEnv({ HOME: dir }),
        }),
        'unpacking the wheel',
      );
      const code = 'import dhvt_native_bundled; print(dhvt_native_bundled.greeting("strip"))';
      assert.equal((await importFrom(dir, code)).trim(), 'hello from libdhvtnative to strip');
      for (const sub of ['dhvt_native_bundled', 'dhvt_native_bundled.libs']) {
        for (const name of readdirSync(join(dir, sub)).filter((file) => file.includes('.so'))) {
          // dh_strip's command for shared libraries.
          const argv = ['strip', '--remove-section=.comment', '--remove-section=.note', '--strip-unneeded'];
          await runProcess([...argv, join(dir, sub, name)], { env: hermeticEnv({ HOME: dir }) });
        }
      }
      const result = await runProcess([SYSTEM_PYTHON, '-c', code], {
        env: hermeticEnv({ HOME: dir, PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: '1' }),
        cwd: '/',
      });
      assert.notEqual(result.status, 0, `the stripped wheel still imports: ${describeResult(result)}`);
      assert.match(
        result.stderr,
        /ImportError: libdhvtnative-\S+: ELF load command address\/offset not page-aligned/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    'DEB_BUILD_OPTIONS=nostrip: the wheel ships the same files; an sdist extension keeps its debug info',
    { timeout: TIMEOUT },
    async (t) => {
      const env = { ...NO_PIP_CACHE, DEB_BUILD_OPTIONS: 'nostrip' };
      const wheelBuild = await suite.buildPackage('native-wheel', { env });
      const wheelTree = await extractDeb(wheelBuild.deb(WHEEL_PKG));
      assert.deepEqual(
        elfFilesChangedSincePip(sitePackages(wheelTree, WHEEL_PKG), 'dhvt_native_bundled-1.0.dist-info'),
        [],
      );
      assert.match(await debField(wheelBuild.deb(WHEEL_PKG), 'Depends'), dependsOn('libc6'));

      const sdistBuild = await suite.buildPackage('native-sdist', { env });
      const sdistTree = await extractDeb(sdistBuild.deb(SDIST_PKG));
      const sections = await sectionNames(zlibExtension(sdistTree));
      assert.ok(sections.includes('.debug_info') && sections.includes('.symtab'), sections.join(' '));
      assert.deepEqual([...dbgsymPackages(wheelBuild), ...dbgsymPackages(sdistBuild)], []);

      await purgeAfter(t, WHEEL_PKG);
      await installDeb(wheelBuild.deb(WHEEL_PKG));
      assert.equal(
        (await runInstalled(`/opt/venvs/${WHEEL_PKG}/bin/${WHEEL_PKG}`)).trim(),
        'hello from libdhvtnative to dhvt-native-wheel',
      );
      await purge(WHEEL_PKG);
      const flags = await importFrom(
        sitePackages(sdistTree, SDIST_PKG),
        'import dhvt_native_zlib; print(dhvt_native_zlib.build_flags())',
      );
      assert.match(flags, /^_FORTIFY_SOURCE=[1-9], DEB_CFLAGS_MAINT_APPEND yes$/m);
    },
  );

  test(
    'a virtualenv whose interpreter ABI differs from --python stops the build before pip compiles anything',
    { timeout: TIMEOUT },
    async (t) => {
      const other = await otherInterpreter();
      if (other === undefined) {
        t.skip('no second CPython 3.8-3.12 with another ABI here (DHVT_E2E_OTHER_PYTHON names one)');
        return;
      }
      const dir = suite.copyFixture('native-sdist');
      const requestsBefore = suite.index.requests.length;
      // virtualenv tries --try-first-with before --python: the venv gets the other interpreter.
      const result = await suite.runDhVirtualenv(dir, [`--extra-virtualenv-arg=--try-first-with=${other}`]);
      assert.equal(result.status, 1, describeResult(result));
      const { cacheTag, soabi } = targetPython();
      assert.match(
        result.stderr,
        new RegExp(
          '^dh_virtualenv: error: dhvt-native-sdist: checking the virtualenv interpreter failed: the ' +
            `virtualenv runs cpython-3\\d+ \\S+ but --python /usr/bin/python3 is ${cacheTag} ${soabi}; `,
          'm',
        ),
      );
      assert.deepEqual(suite.index.requests.slice(requestsBefore), [], 'pip ran');
    },
  );
});
