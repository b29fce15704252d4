/**
 * The catalogue of bad input and faults (issue #14): dh_virtualenv run by itself in a copy of
 * test/fixtures/hello, as debian/rules would run it, once per case. A case ends either in a non-zero exit with
 * one `dh_virtualenv: error:` line naming what is wrong and the way out, or in a documented success. Either
 * way no Python traceback or Node stack trace reaches the user, nothing in the source tree changes but the
 * files dh_virtualenv owns (debian/<pkg>, its .debhelper files and substvars), and nothing changes at the
 * package's install location on this machine (other packages' venvs may come and go: tests share the host).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  debListing,
  dpkgRun,
  extractDeb,
  purgeAfter,
  runInstalled,
  targetPython,
  useSuite,
  type Suite,
} from './harness';
import {
  assertSucceeded,
  describeResult,
  fixturePath,
  hermeticEnv,
  runProcess,
  type ProcessResult,
} from './processes';

const TIMEOUT = 3 * 60 * 1000;
const PKG = 'dhvt-hello';
type Env = Record<string, string>;

/** What dh_virtualenv owns in the source tree: its output, which a case may leave behind. */
function ownedByTheTool(path: string): boolean {
  return (
    path === `debian/${PKG}` ||
    path.startsWith(`debian/${PKG}/`) ||
    path.startsWith('debian/.debhelper') ||
    path.startsWith(`debian/${PKG}.`)
  );
}

/** Every path under `dir` with its type and content hash (symlinks by target), for before/after checks. */
function treeState(dir: string, keep: (path: string) => boolean = () => true): string[] {
  const state: string[] = [];
  const walk = (relativeDir: string): void => {
    const absolute = join(dir, relativeDir);
    for (const name of readdirSync(absolute).sort()) {
      const path = relativeDir === '' ? name : `${relativeDir}/${name}`;
      if (!keep(path)) continue;
      const full = join(dir, path);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) state.push(`${path} -> ${readlinkSync(full)}`);
      else if (stat.isDirectory()) {
        state.push(`${path}/`);
        walk(path);
      } else {
        const hash = createHash('sha256').update(readFileSync(full)).digest('hex').slice(0, 16);
        state.push(`${path} ${(stat.mode & 0o7777).toString(8)} ${hash}`);
      }
    }
  };
  walk('');
  return state;
}

interface Case {
  readonly what: string;
  readonly args?: readonly string[];
  readonly env?: Env;
  /** Changes the copy of the fixture before the run; what it returns, if an array, are extra arguments. */
  readonly setup?: (dir: string, suite: Suite) => unknown;
  /** An error: the exit code and the `dh_virtualenv: error:` line. */
  readonly error?: { readonly status: number; readonly message: RegExp };
  /** A documented success: what must hold afterwards. */
  readonly success?: (dir: string, result: ProcessResult) => void | Promise<void>;
  /** The source-tree check is skipped where the case itself changes the tree on purpose (a loop, a mode). */
  readonly sourceTreeChanges?: true;
}

const staging = (dir: string): string => join(dir, 'debian', PKG, 'opt', 'venvs', PKG);
const site = (dir: string): string => join(staging(dir), targetPython().sitePackages);

