/**
 * The user's path on clean Debian systems, one per supported release (RELEASES): build our .deb once from this
 * tree (debian/, `make install`) and check it with lintian; then, in a freshly bootstrapped root of each
 * release, install it with apt (so its Depends are resolved from that release's archive, with its own nodejs),
 * build a fixture that only says `Build-Depends: dh-sequence-python-virtualenv` (no --with) with each way of
 * making the venv (MODES), and check the packages name no build path, rebuild byte-identical and are clean for
 * the release's lintian; install each, run it as root and as an unprivileged user, purge it, and check nothing
 * is left. Then upgrade the release's own dh-virtualenv 1.2.2 to ours. The releases run side by side.
 *
 * Needs root (mmdebstrap, chroot) and Debian's archive; no other network (the fixture builds from Debian's
 * wheels). DHVT_E2E_ROOT_CACHE=<directory> keeps each bootstrapped root there (<codename>.tar) between local
 * runs; CI starts from nothing. DHVT_E2E_RELEASES=trixie (codenames, comma-separated) runs only those.
 * DHVT_E2E_KEEP=1 keeps the work directory. The full logs are build/clean-system*.log.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { buildPathLeaks } from './clean-output-steps';
import { bootstrapRoot, CommandLog, controlFields, hostRun, type CleanRoot } from './clean-system-root';
import {
  extractDeb,
  keepTemporaryFiles,
  parseTargetPython,
  TARGET_PYTHON_ARGS,
  type TargetPython,
} from './harness';
import { fixturePath, hermeticEnv, repoRoot, runProcess, SYSTEM_PATH } from './processes';
import { seconds, storyOf } from './story';

/** The Debian releases dh-virtualenv supports, each tested in a root of its own. */
interface Release {
  readonly codename: string;
  /** VERSION_ID in its /etc/os-release. */
  readonly version: string;
  /** The major version of its nodejs, which runs our bundle (built for Node 18). */
  readonly node: number;
}

const RELEASES: readonly Release[] = [
  { codename: 'bookworm', version: '12', node: 18 },
  { codename: 'trixie', version: '13', node: 20 },
];

/** The fixture's ways of making the venv: CLEAN_SYSTEM_MODE in its debian/rules. */
interface Mode {
  readonly name: string;
  /** What makes the venv, as the build log says: "creating /opt/venvs/<package> (<creator>, …)". */
  readonly creator: 'virtualenv' | 'venv';
  /** Whether debhelper's dh_auto_* steps (the build system) made it, rather than the add-on's dh_virtualenv. */
  readonly buildSystem: boolean;
}

const MODES: readonly Mode[] = [
  { name: 'virtualenv', creator: 'virtualenv', buildSystem: false },
  { name: 'builtin-venv', creator: 'venv', buildSystem: false },
  { name: 'buildsystem', creator: 'virtualenv', buildSystem: true },
];

const FIXTURE = 'clean-system-hello';
const VENV = `/opt/venvs/${FIXTURE}`;
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

/** RELEASES, or those DHVT_E2E_RELEASES names. */
function releasesToTest(): readonly Release[] {
  const wanted = process.env.DHVT_E2E_RELEASES;
  if (wanted === undefined || wanted.trim() === '') return RELEASES;
  const codenames = wanted.split(',').map((name) => name.trim());
  const unknown = codenames.filter((name) => !RELEASES.some((release) => release.codename === name));
  assert.deepEqual(unknown, [], `DHVT_E2E_RELEASES names releases not in ${RELEASES.map((r) => r.codename)}`);
  return RELEASES.filter((release) => codenames.includes(release.codename));
}

