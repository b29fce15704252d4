/**
 * sbuild itself (issue #13, items 4 and 5), as a Debian build daemon builds: `sbuild --chroot-mode=unshare`
 * (no schroot configuration) in a Debian 12 chroot tarball made by mmdebstrap, with the network cut off for
 * the build itself. First our own source package, made by `dpkg-source -b` from the files of a clean clone:
 * sbuild installs its Build-Depends from Debian's archive (esbuild, nodejs, debhelper), bundles the commands
 * with Debian's esbuild and runs the unit tests. Then, with that .deb given to sbuild as an --extra-package, a
 * fixture whose debian/wheelhouse the same package's `dh-virtualenv vendor` filled from the local test index:
 * it builds from the wheelhouse alone, in a network namespace with only the loopback interface. The result is
 * installed on this machine with dpkg -i, run and purged.
 *
 * Not part of `npm test`: the chroot comes from Debian's archive, and sbuild installs the Build-Depends from it
 * for each build. Run it with `npm run test:sbuild` (docs/offline.md), as root, where the machine has
 * sbuild, mmdebstrap and uidmap installed and root has a range in /etc/subuid and /etc/subgid (unshare mode
 * maps the chroot's users there). The tarball is sbuild's default for unshare mode,
 * ~/.cache/sbuild/bookworm-amd64.tar.zst; when missing, mmdebstrap makes it first (a minute or two).
 * DHVT_SBUILD_TARBALL names another. The full log, sbuild's build logs included, is build/sbuild.log;
 * DHVT_E2E_KEEP=1 keeps the work directory.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { CommandLog, controlFields, debianArchiveSources, hostRun } from '../e2e/clean-system-root';
import {
  assertNothingLeft,
  extractDeb,
  installDeb,
  keepTemporaryFiles,
  purge,
  purgeAfter,
  runInstalled,
} from '../e2e/harness';
import { startPackageIndex } from '../e2e/package-index';
import { fixturePath, hermeticEnv, repoRoot, runProcess, SYSTEM_PATH, type Env } from '../e2e/processes';
import { exportSourceTree } from '../e2e/source-files';
import { seconds, storyOf } from '../e2e/story';

const CODENAME = 'bookworm';
const FIXTURE = 'sbuild-vendored';
const PACKAGE = 'dhvt-sbuild-vendored';
const VENV = `/opt/venvs/${PACKAGE}`;
/** Every command the test runs, with its output, and sbuild's build logs. */
const LOG = join(repoRoot(), 'build', 'sbuild.log');

/** Programs the test runs, and the Debian package each comes from. */
const TOOLS: readonly (readonly [program: string, packageName: string])[] = [
  ['sbuild', 'sbuild'],
  ['mmdebstrap', 'mmdebstrap'],
  ['newuidmap', 'uidmap'],
  ['zstd', 'zstd'],
  ['dpkg-source', 'dpkg-dev'],
];

/**
 * Where sbuild looks for the chroot of `-d bookworm` in unshare mode: $XDG_CACHE_HOME/sbuild, else
 * ~/.cache/sbuild, a tarball named <distribution>-<architecture>.t*. DHVT_SBUILD_TARBALL overrides it.
 */
function chrootTarball(arch: string): string {
  const named = process.env.DHVT_SBUILD_TARBALL;
  if (named !== undefined && named !== '') return named;
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'sbuild', `${CODENAME}-${arch}.tar.zst`);
}

/** Fails with the command that installs what is missing, or sets up what unshare mode needs. */
function assertPrerequisites(): void {
  const missing = TOOLS.filter(
    ([program]) => !SYSTEM_PATH.split(':').some((dir) => existsSync(join(dir, program))),
  );
  assert.deepEqual(
    missing.map(([program]) => program),
    [],
    `missing programs: apt-get install --no-install-recommends ${missing.map(([, name]) => name).join(' ')}`,
  );
  // sbuild maps the chroot's users to the ranges /etc/subuid and /etc/subgid give the user running it.
  for (const file of ['/etc/subuid', '/etc/subgid']) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    assert.match(
      text,
      /^root:\d+:\d+$/m,
      `${file} has no range for root, which sbuild's unshare mode needs: run ` +
        '"usermod --add-subuids 100000-165535 --add-subgids 100000-165535 root" (a range no other user has)',
    );
  }
}

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (dpkg -i of the package sbuild built); run it as root';
  return false;
}