function writeExecutable(path: string, text: string): string {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

/** A server on 127.0.0.1 that answers every request the same way, for the broken-index cases. */
async function answeringServer(status: number, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'Content-Type': 'text/html' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`, server };
}

/** pip retries for a minute by default; one quick try is enough to see the failure. */
const QUICK_PIP: Env = { PIP_RETRIES: '0', PIP_TIMEOUT: '5' };

const servers: { broken?: string; garbage?: string } = {};

const CASES: readonly Case[] = [
  // The command line.
  {
    what: 'an unknown option',
    args: ['--frobnicate'],
    error: { status: 2, message: /unknown option --frobnicate\b/ },
  },
  {
    what: 'an option missing its value',
    args: ['--python'],
    error: { status: 2, message: /option --python needs a value \(PYTHON|option --python needs a value/ },
  },
  {
    what: 'an ambiguous abbreviation',
    args: ['--up'],
    error: { status: 2, message: /option --up is ambiguous: it could be --upgrade-pip, --upgrade-pip-to/ },
  },
  {
    what: 'an abbreviation as upstream accepted it (--index=URL): the same as --index-url',
    setup: (_dir, suite) => [`--index=${suite.index.url}`],
    env: { PIP_INDEX_URL: 'http://127.0.0.1:9/not-this-one/' },
    success: (dir) => assert.ok(existsSync(join(site(dir), 'dhvt_greet'))),
  },
  {
    what: 'a stray word',
    args: ['stray'],
    error: { status: 2, message: /unexpected argument "stray"; dh_virtualenv takes only options/ },
  },
  {
    what: '--pypi-url with --index-url',
    args: ['--pypi-url=http://127.0.0.1:9/a/', '--index-url=http://127.0.0.1:9/b/'],
    error: {
      status: 2,
      message: /--pypi-url and --index-url cannot be used together; keep only --index-url/,
    },
  },
  {
    what: '--no-test with --setuptools-test',
    args: ['--no-test', '--setuptools-test'],
    error: { status: 2, message: /--no-test and --setuptools-test cannot be used together; drop --no-test/ },
  },
  {
    what: '--setuptools with --builtin-venv',
    args: ['--setuptools', '--builtin-venv'],
    error: { status: 2, message: /--setuptools and --builtin-venv cannot be used together/ },
  },
  {
    what: '--without-pip with --upgrade-pip',
    args: ['--without-pip', '--upgrade-pip'],
    error: { status: 2, message: /--without-pip and --upgrade-pip cannot be used together/ },
  },
  {
    what: 'an unknown --installer',
    args: ['--installer=poetry'],
    error: { status: 2, message: /--installer "poetry": expected one of pip, uv/ },
  },
  {
    what: '--installer uv with --pip-tool',
    args: ['--installer=uv', '--pip-tool=pip-sync'],
    error: { status: 2, message: /--installer uv and --pip-tool cannot be used together/ },
  },
  {
    what: '--upgrade-pip-to with something that is no version',
    args: ['--upgrade-pip-to=soon'],
    error: { status: 2, message: /--upgrade-pip-to "soon" is not a version/ },
  },
  {
    what: '--pip-tool with a path',
    args: ['--pip-tool=/usr/bin/pip'],
    error: {
      status: 2,
      message: /--pip-tool "\/usr\/bin\/pip" must be the name of a program in the virtualenv's bin\//,
    },
  },
  {
    what: '--install-suffix leaving the install root',
    args: ['--install-suffix=../etc'],
    error: {
      status: 2,
      message: /--install-suffix "\.\.\/etc" must be a relative directory name inside the install root/,
    },
  },
  {
    what: '--install-suffix that is absolute',
    args: ['--install-suffix=/srv/app'],
    error: { status: 2, message: /--install-suffix "\/srv\/app" must be a relative directory name/ },
  },
  {
    what: 'DH_VIRTUALENV_INSTALL_ROOT that is not absolute',
    env: { DH_VIRTUALENV_INSTALL_ROOT: 'venvs' },
    error: { status: 2, message: /DH_VIRTUALENV_INSTALL_ROOT must be an absolute path/ },
  },
  {
    what: 'DH_VIRTUALENV_INSTALL_ROOT that is /',
    env: { DH_VIRTUALENV_INSTALL_ROOT: '/' },
    error: { status: 2, message: /DH_VIRTUALENV_INSTALL_ROOT cannot be "\/"/ },
  },
  {
    what: 'DH_VIRTUALENV_INSTALL_ROOT with a space (it would break the maintainer scripts)',
    env: { DH_VIRTUALENV_INSTALL_ROOT: '/opt/my venvs' },
    error: { status: 2, message: /DH_VIRTUALENV_INSTALL_ROOT must be an absolute path of letters/ },
  },
  // The interpreter.
  {
    what: '--python that does not exist',
    args: ['--python', '/nonexistent/python3'],
    error: { status: 1, message: /--python \/nonexistent\/python3: the interpreter does not exist/ },
  },
  {
    what: '--python that is not on PATH',
    args: ['--python', 'python2.6'],
    error: { status: 1, message: /--python python2\.6: the interpreter is not on PATH/ },
  },
  {
    what: '--python that is not a Python',
    args: ['--python', '/bin/true'],
    error: {
      status: 1,
      message: /--python \/bin\/true answered "" when asked for its version: it is not a Python/,
    },
  },
  {
    what: '--python that is Python 2',
    setup: (dir) => ['--python', writeExecutable(join(dir, 'python2.7'), '#!/bin/sh\necho 2.7\n')],
    error: { status: 1, message: /python2\.7 is Python 2\.7; a virtualenv needs Python 3\.7 or later/ },
  },
  {
    what: '--python that no Debian package owns (a pyenv shim, a build in /usr/local)',
    setup: (dir) => [
      '--python',
      writeExecutable(join(dir, 'python3'), `#!/bin/sh\nexec /usr/bin/python3 "$@"\n`),
    ],
    error: {
      status: 1,
      message: /--python \S+\/python3 belongs to no Debian package, .*pass --allow-unpackaged-python/,
    },
  },
  {
    what: 'an interpreter not from a package, with --allow-unpackaged-python: built, with a warning',
    setup: (dir) => [
      '--allow-unpackaged-python',
      '--python',
      writeExecutable(join(dir, 'python3'), `#!/bin/sh\nexec /usr/bin/python3 "$@"\n`),
    ],
    success: (dir, result) => {
      assert.match(
        result.stderr,
        /warning: \S+ belongs to no Debian package, so \$\{misc:Depends\} names no interpreter/,
      );
      assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
    },
  },
  {
    what: 'an activated virtualenv in the environment',
    env: { VIRTUAL_ENV: '/tmp/some-venv' },
    error: { status: 1, message: /running inside the virtualenv \/tmp\/some-venv; run "deactivate"/ },
  },
  // The source package.
  {
    what: 'no debian/control',
    setup: (dir) => rmSync(join(dir, 'debian', 'control')),
    error: {
      status: 1,
      message: /debian\/control not found in \S+; run dh_virtualenv from the top of the source package/,
    },
  },
  {
    what: 'a debian/control that is not one',
    setup: (dir) => writeFileSync(join(dir, 'debian', 'control'), 'this is not\na control file {\n'),
    error: { status: 1, message: /dh_listpackages returned exit code/ },
  },
  {
    what: '-p naming a package that does not exist',
    args: ['-p', 'dhvt-no-such-package'],
    error: { status: 1, message: /dh_listpackages returned exit code/ },
  },
  {
    what: 'no package selected (-N the only one): nothing to do, and nothing done',
    args: ['-N', PKG],
    success: (dir) => assert.equal(existsSync(join(dir, 'debian', PKG)), false),
  },
  {
    what: 'no setup.py or pyproject.toml while the project is to be installed',
    setup: (dir) => rmSync(join(dir, 'setup.py')),
    error: {
      status: 1,
      message:
        /dhvt-hello: finding the project failed: no setup\.py or pyproject\.toml in \S+.*--skip-install/,
    },
  },
  {
    what: 'a project whose build fails',
    setup: (dir) =>
      writeFileSync(join(dir, 'setup.py'), 'raise SystemExit("this setup.py refuses to build")\n'),
    error: {
      status: 1,
      message: /dhvt-hello: installing the project failed: \S+\/bin\/python returned exit code 1/,
    },
  },
  {
    what: 'a project whose build writes build/ and *.egg-info into the source tree: left as it was',
    success: (dir) => {
      assert.equal(existsSync(join(dir, 'build')), false);
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.endsWith('.egg-info')),
        [],
      );
    },
  },
  {
    what: 'a symlink loop and a dangling symlink in the source tree: built all the same',
    setup: (dir) => {
      symlinkSync('loop-b', join(dir, 'loop-a'));
      symlinkSync('loop-a', join(dir, 'loop-b'));
      symlinkSync('/nonexistent/target', join(dir, 'dangling'));
    },
    success: (dir) => assert.ok(existsSync(join(site(dir), 'dhvt_greet'))),
  },
  {
    what: 'a source directory with spaces and quotes in its path: built, scripts point at the venv',
    setup: (dir) => {
      // The run happens in the copy; its parent directory gets the odd name.
      const odd = join(dir, `my "odd" project's dir`);
      mkdirSync(odd);
      for (const name of ['setup.py', 'dhvt_hello.py', 'requirements.txt']) {
        writeFileSync(join(odd, name), readFileSync(join(dir, name)));
      }
      return ['-D', odd];
    },
    success: (dir) => {
      const script = readFileSync(join(staging(dir), 'bin', PKG), 'utf8');
      assert.match(script, new RegExp(`^#!/opt/venvs/${PKG}/bin/python\\n`));
    },
  },
  // Requirements and indexes.
  {
    what: '--requirements naming a file that does not exist',
    args: ['--requirements', 'missing.txt'],
    error: {
      status: 1,
      message: /--requirements missing\.txt: \S+\/missing\.txt does not exist; fix the path/,
    },
  },
  {
    what: '--requirements naming a directory',
    setup: (dir) => {
      mkdirSync(join(dir, 'reqs'));
      return ['--requirements', 'reqs'];
    },
    error: {
      status: 1,
      message: /dhvt-hello: reading the requirements failed: --requirements reqs: \S+\/reqs is not a file/,
    },
  },
  {
    what: 'a requirements file with a syntax error',
    setup: (dir) => writeFileSync(join(dir, 'requirements.txt'), 'dhvt-greet===\n--no-such-pip-option\n'),
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed: \S+ returned exit code/ },
  },
  {
    what: 'a requirement that is on no index',
    setup: (dir) => writeFileSync(join(dir, 'requirements.txt'), 'dhvt-not-on-any-index\n'),
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed/ },
  },
  {
    what: 'an unsatisfiable pin',
    setup: (dir) => writeFileSync(join(dir, 'requirements.txt'), 'dhvt-greet==99.0\n'),
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed/ },
  },
  {
    what: 'a hash that does not match',
    setup: (dir) =>
      writeFileSync(join(dir, 'requirements.txt'), `dhvt-greet==1.0 --hash=sha256:${'0'.repeat(64)}\n`),
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed/ },
  },
  {
    what: 'an index nobody answers on',
    args: ['--index-url=http://127.0.0.1:9/simple/'],
    env: QUICK_PIP,
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed/ },
  },
  {
    what: 'an index that answers 500',
    setup: () => [`--index-url=${servers.broken ?? ''}`],
    env: QUICK_PIP,
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed/ },
  },
  {
    what: 'an index that answers garbage',
    setup: () => [`--index-url=${servers.garbage ?? ''}`],
    env: QUICK_PIP,
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed/ },
  },
  {
    what: 'an editable requirement pointing into the source tree',
    setup: (dir) => {
      mkdirSync(join(dir, 'lib'));
      writeFileSync(
        join(dir, 'lib', 'setup.py'),
        'from setuptools import setup\nsetup(name="dhvt-editable-lib", version="1.0", py_modules=[])\n',
      );
      writeFileSync(join(dir, 'requirements.txt'), 'dhvt-greet\n-e ./lib\n');
    },
    error: {
      status: 1,
      message:
        /dhvt-hello: reading the requirements failed: requirements\.txt:2: "-e \.\/lib" is an editable requirement.*drop -e/,
    },
  },
  // The build host's environment.
  {
    what: 'PIP_TARGET, PIP_USER, PIP_PREFIX and PYTHONPATH on the build host: ignored, the venv is built',
    env: {
      PIP_TARGET: '/tmp/dhvt-not-here',
      PIP_USER: '1',
      PIP_PREFIX: '/tmp/dhvt-not-here',
      PYTHONPATH: '/nonexistent',
    },
    success: (dir) => {
      assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
      assert.equal(existsSync('/tmp/dhvt-not-here'), false);
    },
  },
  {
    what: 'a credential in --index-url: never printed, not on the command line, not in the venv',
    setup: (_dir, suite) => [
      `--index-url=${suite.index.url.replace('://', '://dhvt-user:dhvt-SECRET@')}`,
      '-v',
    ],
    success: async (dir, result) => {
      assert.doesNotMatch(result.output, /dhvt-SECRET/);
      assert.match(result.output, /dhvt-user:\*\*\*\*@|Looking in indexes/);
      const grep = await runProcess(['grep', '-r', '-l', 'dhvt-SECRET', '.'], {
        cwd: staging(dir),
        env: hermeticEnv({ HOME: tmpdir() }),
      });
      assert.equal(grep.stdout, '', `files of the venv holding the secret: ${grep.stdout}`);
    },
  },
];