/** dpkg-buildpackage of a copy of this tree, as debian/README.source describes (Debian's esbuild, no npm). */
async function buildOurDeb(log: CommandLog, workDir: string): Promise<string> {
  const repo = repoRoot();
  assertInstalled('esbuild');
  const source = join(workDir, 'dh-virtualenv');
  cpSync(repo, source, {
    recursive: true,
    filter: (path) => dirname(path) !== repo || !NOT_SOURCE.has(basename(path)),
  });
  chmodSync(join(source, 'debian', 'rules'), 0o755);
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

/** What our .deb is, once built: its path on the host and its version. */
interface OurDeb {
  readonly path: string;
  readonly version: string;
}

/** Members of a .deb as dpkg-deb -c lists them, "./opt/venvs/…" (directories with a trailing slash). */
async function debMembers(root: CleanRoot, deb: string): Promise<string[]> {
  const listing = await root.run(['dpkg-deb', '-c', deb]);
  return listing
    .split('\n')
    .filter(Boolean)
    .map((line) => /^(?:\S+\s+){5}(.*?)(?: -> .*)?$/.exec(line)?.[1] ?? line);
}

/**
 * Builds the fixture in `mode` inside the root, deep in a directory whose name needs shell quoting, and again
 * in a plain one; checks the two packages are byte-identical, that nothing in them names the build directory,
 * and what they hold. Returns the first package's path, as seen inside the root.
 */
async function buildFixture(
  root: CleanRoot,
  mode: Mode,
  python: TargetPython,
  st: TestContext,
): Promise<string> {
  const arch = (await root.run(['dpkg', '--print-architecture'])).trim();
  const debs: string[] = [];
  for (const parent of [`/build/${mode.name}/a deep, odd~path`, `/build/${mode.name}-again`]) {
    const source = root.copyIn(fixturePath(FIXTURE), `${parent}/${FIXTURE}`);
    chmodSync(join(root.dir, source, 'debian', 'rules'), 0o755);
    const started = Date.now();
    const argv = ['env', `CLEAN_SYSTEM_MODE=${mode.name}`, 'dpkg-buildpackage', '-us', '-uc', '-b'];
    const build = await root.run(argv, { cwd: source });
    st.diagnostic(`built in ${source} in ${seconds(started)}`);
    assert.match(build, new RegExp(`^dh_virtualenv: ${FIXTURE}: creating ${VENV} \\(${mode.creator}, `, 'm'));
    if (mode.buildSystem) {
      assert.match(build, /^\s+dh_auto_install .*-O--buildsystem=dh_virtualenv$/m, 'dh_auto_install ran');
      assert.doesNotMatch(build, /^\s+dh_virtualenv$/m, 'the add-on ran dh_virtualenv');
    }
    debs.push(`${parent}/${FIXTURE}_1.0.0_${arch}.deb`);
  }
  const [deb = '', again = ''] = debs;
  const tree = await extractDeb(join(root.dir, deb));
  assert.deepEqual(
    await buildPathLeaks(tree, [`${dirname(deb)}/${FIXTURE}`]),
    [],
    'the package names its build',
  );
  assert.ok(
    readFileSync(join(root.dir, deb)).equals(readFileSync(join(root.dir, again))),
    `${deb} and ${again} differ: the build is not reproducible`,
  );

  const members = await debMembers(root, deb);
  for (const wanted of [`bin/${FIXTURE}`, `${python.sitePackages}/clean_system_hello.py`]) {
    assert.ok(members.includes(`.${VENV}/${wanted}`), `the package lacks ${VENV}/${wanted}`);
  }
  // What virtualenv and venv write for a developer's working copy (a .gitignore; virtualenv 20.31's
  // CACHEDIR.TAG) is not shipped.
  const workingCopyFiles = members.filter((path) => /\/(\.gitignore|CACHEDIR\.TAG)$/.test(path));
  assert.deepEqual(workingCopyFiles, [], 'files for a working copy in the package');
  const fields = controlFields(await root.run(['dpkg-deb', '-f', deb]));
  assert.equal(fields.get('Depends'), python.packageName, 'Depends names the interpreter the venv runs');
  const triggers = await root.run(['dpkg-deb', '-I', deb, 'triggers']);
  assert.match(triggers, new RegExp(`^interest-noawait ${python.executable}$`, 'm'));
  return deb;
}

/** Installs the fixture's .deb, runs it as root and as nobody, purges it, and checks nothing is left. */
async function installRunPurge(root: CleanRoot, deb: string, python: TargetPython): Promise<void> {
  const before = root.files();
  await root.apt('install', deb);
  const hello = `hello from ${VENV} (Python ${python.version})`;
  assert.equal((await root.run([FIXTURE])).trim(), hello);
  // The postinst compiled the byte code, so a user who cannot write to the venv runs it as quickly.
  const byteCode = `${VENV}/${python.sitePackages}/__pycache__/clean_system_hello.${python.cacheTag}.pyc`;
  assert.ok(existsSync(join(root.dir, byteCode)), `${byteCode} was not compiled on install`);
  const venvFiles = (): string[] => root.files().filter((path) => path.startsWith(VENV.slice(1)));
  const installed = venvFiles();
  assert.equal((await root.run([FIXTURE], { user: 'nobody' })).trim(), hello);
  assert.deepEqual(venvFiles(), installed, 'running as nobody changed the venv');

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
}

/** One release's story, in a root of its own under `workDir`. */
async function testRelease(t: TestContext, release: Release, workDir: string, ours: OurDeb): Promise<void> {
  const started = Date.now();
  const log = new CommandLog(join(repoRoot(), 'build', `clean-system-${release.codename}.log`));
  t.diagnostic(`full log: ${log.path}`);
  const { step } = storyOf(t);
  let root: CleanRoot | undefined;
  const inRoot = (): CleanRoot => root ?? assert.fail('the root was not bootstrapped');
  let python: TargetPython | undefined;
  const rootPython = (): TargetPython => python ?? assert.fail("the root's python3 was not asked");
  const inside = `/tmp/${basename(ours.path)}`;
  try {
    await step(`mmdebstrap bootstraps a minimal ${release.codename} root from the archive`, async (st) => {
      assertInstalled('mmdebstrap');
      const cacheDir = process.env.DHVT_E2E_ROOT_CACHE;
      root = await bootstrapRoot(join(workDir, release.codename), {
        log,
        codename: release.codename,
        cacheDir,
      });
      const found = await root.tryRun(['sh', '-c', 'command -v node python3 dh']);
      assert.equal(found.stdout.trim(), '', 'the fresh root already has node, python3 or dh');
      const osRelease = await root.run(['sh', '-c', '. /etc/os-release && echo "$VERSION_ID"']);
      assert.equal(osRelease.trim(), release.version);
      st.diagnostic(cacheDir === undefined ? 'bootstrapped from nothing' : `bootstrap cache: ${cacheDir}`);
    });

    await step(
      `apt installs our .deb and resolves its Depends: Debian's nodejs ${release.node}, debhelper, python3`,
      async (st) => {
        const root = inRoot();
        await root.apt('install', root.copyIn(ours.path, inside));
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
        assert.match(nodeVersion, new RegExp(`^v${release.node}\\.`), `Debian ${release.version}'s nodejs`);
        assert.equal(
          (await root.run(['dh_virtualenv', '--version'])).trim(),
          `dh_virtualenv ${ours.version}`,
        );
        const manual = await root.run(['env', 'MANPAGER=cat', 'MANWIDTH=100', 'man', 'dh_virtualenv']);
        assert.match(manual, /--index-url/);
        assert.match(manual, /DH_VIRTUALENV_INSTALL_ROOT/);
        python = parseTargetPython(await root.run(['/usr/bin/python3', ...TARGET_PYTHON_ARGS]));
        st.diagnostic(`dh_virtualenv runs on Node ${nodeVersion}; python3 is ${python.executable}`);
        // Once, for every mode: the fixture's Build-Depends (Debian's wheels, both venv creators).
        const source = root.copyIn(fixturePath(FIXTURE), `/build/${FIXTURE}`);
        await root.apt('build-dep', source);
      },
    );

    const built = new Map<string, string>();
    for (const mode of MODES) {
      await step(
        `CLEAN_SYSTEM_MODE=${mode.name}: builds twice the same, with no build path, Depends on python3.X; ` +
          'installs, runs as root and as nobody, purges clean',
        async (st) => {
          const deb = await buildFixture(inRoot(), mode, rootPython(), st);
          built.set(mode.name, deb);
          await installRunPurge(inRoot(), deb, rootPython());
        },
      );
    }

    await step(
      `${release.codename}'s lintian finds no errors and no warnings in the packages`,
      async (st) => {
        const root = inRoot();
        await root.apt('install', 'lintian');
        // One package at a time: given packages of the same name and version, lintian checks only one of them.
        for (const [mode, deb] of built) {
          const lintian = await root.tryRun(['lintian', '--fail-on', 'error,warning', '--display-info', deb]);
          const tags = lintian.stdout.trim();
          st.diagnostic(`lintian, ${mode}: ${tags === '' ? 'no tags' : tags.replace(/\n/g, '; ')}`);
          assert.equal(lintian.status, 0, `lintian failed on the ${mode} package:\n${lintian.output}`);
          assert.doesNotMatch(tags, /^[EW]: /m);
        }
      },
    );

    await step(
      `Debian ${release.version}'s dh-virtualenv 1.2.2 upgrades to ours, which then builds the fixture`,
      async (st) => {
        const root = inRoot();
        await root.apt('purge', '--autoremove', 'dh-virtualenv');
        await root.apt('install', 'dh-virtualenv');
        const old = (await root.run(['dpkg-query', '-W', '-f', '${Version}', 'dh-virtualenv'])).trim();
        assert.match(old, /^1\.2\.2-/, `Debian ${release.version}'s dh-virtualenv`);
        const oldFiles = (await root.run(['dpkg', '-L', 'dh-virtualenv'])).split('\n').filter(Boolean);
        await root.apt('install', inside);
        const status = await root.run([
          'dpkg-query',
          '-W',
          '-f',
          '${Version} ${db:Status-Abbrev}',
          'dh-virtualenv',
        ]);
        assert.equal(status.trim(), `${ours.version} ii`);
        st.diagnostic(`upgraded ${old} -> ${ours.version}`);
        const newFiles = new Set((await root.run(['dpkg', '-L', 'dh-virtualenv'])).split('\n'));
        const stale = oldFiles.filter((path) => {
          if (newFiles.has(path)) return false;
          const inRootPath = join(root.dir, path);
          return existsSync(inRootPath) && !statSync(inRootPath).isDirectory();
        });
        assert.deepEqual(stale, [], 'files of 1.2.2 left after the upgrade');
        assert.equal(
          (await root.run(['dh_virtualenv', '--version'])).trim(),
          `dh_virtualenv ${ours.version}`,
        );
        await root.run(['dpkg-buildpackage', '-us', '-uc', '-b'], { cwd: `/build/${FIXTURE}` });
      },
    );
  } finally {
    // Removed here, not with the work directory: asynchronously, so that the other releases go on meanwhile.
    if (!keepTemporaryFiles()) await rm(join(workDir, release.codename), { recursive: true, force: true });
    t.diagnostic(`Debian ${release.version} (${release.codename}) wall time: ${seconds(started)}`);
  }
}

test(
  'clean Debian systems: our .deb, a dh-sequence-python-virtualenv package, an upgrade from 1.2.2',
  {
    skip: skipReason(),
    timeout: 30 * 60 * 1000,
    // The releases' roots are independent; most of their time is apt and dpkg waiting on the mirror and disk.
    concurrency: RELEASES.length,
  },
  async (t) => {
    const started = Date.now();
    const log = new CommandLog(join(repoRoot(), 'build', 'clean-system.log'));
    const workDir = mkdtempSync(join(tmpdir(), 'dhvt-clean-system-'));
    t.diagnostic(`full log: ${log.path}; work directory: ${workDir}`);
    const hostEnv = hermeticEnv({ HOME: workDir });
    const { step, failed } = storyOf(t);
    let ours: OurDeb | undefined;
    try {
      await step(
        'dpkg-buildpackage builds dh-virtualenv_<version>_all.deb with the Provides and Depends',
        async (st) => {
          const path = await buildOurDeb(log, workDir);
          const fields = controlFields(await hostRun(log, ['dpkg-deb', '-f', path], hostEnv));
          const version = fields.get('Version') ?? '';
          st.diagnostic(`${basename(path)}: ${statSync(path).size} bytes`);
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
          ours = { path, version };
        },
      );

      await step('lintian finds no errors and no warnings', async (st) => {
        assertInstalled('lintian');
        const deb = ours?.path ?? assert.fail('our .deb was not built');
        const lintian = ['lintian', '--fail-on', 'error,warning', '--display-info', '--pedantic', deb];
        const result = await runProcess(lintian, { env: hostEnv });
        log.add(result);
        const tags = result.stdout.trim();
        st.diagnostic(`lintian: ${tags === '' ? 'no tags' : tags}`);
        assert.equal(result.status, 0, `lintian failed:\n${result.output}`);
        assert.doesNotMatch(tags, /^[EW]: /m);
      });

      const skip = failed() || ours === undefined ? 'our .deb did not build or lintian failed' : false;
      await Promise.all(
        releasesToTest().map((release) =>
          t.test(`Debian ${release.version} (${release.codename})`, { skip }, (rt) =>
            testRelease(rt, release, workDir, ours ?? assert.fail('our .deb was not built')),
          ),
        ),
      );
    } finally {
      if (keepTemporaryFiles()) t.diagnostic(`DHVT_E2E_KEEP=1: kept ${workDir}`);
      else rmSync(workDir, { recursive: true, force: true });
      t.diagnostic(`clean-system test wall time: ${seconds(started)}`);
    }
  },
);