/**
 * mmdebstrap makes the chroot tarball as its manual page shows for sbuild's unshare mode (variant buildd:
 * the essential packages, apt and build-essential), from the Debian archive the host uses (deb.debian.org if it
 * names none), without device nodes (sbuild binds the host's into the chroot). It is written under a name
 * sbuild does not look for first and renamed, so an interrupted run leaves nothing sbuild would take.
 */
async function makeChrootTarball(log: CommandLog, tarball: string, env: Env): Promise<void> {
  mkdirSync(dirname(tarball), { recursive: true });
  const partial = join(dirname(tarball), `.${basename(tarball).replace(/\.tar\.zst$/, '')}.partial.tar.zst`);
  const argv = ['mmdebstrap', '--variant=buildd', '--skip=output/dev', CODENAME, partial];
  const sources = debianArchiveSources(CODENAME);
  if (sources !== undefined) {
    const sourcesFile = `${partial}.sources`;
    writeFileSync(sourcesFile, sources);
    argv.push(sourcesFile);
  }
  try {
    await hostRun(log, argv, env);
    renameSync(partial, tarball);
  } finally {
    rmSync(partial, { force: true });
    rmSync(`${partial}.sources`, { force: true });
  }
}

/** `dpkg-source -b` of the tree `dir`, next to it; returns the .dsc's path. */
async function sourcePackage(log: CommandLog, dir: string, env: Env): Promise<string> {
  const output = await hostRun(log, ['dpkg-source', '-b', basename(dir)], env, dirname(dir));
  const dsc = /building \S+ in (\S+\.dsc)$/m.exec(output)?.[1];
  assert.ok(dsc !== undefined, `dpkg-source -b wrote no .dsc:\n${output}`);
  return join(dirname(dir), dsc);
}

interface SbuildResult {
  /** sbuild's build log (<package>_<version>_<arch>.build), as it wrote it. */
  readonly log: string;
  /** The .debs it wrote, by binary package name. */
  readonly debs: ReadonlyMap<string, string>;
}

/**
 * sbuild of `dsc` in unshare mode, with the tarball given by path and no ~/.sbuildrc of the machine's
 * (SBUILD_CONFIG names the test's own); lintian, piuparts and autopkgtest are left to other tests. The results
 * land next to the .dsc.
 */
async function sbuild(
  log: CommandLog,
  dsc: string,
  options: { tarball: string; env: Env; extraPackages?: readonly string[] },
): Promise<SbuildResult> {
  const dir = dirname(dsc);
  const before = new Set(readdirSync(dir));
  const argv = [
    'sbuild',
    '--chroot-mode=unshare',
    `--chroot=${options.tarball}`,
    `--dist=${CODENAME}`,
    '--no-run-lintian',
    '--no-run-piuparts',
    '--no-run-autopkgtest',
    ...(options.extraPackages ?? []).map((deb) => `--extra-package=${deb}`),
    basename(dsc),
  ];
  const result = await runProcess(argv, { env: options.env, cwd: dir });
  log.add(result, `(cd ${dir}) `);
  const written = readdirSync(dir).filter((name) => !before.has(name));
  const buildLogName = written.find((name) => /^[^_]+_[^_]+_[^_.]+\.build$/.test(name));
  const buildLog = buildLogName === undefined ? '' : readFileSync(join(dir, buildLogName), 'utf8');
  log.addFile(buildLogName ?? `no build log of ${basename(dsc)}`, buildLog);
  assert.equal(
    result.status,
    0,
    `sbuild of ${basename(dsc)} failed (exit code ${result.status ?? 'none'}); the end of its build log:\n` +
      buildLog.trimEnd().split('\n').slice(-60).join('\n'),
  );
  assertLogLine(buildLog, /^Status: successful$/m, `sbuild of ${basename(dsc)} succeeded`);
  const debs = new Map(
    written
      .filter((name) => name.endsWith('.deb'))
      .map((name) => [name.split('_')[0] ?? name, join(dir, name)] as const),
  );
  return { log: buildLog, debs };
}

