/**
 * `dh-virtualenv init` on fixture projects (test/fixtures/init-*), each then built with dpkg-buildpackage,
 * checked with lintian, installed, run from PATH and purged: PEP 621 with hatchling and with setuptools,
 * Poetry, setup.cfg only, setup.py only, two console scripts, --service (a hardened systemd unit, checked by
 * systemd-analyze verify and run), and a requirement on psycopg2, whose sdist compiles against libpq. The
 * build backends come from the test index as wheels of Debian's own packages, psycopg2 as a small stand-in
 * sdist; nothing reaches the network.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { lintian } from './clean-output-steps';
import {
  assertNothingLeft,
  debDepends,
  debField,
  hostEnv,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  startSuite,
  targetPython,
  type Suite,
} from './harness';
import {
  assertOnlyDebianChanged,
  controlField,
  debianBackendWheels,
  httpGet,
  passwdEntry,
  runInit,
  treeSnapshot,
  unmetBuildDepends,
} from './init-steps';
import { buildSdistOnly } from './native-distributions';
import { assertSucceeded, runProcess } from './processes';

const TIMEOUT = 10 * 60 * 1000;

interface InitCase {
  readonly what: string;
  readonly fixture: string;
  readonly args: readonly string[];
  readonly packageName: string;
  readonly version: string;
  readonly architecture: 'any' | 'all';
  /** Build-Depends beyond debhelper-compat, dh-sequence-python-virtualenv and the interpreter. */
  readonly moreBuildDepends?: readonly string[];
  /** The interpreter's package in Build-Depends. Default: python3. */
  readonly interpreter?: string;
  readonly venv?: string;
  /** Each console script, run from PATH, and what it must print. */
  readonly scripts: Readonly<Record<string, RegExp>>;
  /** More checks on the installed package. */
  readonly installed?: (t: TestContext, deb: string) => Promise<void>;
}

const PORT = 8642;

/**
 * The service as installed: its user, its unit (systemd-analyze verify), and an answer over HTTP, from
 * systemd where it runs as PID 1, else from the unit's ExecStart run by hand as the unit's user.
 */
