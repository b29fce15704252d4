/**
 * The user's path on a clean Debian system: build our .deb from this tree (debian/, `make install`), check it
 * with lintian, install it with apt into a freshly bootstrapped Debian root (so its Depends are resolved by apt
 * from Debian's archive, with Debian's own nodejs), build a fixture that only says
 * `Build-Depends: dh-sequence-python-virtualenv` (no --with), install it, run it, purge it, and check nothing
 * is left. Then upgrade Debian's own dh-virtualenv 1.2.2 to ours.
 *
 * Needs root (mmdebstrap, chroot) and Debian's archive; no other network (the fixture builds from Debian's
 * wheels). DHVT_E2E_ROOT_CACHE=<file.tar> keeps the bootstrapped root between local runs; CI starts from
 * nothing. DHVT_E2E_KEEP=1 keeps the work directory. The full log is build/clean-system.log.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { bootstrapRoot, CommandLog, controlFields, hostRun, type CleanRoot } from './clean-system-root';
import { fixturePath, hermeticEnv, repoRoot, runProcess, SYSTEM_PATH } from './processes';

const FIXTURE = 'clean-system-hello';
/** Parts of the working tree that are not source: built, installed or fetched. */
const NOT_SOURCE = new Set(['.git', 'node_modules', 'build', 'dist']);

/** Fails with what to do when a tool the test needs (installed by scripts/install-build-deps.sh) is missing. */
function assertInstalled(program: string): void {
  const found = SYSTEM_PATH.split(':').some((dir) => existsSync(join(dir, program)));
  assert.ok(
    found,
    `${program} is not installed: run "sh scripts/install-build-deps.sh" (it installs ${program})`,
  );
}

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (mmdebstrap and chroot); run it as root, e.g. in CI';
  return false;
}

/** dpkg-buildpackage of a copy of this tree (its node_modules linked in), as debian/README.source describes. */
async function buildOurDeb(log: CommandLog, workDir: string): Promise<string> {
  const repo = repoRoot();
  assert.ok(
    existsSync(join(repo, 'node_modules', 'esbuild')),
    'node_modules/ is missing: run "npm ci" first',
  );
  const source = join(workDir, 'dh-virtualenv');
  cpSync(repo, source, {
    recursive: true,
    filter: (path) => dirname(path) !== repo || !NOT_SOURCE.has(basename(path)),
  });
  chmodSync(join(source, 'debian', 'rules'), 0o755);
  symlinkSync(join(repo, 'node_modules'), join(source, 'node_modules'));
  const env = hermeticEnv({
    HOME: workDir,
    PATH: `${dirname(process.execPath)}:${SYSTEM_PATH}`,
    // The build runs the unit tests (dh_auto_test) unless the caller says DEB_BUILD_OPTIONS=nocheck.
    ...(process.env.DEB_BUILD_OPTIONS === undefined
      ? {}
      : { DEB_BUILD_OPTIONS: process.env.DEB_BUILD_OPTIONS }),
  });
  await hostRun(log, ['dpkg-buildpackage', '-us', '-uc', '-b'], env, source);
  const debs = readdirSync(workDir).filter((name) => /^dh-virtualenv_.*_all\.deb$/.test(name));
  assert.equal(debs.length, 1, `expected one dh-virtualenv .deb in ${workDir}, found: ${debs.join(', ')}`);
  return join(workDir, debs[0] ?? '');
}