/** Fails unless a line of sbuild's build log matches `pattern`; names the full log rather than quoting it. */
function assertLogLine(buildLog: string, pattern: RegExp, what: string): void {
  assert.ok(
    pattern.test(buildLog),
    `${what}: no line of the build log matches ${String(pattern)} (see ${LOG})`,
  );
}

/** The names and versions in a wheelhouse lock, as "name version use" lines. */
function lockedLines(text: string): string[] {
  return [...text.matchAll(/name = "(.*)"\nversion = "(.*)"\nfile = ".*"\nsha256 = ".*"\nuse = "(.*)"/g)].map(
    (match) => `${match[1]} ${match[2]} ${match[3]}`,
  );
}

test(
  `sbuild in a ${CODENAME} chroot: our own package from its source, then a vendored package with no network`,
  { skip: skipReason(), timeout: 45 * 60 * 1000 },
  async (t) => {
    const started = Date.now();
    const log = new CommandLog(LOG);
    const workDir = mkdtempSync(join(tmpdir(), 'dhvt-sbuild-'));
    t.diagnostic(`full log: ${log.path}; work directory: ${workDir}`);
    const home = join(workDir, 'home');
    mkdirSync(home);
    const sbuildrc = join(workDir, 'sbuildrc');
    // As a build daemon does, dpkg-buildpackage runs as an unprivileged user of the chroot (sbuild's default is
    // the user running sbuild, root here). Every other setting is on the command line.
    writeFileSync(sbuildrc, "$build_user = 'sbuild';\n1;\n");
    const env = hermeticEnv({ HOME: home, SBUILD_CONFIG: sbuildrc });
    const { step } = storyOf(t);
    let tarball = '';
    let ours = '';
    let extracted = '';
    let fixtureDsc = '';
    let fixtureDeb = '';
    try {
      await step(`the ${CODENAME} chroot tarball is there, or mmdebstrap makes it`, async (st) => {
        assertPrerequisites();
        const arch = (await hostRun(log, ['dpkg', '--print-architecture'], env)).trim();
        tarball = chrootTarball(arch);
        if (existsSync(tarball)) {
          st.diagnostic(
            `reusing ${tarball} (${statSync(tarball).mtime.toISOString()}); delete it to make it anew`,
          );
          return;
        }
        const since = Date.now();
        await makeChrootTarball(log, tarball, hermeticEnv({ HOME: homedir() }));
        st.diagnostic(`mmdebstrap made ${tarball} (${statSync(tarball).size} bytes) in ${seconds(since)}`);
      });

      await step(
        "sbuild builds dh-virtualenv from its source package: Debian's esbuild and nodejs, the unit tests",
        async (st) => {
          const since = Date.now();
          const source = join(workDir, 'own', 'dh-virtualenv');
          exportSourceTree(repoRoot(), source);
          assert.equal(existsSync(join(source, 'node_modules')), false);
          const dsc = await sourcePackage(log, source, env);
          const built = await sbuild(log, dsc, { tarball, env });
          st.diagnostic(`built in ${seconds(since)}`);
          assertLogLine(
            built.log,
            /^build\.mjs: bundling with \/usr\/bin\/esbuild \d/m,
            "Debian's esbuild bundled",
          );
          const passed = Number(/^ℹ pass (\d+)$/m.exec(built.log)?.[1] ?? 0);
          assert.ok(passed > 100, `the unit tests did not run in dh_auto_test (${passed} passed)`);
          assertLogLine(built.log, /^ℹ fail 0$/m, 'no unit test failed');
          assertLogLine(built.log, /^USER=sbuild$/m, 'dpkg-buildpackage ran as the unprivileged user');
          ours =
            built.debs.get('dh-virtualenv') ??
            assert.fail(`no dh-virtualenv .deb: ${[...built.debs.keys()]}`);
          const version = controlFields(await hostRun(log, ['dpkg-deb', '-f', ours], env)).get('Version');
          st.diagnostic(`${basename(ours)}: version ${version ?? '?'}; ${passed} unit tests passed`);
        },
      );

      await step(
        "dh-virtualenv vendor, from that package, fills the fixture's debian/wheelhouse from the test index",
        async (st) => {
          extracted = await extractDeb(ours);
          const source = join(workDir, 'fixture', FIXTURE);
          cpSync(fixturePath(FIXTURE), source, { recursive: true });
          chmodSync(join(source, 'debian', 'rules'), 0o755);
          const index = await startPackageIndex({ projects: ['dhvt-greet'] });
          try {
            await hostRun(
              log,
              [join(extracted, 'usr', 'bin', 'dh-virtualenv'), 'vendor'],
              { ...env, PIP_INDEX_URL: index.url },
              source,
            );
          } finally {
            await index.close();
          }
          const lines = lockedLines(readFileSync(join(source, 'debian', 'wheelhouse', 'lock.toml'), 'utf8'));
          st.diagnostic(`debian/wheelhouse/lock.toml: ${lines.join('; ')}`);
          assert.ok(lines.includes('dhvt-greet 1.0 install'), lines.join('\n'));
          fixtureDsc = await sourcePackage(log, source, env);
        },
      );

      await step(
        'sbuild builds it with our .deb as --extra-package, from the wheelhouse alone, with only the loopback',
        async (st) => {
          const since = Date.now();
          const built = await sbuild(log, fixtureDsc, { tarball, env, extraPackages: [ours] });
          st.diagnostic(`built in ${seconds(since)}`);
          // The fixture's debian/rules lists the network interfaces dh_virtualenv ran with.
          const interfaces = /^network interfaces: .*$/m.exec(built.log)?.[0];
          assert.equal(interfaces, 'network interfaces: lo ', 'the build had a network');
          assertLogLine(
            built.log,
            /^dh_virtualenv: building from debian\/wheelhouse alone: \d+ files checked against debian\/wheelhouse\/lock\.toml/m,
            'dh_virtualenv said it built from the wheelhouse',
          );
          const version =
            controlFields(await hostRun(log, ['dpkg-deb', '-f', ours], env)).get('Version') ?? '';
          const installed = /^Package versions: .*\bdh-virtualenv_(\S+)/m.exec(built.log)?.[1];
          assert.equal(installed, version, 'the build used another dh-virtualenv than ours');
          assertLogLine(built.log, /^USER=sbuild$/m, 'dpkg-buildpackage ran as the unprivileged user');
          fixtureDeb =
            built.debs.get(PACKAGE) ?? assert.fail(`no ${PACKAGE} .deb: ${[...built.debs.keys()]}`);
        },
      );

      await step('dpkg -i installs the package here; it runs; dpkg --purge leaves nothing', async (st) => {
        await purgeAfter(st, PACKAGE);
        await installDeb(fixtureDeb);
        const output = await runInstalled(join(VENV, 'bin', PACKAGE));
        st.diagnostic(output.trim());
        assert.equal(output.trim(), `${PACKAGE}: hello from dhvt-greet (dhvt-greet 1.0)`);
        await purge(PACKAGE);
        assertNothingLeft(VENV);
      });
    } finally {
      if (keepTemporaryFiles()) t.diagnostic(`DHVT_E2E_KEEP=1: kept ${workDir}`);
      else rmSync(workDir, { recursive: true, force: true });
      t.diagnostic(`sbuild test wall time: ${seconds(started)}`);
    }
  },
);