describe(
  'bad input and faults: one clear error, or a documented success, and nothing lost',
  { concurrency: false },
  () => {
    const suite = useSuite({ projects: ['dhvt-greet'] });
    const started: Server[] = [];
    before(async () => {
      const broken = await answeringServer(500, 'Internal Server Error');
      const garbage = await answeringServer(200, '<html><body>\u0000\u0001 not an index <a href=</body>');
      servers.broken = broken.url;
      servers.garbage = garbage.url;
      started.push(broken.server, garbage.server);
    });
    after(() => Promise.all(started.map((server) => new Promise((resolve) => server.close(resolve)))));

    test('the catalogue holds at least 40 cases', () =>
      assert.ok(CASES.length >= 40, `${CASES.length} cases`));

    for (const entry of CASES) {
      test(entry.what, { timeout: TIMEOUT }, async () => {
        const dir = suite().copyFixture('hello');
        const made = entry.setup?.(dir, suite());
        const extra = Array.isArray(made) ? made.map(String) : [];
        const sourceBefore = treeState(dir, (path) => !ownedByTheTool(path));
        const installed = `/opt/venvs/${PKG}`;
        const installedBefore = existsSync(installed) ? treeState(installed) : [];
        const result = await suite().runDhVirtualenv(dir, [...(entry.args ?? []), ...extra], entry.env ?? {});

        if (entry.error !== undefined) {
          assert.equal(result.status, entry.error.status, describeResult(result));
          const errors = result.stderr
            .split('\n')
            .filter((line) => line.startsWith('dh_virtualenv: error: '));
          assert.equal(errors.length, 1, `one error line:\n${result.stderr}`);
          assert.match(errors[0] ?? '', entry.error.message);
        } else {
          assert.equal(result.status, 0, describeResult(result));
          await entry.success?.(dir, result);
        }
        assert.doesNotMatch(result.stderr, /^\s+at .*\(\/|^\s+at \S+:\d+:\d+$/m, 'a Node stack trace');
        assert.doesNotMatch(result.stderr, /^dh_virtualenv.*Traceback/m);
        if (entry.sourceTreeChanges !== true) {
          assert.deepEqual(
            treeState(dir, (path) => !ownedByTheTool(path)),
            sourceBefore,
            'the source tree changed',
          );
        }
        // What dh_virtualenv could touch of the installed system: the place its package installs to.
        assert.deepEqual(
          existsSync(installed) ? treeState(installed) : [],
          installedBefore,
          `${installed} changed`,
        );
      });
    }
  },
);

describe(
  'faults: interruption, a full disk, two builds at once, and what the package holds',
  { concurrency: false },
  () => {
    const suite = useSuite({ projects: ['dhvt-greet'] });

    test(
      'SIGTERM while pip runs stops the build; a second run builds from a clean venv',
      { timeout: TIMEOUT },
      async () => {
        const dir = suite().copyFixture('hello');
        // Its own process group, as make and dpkg-buildpackage run it: the signal reaches pip too.
        const child = spawn(suite().dhVirtualenv, [], {
          cwd: dir,
          env: suite().env({ PIP_INDEX_URL: suite().index.url }),
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const ended = new Promise<number | null>((resolve) =>
          child.once('close', (status) => resolve(status)),
        );
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          if (chunk.includes('installing requirements.txt') && child.pid !== undefined)
            process.kill(-child.pid, 'SIGTERM');
        });
        assert.notEqual(await ended, 0, 'the interrupted run did not fail');
        assert.equal(
          existsSync(join(dir, 'debian', `${PKG}.substvars`)),
          false,
          'metadata of a half-made venv',
        );

        const rerun = await suite().runDhVirtualenv(dir, []);
        assertSucceeded(rerun, 'dh_virtualenv after the interruption');
        assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
      },
    );

    test(
      'a full disk in the middle of the venv is one error line naming the step; space back, it builds',
      { timeout: TIMEOUT },
      async () => {
        const mountPoint = mkdtempSync(join(tmpdir(), 'dhvt-small-disk-'));
        const small = await runProcess(['mount', '-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint], {
          env: hermeticEnv({ HOME: tmpdir() }),
        });
        assertSucceeded(small, 'mounting a 6 MB tmpfs');
        try {
          const dir = join(mountPoint, 'hello');
          cpSync(fixturePath('hello'), dir, { recursive: true });
          const full = await suite().runDhVirtualenv(dir, []);
          assert.notEqual(full.status, 0, describeResult(full));
          const errors = full.stderr.split('\n').filter((line) => line.startsWith('dh_virtualenv: error: '));
          assert.equal(errors.length, 1, full.stderr);
          assert.match(
            errors[0] ?? '',
            /^dh_virtualenv: error: dhvt-hello: creating \/opt\/venvs\/dhvt-hello .* failed/,
          );
          assert.doesNotMatch(full.stderr, /^\s+at \S+ \(/m);
          assert.deepEqual(
            readdirSync(join(dir, 'debian')).filter((name) => name.startsWith(`${PKG}.`)),
            [],
          );
        } finally {
          const unmounted = await runProcess(['umount', mountPoint], {
            env: hermeticEnv({ HOME: tmpdir() }),
          });
          assertSucceeded(unmounted, 'unmounting the tmpfs');
          rmSync(mountPoint, { recursive: true, force: true });
        }
        const roomy = suite().copyFixture('hello');
        assertSucceeded(await suite().runDhVirtualenv(roomy, []), 'the same build with room');
      },
    );

    test(
      'two builds at once, sharing the pip cache, both succeed and make the same venv',
      { timeout: TIMEOUT },
      async () => {
        const dirs = [suite().copyFixture('hello'), suite().copyFixture('hello')];
        const results = await Promise.all(dirs.map((dir) => suite().runDhVirtualenv(dir, [])));
        results.forEach((result, i) => assertSucceeded(result, `build ${i + 1} of 2`));
        const [first, second] = dirs.map((dir) => treeState(staging(dir)));
        assert.deepEqual(second, first);
      },
    );

    test(
      'a shipped module that does not compile is named by the postinst; the install goes on',
      { timeout: TIMEOUT },
      async (t) => {
        const dir = suite().copyFixture('hello');
        writeFileSync(join(dir, 'dhvt_hello_py2.py'), 'print "written for Python 2"\n');
        const setup = readFileSync(join(dir, 'setup.py'), 'utf8');
        writeFileSync(
          join(dir, 'setup.py'),
          setup.replace('py_modules=["dhvt_hello"]', 'py_modules=["dhvt_hello", "dhvt_hello_py2"]'),
        );
        const build = await suite().buildSourceDir(dir);
        await purgeAfter(t, PKG);
        const installed = await dpkgRun(['dpkg', '-i', build.deb(PKG)]);
        assertSucceeded(installed, 'dpkg -i');
        assert.match(
          installed.output,
          /dh_virtualenv: warning: some modules in \/opt\/venvs\/dhvt-hello were not byte-compiled:/,
        );
        assert.match(installed.output, /dhvt_hello_py2\.py/);
        assert.match(await runInstalled(join(`/opt/venvs/${PKG}`, 'bin', PKG)), /hello from dhvt-greet/);
      },
    );

    test(
      'credentials in --index-url and PIP_INDEX_URL reach neither the log nor the package; modes are sane',
      { timeout: TIMEOUT },
      async (t) => {
        const secretIndex = suite().index.url.replace('://', '://dhvt-user:dhvt-SECRET@');
        const dir = suite().copyFixture('hello');
        // "@": make would echo the recipe, expanded, before dh_virtualenv runs: that echo is the rules file's.
        writeFileSync(
          join(dir, 'debian', 'rules'),
          `${readFileSync(join(dir, 'debian', 'rules'), 'utf8')}\noverride_dh_virtualenv:\n\t@dh_virtualenv -v --index-url=$(DHVT_SECRET_INDEX)\n`,
        );
        const ways: Env[] = [
          { DHVT_SECRET_INDEX: secretIndex },
          { DHVT_SECRET_INDEX: suite().index.url, PIP_INDEX_URL: secretIndex },
        ];
        for (const env of ways) {
          const build = await suite().buildSourceDir(dir, {
            noIndexEnv: true,
            env: { ...env, DH_VERBOSE: '1' },
          });
          assert.doesNotMatch(build.log, /dhvt-SECRET/, 'the build log shows the secret');
          await purgeAfter(t, PKG);
          const deb = build.deb(PKG);
          const tree = await extractDeb(deb);
          const grep = await runProcess(['grep', '-r', '-l', 'dhvt-SECRET', '.'], {
            cwd: tree,
            env: hermeticEnv({ HOME: tmpdir() }),
          });
          assert.equal(grep.stdout, '', `files of the package holding the secret: ${grep.stdout}`);

          // dpkg-deb -c: owned by root, nothing world-writable, no setuid or setgid bit.
          const listing = (await debListing(deb)).split('\n').filter(Boolean);
          for (const line of listing) {
            const [mode = '', owner = ''] = line.split(/\s+/);
            assert.equal(owner, 'root/root', line);
            if (!mode.startsWith('l')) assert.equal(mode[8], '-', `world-writable: ${line}`);
            assert.doesNotMatch(mode, /[sS]/, `setuid or setgid: ${line}`);
          }
        }
      },
    );
  },
);