test(
  'clean Debian system: our .deb, a dh-sequence-python-virtualenv package, an upgrade from 1.2.2',
  {
    skip: skipReason(),
    timeout: 25 * 60 * 1000,
  },
  async (t) => {
    const started = Date.now();
    const log = new CommandLog(join(repoRoot(), 'build', 'clean-system.log'));
    const workDir = mkdtempSync(join(tmpdir(), 'dhvt-clean-system-'));
    t.diagnostic(`full log: ${log.path}; work directory: ${workDir}`);
    const hostEnv = hermeticEnv({ HOME: workDir });
    let failed = false;
    /** One step of the story; once a step fails, the later ones are skipped rather than failing confusingly. */
    const step = (name: string, body: (st: TestContext) => Promise<void>): Promise<void> =>
      t.test(name, { skip: failed ? 'an earlier step failed' : false }, async (st) => {
        try {
          await body(st);
        } catch (error) {
          failed = true;
          throw error;
        }
      });

    let deb = '';
    let version = '';
    let root: CleanRoot | undefined;
    const inRoot = (): CleanRoot => root ?? assert.fail('the root was not bootstrapped');
    try {
      await step(
        'dpkg-buildpackage builds dh-virtualenv_<version>_all.deb with the Provides and Depends',
        async (st) => {
          deb = await buildOurDeb(log, workDir);
          const fields = controlFields(await hostRun(log, ['dpkg-deb', '-f', deb], hostEnv));
          version = fields.get('Version') ?? '';
          st.diagnostic(`${basename(deb)}: ${statSync(deb).size} bytes`);
          st.diagnostic(`Depends: ${fields.get('Depends') ?? ''}`);
          st.diagnostic(`Provides: ${fields.get('Provides') ?? ''}`);
          assert.match(version, /^2\./, 'version 2.x, so it upgrades over 1.2.2');
          assert.equal(fields.get('Provides'), 'dh-sequence-python-virtualenv');
          const depends = (fields.get('Depends') ?? '').split(/,\s*/);
          for (const wanted of [
            'nodejs (>= 18)',
            'debhelper (>= 13)',
            'dpkg-dev',
            'python3',
            'python3-virtualenv | python3-venv',
          ]) {
            assert.ok(depends.includes(wanted), `Depends lacks "${wanted}": ${depends.join(', ')}`);
          }
        },
      );

      await step('lintian finds no errors and no warnings', async (st) => {
        assertInstalled('lintian');
        const lintian = ['lintian', '--fail-on', 'error,warning', '--display-info', '--pedantic', deb];
        const result = await runProcess(lintian, { env: hostEnv });
        log.add(result);
        const tags = result.stdout.trim();
        st.diagnostic(`lintian: ${tags === '' ? 'no tags' : tags}`);
        assert.equal(result.status, 0, `lintian failed:\n${result.output}`);
        assert.doesNotMatch(tags, /^[EW]: /m);
      });

      await step('mmdebstrap bootstraps a minimal Debian root from the archive', async (st) => {
        assertInstalled('mmdebstrap');
        const cacheTarball = process.env.DHVT_E2E_ROOT_CACHE;
        root = await bootstrapRoot(join(workDir, 'root'), { log, cacheTarball });
        const node = await root.tryRun(['sh', '-c', 'command -v node python3 dh']);
        assert.equal(node.stdout.trim(), '', 'the fresh root already has node, python3 or dh');
        st.diagnostic(
          cacheTarball === undefined ? 'bootstrapped from nothing' : `bootstrap cache: ${cacheTarball}`,
        );
      });

      await step(
        'apt installs our .deb and resolves its Depends: Debian nodejs, debhelper, python3',
        async (st) => {
          const root = inRoot();
          await root.apt('install', root.copyIn(deb, `/tmp/${basename(deb)}`));
          const installed = await root.run([
            'dpkg-query',
            '-W',
            '-f',
            '${Package} ${Version}\n',
            'dh-virtualenv',
            'nodejs',
            'debhelper',
            'python3',
            'python3-virtualenv',
          ]);
          st.diagnostic(installed.trim().replace(/\n/g, '; '));
          const nodejs = /^nodejs (\S+)$/m.exec(installed)?.[1] ?? '';
          assert.doesNotMatch(nodejs, /nodesource/, 'nodejs must come from Debian');
          const nodeVersion = (await root.run(['node', '--version'])).trim();
          st.diagnostic(`dh_virtualenv runs on Debian's Node ${nodeVersion}`);
          if ((await root.run(['sh', '-c', '. /etc/os-release && echo $VERSION_ID'])).trim() === '12') {
            assert.match(nodeVersion, /^v18\./, "Debian 12's nodejs is 18.x: the bundle must run on it");
          }
          assert.equal((await root.run(['dh_virtualenv', '--version'])).trim(), `dh_virtualenv ${version}`);
          const manual = await root.run(['env', 'MANPAGER=cat', 'MANWIDTH=100', 'man', 'dh_virtualenv']);
          assert.match(manual, /--index-url/);
          assert.match(manual, /DH_VIRTUALENV_INSTALL_ROOT/);
        },
      );

      let fixtureDeb = '';
      await step(
        'the fixture builds with Build-Depends: dh-sequence-python-virtualenv and no --with',
        async () => {
          const root = inRoot();
          const source = root.copyIn(fixturePath(FIXTURE), `/build/${FIXTURE}`);
          chmodSync(join(root.dir, source, 'debian', 'rules'), 0o755);
          await root.apt('build-dep', source);
          const build = await root.run(['dpkg-buildpackage', '-us', '-uc', '-b'], source);
          assert.match(build, /dh_virtualenv: clean-system-hello: /, 'the add-on ran dh_virtualenv');
          const arch = (await root.run(['dpkg', '--print-architecture'])).trim();
          fixtureDeb = `/build/${FIXTURE}_1.0.0_${arch}.deb`;
          const contents = await root.run(['dpkg-deb', '-c', fixtureDeb]);
          assert.match(contents, /\.\/opt\/venvs\/clean-system-hello\/bin\/clean-system-hello\n/);
        },
      );

      await step('it installs with apt, its console script runs, and purging it leaves nothing', async () => {
        const root = inRoot();
        const before = root.files();
        await root.apt('install', fixtureDeb);
        const hello = await root.run(['clean-system-hello']);
        assert.match(hello, /^hello from \/opt\/venvs\/clean-system-hello \(Python 3\.\d+\)$/m);
        await root.apt('purge', FIXTURE);
        const after = root.files();
        assert.deepEqual(
          after.filter((path) => !before.includes(path)),
          [],
          'files left behind after purge',
        );
        // /opt is made by base-files' postinst, so no package owns it: dpkg removes it with the last package
        // that shipped something below it. Nothing else may go missing.
        assert.deepEqual(
          before.filter((path) => !after.includes(path) && path !== 'opt'),
          [],
          'files removed by install and purge',
        );
      });

      await step(
        "Debian's dh-virtualenv 1.2.2 upgrades to ours, which then builds the fixture",
        async (st) => {
          const root = inRoot();
          await root.apt('purge', '--autoremove', 'dh-virtualenv');
          await root.apt('install', 'dh-virtualenv');
          const old = (await root.run(['dpkg-query', '-W', '-f', '${Version}', 'dh-virtualenv'])).trim();
          assert.match(old, /^1\.2\.2-/, "Debian 12's dh-virtualenv");
          const oldFiles = (await root.run(['dpkg', '-L', 'dh-virtualenv'])).split('\n').filter(Boolean);
          await root.apt('install', `/tmp/${basename(deb)}`);
          const status = await root.run([
            'dpkg-query',
            '-W',
            '-f',
            '${Version} ${db:Status-Abbrev}',
            'dh-virtualenv',
          ]);
          assert.equal(status.trim(), `${version} ii`);
          st.diagnostic(`upgraded ${old} -> ${version}`);
          const ours = new Set((await root.run(['dpkg', '-L', 'dh-virtualenv'])).split('\n'));
          const stale = oldFiles.filter((path) => {
            if (ours.has(path)) return false;
            const inRootPath = join(root.dir, path);
            return existsSync(inRootPath) && !statSync(inRootPath).isDirectory();
          });
          assert.deepEqual(stale, [], 'files of 1.2.2 left after the upgrade');
          assert.equal((await root.run(['dh_virtualenv', '--version'])).trim(), `dh_virtualenv ${version}`);
          await root.run(['dpkg-buildpackage', '-us', '-uc', '-b'], `/build/${FIXTURE}`);
        },
      );
    } finally {
      if (process.env.DHVT_E2E_KEEP === '1') t.diagnostic(`DHVT_E2E_KEEP=1: kept ${workDir}`);
      else rmSync(workDir, { recursive: true, force: true });
      t.diagnostic(`clean-system test wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  },
);