async function checkService(t: TestContext, deb: string): Promise<void> {
  const user = await passwdEntry('dhvt-web');
  assert.ok(user !== undefined, 'the postinst did not create the user dhvt-web');
  assert.ok(user.uid < 1000, `dhvt-web is not a system user (uid ${user.uid})`);
  assert.equal(user.home, '/nonexistent');
  assert.match(user.shell, /nologin|false/);

  const listing = await runProcess(['dpkg-deb', '-c', deb], { env: hostEnv() });
  const unitPath = /\.(\/\S*\/systemd\/system\/dhvt-web\.service)$/m.exec(listing.stdout)?.[1];
  assert.ok(unitPath !== undefined, 'no unit file in the package');
  const unit = readFileSync(unitPath, 'utf8');
  for (const setting of [
    'ProtectSystem=strict',
    'NoNewPrivileges=yes',
    'StateDirectory=dhvt-web',
    'User=dhvt-web',
  ]) {
    assert.match(unit, new RegExp(`^${setting}$`, 'm'));
  }
  const verify = await runProcess(['systemd-analyze', 'verify', unitPath], { env: hostEnv() });
  assert.equal(verify.status, 0, `systemd-analyze verify ${unitPath}:\n${verify.output}`);
  assert.deepEqual(
    verify.output.split('\n').filter((line) => line.includes('dhvt-web')),
    [],
    'systemd-analyze verify has something to say about the unit',
  );

  if (existsSync('/run/systemd/system')) {
    // dh_installsystemd's postinst snippet enabled and started it.
    const active = await runProcess(['systemctl', 'is-active', 'dhvt-web.service'], { env: hostEnv() });
    assert.equal(active.stdout.trim(), 'active', active.output);
    assert.match(await httpGet(PORT), /^Hello from dhvt-web 1\.0\.0! Visits so far: 1$/m);
    assert.match(await httpGet(PORT), /Visits so far: 2$/m);
    return;
  }
  t.diagnostic(
    'systemd is not PID 1 here: the unit is verified, and its ExecStart is run by hand as its user',
  );
  const execStart = /^ExecStart=(\S+)$/m.exec(unit)?.[1] ?? assert.fail('no ExecStart');
  const state = mkdtempSync(join(tmpdir(), 'dhvt-web-state-'));
  chownSync(state, user.uid, user.uid);
  const port = await freePort();
  const child = spawn(
    'setpriv',
    ['--reuid=dhvt-web', '--regid=dhvt-web', '--init-groups', '--no-new-privs', execStart],
    {
      env: { ...hostEnv(), STATE_DIRECTORY: state, DHVT_WEB_PORT: String(port) },
      cwd: state,
      stdio: 'ignore',
    },
  );
  try {
    assert.match(await httpGet(port), /^Hello from dhvt-web 1\.0\.0! Visits so far: 1$/m);
    assert.match(await httpGet(port), /Visits so far: 2$/m);
    assert.equal(readFileSync(join(state, 'visits'), 'utf8'), '2', 'the count is kept in STATE_DIRECTORY');
  } finally {
    child.kill();
    rmSync(state, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const CASES: readonly InitCase[] = [
  {
    what: 'PEP 621 with hatchling, the version in a module ([tool.hatch.version])',
    fixture: 'init-hatchling',
    args: [],
    packageName: 'dhvt-hatch',
    version: '0.3.1',
    architecture: 'all',
    scripts: {
      'dhvt-hatch':
        /^dhvt-hatch 0\.3\.1: hello from a hatchling project \(prefix \/opt\/venvs\/dhvt-hatch\)$/,
    },
  },
  {
    what: 'PEP 621 with setuptools, a pre-release version and a requirement',
    fixture: 'init-setuptools',
    args: [],
    packageName: 'dhvt-setuptools',
    version: '1.4.0~rc2',
    architecture: 'any',
    scripts: {
      'dhvt-setuptools': /^dhvt-setuptools: hello from dhvt-greet \(prefix \/opt\/venvs\/dhvt-setuptools\)$/,
    },
  },
  {
    what: "Poetry's [tool.poetry], built by poetry-core",
    fixture: 'init-poetry',
    args: [],
    packageName: 'dhvt-poetry',
    version: '2.0.0~b1',
    architecture: 'any',
    scripts: {
      'dhvt-poetry': /^dhvt-poetry: hello from dhvt-greet at \d\d:\d\d \(prefix \/opt\/venvs\/dhvt-poetry\)$/,
    },
  },
  {
    what: 'setup.cfg only, with --python naming the interpreter',
    fixture: 'init-setupcfg',
    args: ['--python', targetPython().executable],
    packageName: 'dhvt-setupcfg',
    version: '3.1',
    architecture: 'all',
    interpreter: targetPython().packageName,
    scripts: { 'dhvt-setupcfg': /^dhvt-setupcfg 3\.1: 0 words \(prefix \/opt\/venvs\/dhvt-setupcfg\)$/ },
  },
  {
    what: "setup.py only: the metadata setuptools' backend prepares, in a copy",
    fixture: 'init-setuppy',
    args: [],
    packageName: 'dhvt-setuppy',
    version: '1.2.3',
    architecture: 'all',
    scripts: {
      'dhvt-setuppy': /^dhvt-setuppy: today is \d{4}-\d\d-\d\d \(prefix \/opt\/venvs\/dhvt-setuppy\)$/,
    },
  },
  {
    what: 'two console scripts, with --install-root',
    fixture: 'init-two-scripts',
    args: ['--install-root', '/opt/dhvt-venvs'],
    packageName: 'dhvt-two',
    version: '5.0',
    architecture: 'all',
    venv: '/opt/dhvt-venvs/dhvt-two',
    scripts: {
      'dhvt-two-hello': /^dhvt-two-hello: hello \(prefix \/opt\/dhvt-venvs\/dhvt-two\)$/,
      'dhvt-two-bye': /^dhvt-two-bye: goodbye \(prefix \/opt\/dhvt-venvs\/dhvt-two\)$/,
    },
  },
  {
    what: '--service: a systemd unit run by a system user the postinst creates',
    fixture: 'init-service',
    args: ['--service', 'dhvt-web'],
    packageName: 'dhvt-web',
    version: '1.0.0',
    architecture: 'all',
    scripts: { 'dhvt-web --version': /^dhvt-web 1\.0\.0 \(prefix \/opt\/venvs\/dhvt-web\)$/ },
    installed: checkService,
  },
  {
    what: 'a requirement on psycopg2, compiled from its sdist against libpq',
    fixture: 'init-psycopg2',
    args: [],
    packageName: 'dhvt-pg',
    version: '0.9',
    architecture: 'any',
    moreBuildDepends: ['python3-dev', 'libpq-dev'],
    scripts: { 'dhvt-pg': /^dhvt-pg: libpq \d+\.\d+ \(prefix \/opt\/venvs\/dhvt-pg\)$/ },
    installed: async (_t, deb) => {
      assert.ok(
        (await debDepends(deb)).some((dependency) => dependency.startsWith('libpq5')),
        'dh_virtualenv_shlibdeps added libpq5 to Depends',
      );
    },
  },
];

describe('dh-virtualenv init', { concurrency: false }, () => {
  let suite: Suite | undefined;
  let wheels: string | undefined;
  before(async () => {
    wheels = mkdtempSync(join(tmpdir(), 'dhvt-init-dists-'));
    const files = [...(await debianBackendWheels(wheels)), await buildSdistOnly('psycopg2', wheels)];
    suite = await startSuite({ projects: ['dhvt-greet'], files });
  });
  after(async () => {
    await suite?.close();
    if (wheels !== undefined) rmSync(wheels, { recursive: true, force: true });
  });
  const theSuite = (): Suite => suite ?? assert.fail('the suite did not start (see the before hook)');

  for (const item of CASES) {
    test(item.what, { timeout: TIMEOUT }, async (t) => {
      const dir = theSuite().copyFixture(item.fixture);
      const before = treeSnapshot(dir);
      const init = await runInit(theSuite(), dir, item.args);
      assertSucceeded(init, `dh-virtualenv init ${item.args.join(' ')}`);
      assertOnlyDebianChanged(before, treeSnapshot(dir));

      assert.deepEqual(controlField(dir, 'Architecture'), [item.architecture]);
      assert.deepEqual(controlField(dir, 'Build-Depends')[0]?.split(/,\s*/).filter(Boolean), [
        'debhelper-compat (= 13)',
        'dh-sequence-python-virtualenv',
        item.interpreter ?? 'python3',
        ...(item.moreBuildDepends ?? []),
      ]);
      assert.deepEqual(controlField(dir, 'Depends'), [
        `\${misc:Depends}, \${shlibs:Depends}${item.installed === checkService ? ', adduser' : ''}`,
      ]);
      assert.deepEqual(await unmetBuildDepends(dir), [], 'Build-Depends this machine does not have');

      const build = await theSuite().buildSourceDir(dir, { args: ['-d'] });
      const deb = build.deb(item.packageName);
      assert.equal(await debField(deb, 'Version'), item.version);
      const report = await lintian(deb, join(dir, '..'));
      assert.deepEqual(report.errorsAndWarnings, [], `lintian:\n${report.result.stdout}`);

      const venv = item.venv ?? `/opt/venvs/${item.packageName}`;
      await purgeAfter(t, item.packageName);
      await installDeb(deb);
      for (const [command, output] of Object.entries(item.scripts)) {
        const [program = '', ...args] = command.split(' ');
        assert.ok(existsSync(`/usr/bin/${program}`), `/usr/bin/${program} is not there`);
        assert.match((await runInstalled(program, args)).trim(), output, command);
      }
      await item.installed?.(t, deb);
      await purge(item.packageName);
      assertNothingLeft(venv);
      for (const program of Object.keys(item.scripts))
        assert.ok(!existsSync(`/usr/bin/${program.split(' ')[0] ?? ''}`));
      if (item.installed === checkService) {
        assert.ok(!existsSync('/var/lib/dhvt-web'), 'purge left the state directory');
        assert.ok(
          (await passwdEntry('dhvt-web')) !== undefined,
          'purge removed the system user, which stays',
        );
        // The test's own clean-up: the machine is left as it was found.
        assertSucceeded(
          await runProcess(['deluser', '--system', 'dhvt-web'], { env: hostEnv() }),
          'deluser dhvt-web',
        );
      }
    });
  }

  test(
    'what is missing is asked for by its flag; an existing debian/ is left alone',
    { timeout: TIMEOUT },
    async () => {
      const dir = theSuite().copyFixture('init-hatchling');
      const noMaintainer = await runInit(theSuite(), dir, ['--version', 'not-a-version'], {
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
      });
      assert.equal(noMaintainer.status, 2, noMaintainer.output);
      assert.match(
        noMaintainer.stderr,
        /^dh-virtualenv init: error: pyproject\.toml \[project\] does not say everything debian\/ needs, so nothing was written\. Missing: a version dpkg can order \("not-a-version" is not PEP 440\): pass --version VERSION; the maintainer .*: pass --maintainer "NAME <EMAIL>"$/m,
      );
      assert.ok(!existsSync(join(dir, 'debian')), 'debian/ was written after all');

      mkdirSync(join(dir, 'debian'));
      const refused = await runInit(theSuite(), dir, []);
      assert.equal(refused.status, 1, refused.output);
      assert.match(
        refused.stderr,
        /debian exists already and init does not change it: move it away, or pass --force/,
      );
      assertSucceeded(await runInit(theSuite(), dir, ['--force']), 'dh-virtualenv init --force');
      assert.ok(existsSync(join(dir, 'debian', 'control')));
    },
  );
});
