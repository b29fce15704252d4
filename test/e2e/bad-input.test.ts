/**
 * The catalogue of bad input and faults (issue #14): dh_virtualenv run by itself in a copy of
 * test/fixtures/hello, as debian/rules would run it, once per case. A case ends either in a non-zero exit with
 * one `dh_virtualenv: error:` line naming what is wrong and the way out, or in a documented success. Either
 * way no Python traceback or Node stack trace reaches the user, nothing in the source tree changes but the
 * files dh_virtualenv owns (debian/<pkg>, its .debhelper files and substvars), and nothing changes at the
 * package's install location on this machine (other packages' venvs may come and go: tests share the host).
 * Cases about the requirements or the interpreter may pass --skip-install: the project's own install would add
 * nothing to them but time.
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
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingLeft,
  debListing,
  dpkgRun,
  extractDeb,
  firstLine,
  hostEnv,
  installDeb,
  purge,
  purgeAfter,
  runInstalled,
  targetPython,
  useSuite,
  type Suite,
} from './harness';
import {
  assertSucceeded,
  DEV_UV_DIR,
  describeResult,
  fixturePath,
  hermeticEnv,
  runProcess,
  SYSTEM_PATH,
  SYSTEM_PYTHON,
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

/** A path as text: as UTF-8 where it is, with the bytes of a name that is not UTF-8 as \xNN. */
function pathText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (Buffer.from(text).equals(bytes)) return text;
  return [...bytes]
    .map((byte) => (byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16)}`))
    .join('');
}

/**
 * Every path under `dir` with its type and content hash (symlinks by target), for before/after checks. Names
 * are read as bytes: a case puts a file name that is not UTF-8 into the tree.
 */
function treeState(dir: string, keep: (path: string) => boolean = () => true): string[] {
  const state: string[] = [];
  const top = Buffer.from(`${dir}/`);
  const walk = (relativeDir: Buffer | undefined): void => {
    const absolute = relativeDir === undefined ? Buffer.from(dir) : Buffer.concat([top, relativeDir]);
    for (const name of readdirSync(absolute, { encoding: 'buffer' }).sort(Buffer.compare)) {
      const bytes = relativeDir === undefined ? name : Buffer.concat([relativeDir, Buffer.from('/'), name]);
      const path = pathText(bytes);
      if (!keep(path)) continue;
      const full = Buffer.concat([top, bytes]);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) state.push(`${path} -> ${readlinkSync(full, 'utf8')}`);
      else if (stat.isDirectory()) {
        state.push(`${path}/`);
        walk(bytes);
      } else {
        const hash = createHash('sha256').update(readFileSync(full)).digest('hex').slice(0, 16);
        state.push(`${path} ${(stat.mode & 0o7777).toString(8)} ${hash}`);
      }
    }
  };
  walk(undefined);
  return state;
}

/** What a case's setup may add to the run besides arguments: arguments and variables. */
interface Added {
  readonly args?: readonly string[];
  readonly env?: Env;
}

interface Case {
  readonly what: string;
  readonly args?: readonly string[];
  readonly env?: Env;
  /**
   * Changes the copy of the fixture before the run; what it returns, if an array, are extra arguments, if an
   * object, an Added.
   */
  readonly setup?: (dir: string, suite: Suite) => unknown;
  /**
   * A directory of the copy ('.' for all of it) that the run sees read-only: root writes whatever the file
   * modes say, so it is bind-mounted read-only over itself, in a mount namespace of the run's own.
   */
  readonly readOnly?: string;
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

/**
 * A copy of the suite's index on 127.0.0.1 that answers only requests with the user name and password given
 * (HTTP basic authentication), for the netrc cases: it passes those on to the index, and answers 401 to others.
 */
async function guardedIndex(
  indexUrl: string,
  user: string,
  password: string,
): Promise<{ url: string; server: Server }> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const index = new URL(indexUrl);
  const server = createServer((request, response) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="dhvt"' }).end('who are you?\n');
      return;
    }
    const passed = httpRequest(
      { host: index.hostname, port: index.port, path: request.url, method: request.method },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    passed.on('error', () => response.writeHead(502).end());
    passed.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`, server };
}

/** A netrc file (outside the source tree) giving `password` for 127.0.0.1, as NETRC for the run. */
function netrcWith(dir: string, password: string): Env {
  const path = join(dirname(dir), 'netrc');
  writeFileSync(path, `machine 127.0.0.1 login dhvt-user password ${password}\n`, { mode: 0o600 });
  return { NETRC: path };
}

/**
 * dh_virtualenv as the suite runs it, with `readOnly` bind-mounted read-only over itself in a mount namespace
 * of the run's own (see Case.readOnly); the run enters `dir` again after the mount, to see it.
 */
function runWithReadOnly(
  suite: Suite,
  dir: string,
  readOnly: string,
  args: readonly string[],
  env: Env,
): Promise<ProcessResult> {
  const script =
    'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && cd "$2" && shift 2 && exec "$@"';
  return runProcess(
    [
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'sh',
      readOnly,
      dir,
      suite.dhVirtualenv,
      ...args,
    ],
    { cwd: dir, env: suite.env({ PIP_INDEX_URL: suite.index.url, ...env }) },
  );
}

/** Copies the project (not debian/) into a directory `name` of the copy, for -D; returns its path. */
function projectIn(dir: string, name: string): string {
  const project = join(dir, name);
  mkdirSync(project);
  for (const file of ['setup.py', 'dhvt_hello.py', 'requirements.txt']) {
    writeFileSync(join(project, file), readFileSync(join(dir, file)));
  }
  return project;
}

/** Files of the package (debian/<pkg>) that hold `text`, relative to it. */
async function packageFilesHolding(dir: string, text: string): Promise<string> {
  const grep = await runProcess(['grep', '-r', '-l', '-F', text, '.'], {
    cwd: join(dir, 'debian', PKG),
    env: hermeticEnv({ HOME: tmpdir() }),
  });
  return grep.stdout;
}

/** A git repository (outside the source tree) holding the dhvt-greet project; returns it and its commit. */
function greetRepository(dir: string): { repo: string; commit: string } {
  const repo = join(dirname(dir), 'greet-repo');
  mkdirSync(join(repo, 'dhvt_greet'), { recursive: true });
  for (const file of ['setup.py', 'dhvt_greet/__init__.py']) {
    writeFileSync(join(repo, file), readFileSync(fixturePath('index', 'dhvt-greet', file)));
  }
  const git = (...words: string[]): string =>
    execFileSync(
      'git',
      ['-C', repo, '-c', 'user.name=dhvt', '-c', 'user.email=dhvt@example.invalid', ...words],
      {
        env: hermeticEnv({ HOME: tmpdir() }),
        encoding: 'utf8',
      },
    ).trim();
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'dhvt-greet 1.0');
  return { repo, commit: git('rev-parse', 'HEAD') };
}

/** The maintainer scripts as dh_installdeb writes them for a package without its own: checked as shell. */
async function assertScriptsAreShell(dir: string): Promise<void> {
  for (const script of ['postinst', 'prerm']) {
    const path = join(dirname(dir), script);
    const snippets = readFileSync(join(dir, 'debian', `${PKG}.${script}.debhelper`), 'utf8');
    writeFileSync(path, `#!/bin/sh\nset -e\n${snippets}`);
    await assertValidShell(path);
  }
}

/** sh -n, and shellcheck -s sh where it is installed. */
async function assertValidShell(path: string): Promise<void> {
  const env = hostEnv();
  assertSucceeded(await runProcess(['sh', '-n', path], { env }), `sh -n ${path}`);
  const shellcheck = await runProcess(['shellcheck', '-s', 'sh', path], { env });
  if (shellcheck.status !== null) assertSucceeded(shellcheck, `shellcheck -s sh ${path}`);
}

/** pip retries for a minute by default; one quick try is enough to see the failure. */
const QUICK_PIP: Env = { PIP_RETRIES: '0', PIP_TIMEOUT: '5' };

const servers: { broken?: string; garbage?: string; guarded?: string } = {};

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
    what: '--python through a link whose path has spaces and quotes: built; venv, scripts and triggers name the real one',
    setup: (dir) => {
      const odd = join(dir, `my "odd" python's dir`);
      mkdirSync(odd);
      symlinkSync(targetPython().executable, join(odd, 'python3'));
      return ['--python', join(odd, 'python3'), '--skip-install'];
    },
    success: async (dir) => {
      const python = targetPython().executable;
      assert.equal(readlinkSync(join(staging(dir), 'bin', 'python')), python);
      const triggers = join(dir, 'debian', '.debhelper', 'generated', PKG, 'triggers');
      assert.match(readFileSync(triggers, 'utf8'), new RegExp(`^interest-noawait ${python}$`, 'm'));
      assert.doesNotMatch(readFileSync(join(dir, 'debian', `${PKG}.postinst.debhelper`), 'utf8'), /odd/);
      await assertScriptsAreShell(dir);
    },
  },
  {
    what: 'an interpreter of its own at a path with a space (with --allow-unpackaged-python)',
    setup: (dir) => {
      mkdirSync(join(dir, 'my python'));
      const python = writeExecutable(
        join(dir, 'my python', 'python3'),
        `#!/bin/sh\nexec /usr/bin/python3 "$@"\n`,
      );
      return ['--allow-unpackaged-python', '--python', python];
    },
    error: {
      status: 1,
      message:
        /--python \S+\/my python\/python3: the package's triggers and maintainer scripts name the interpreter by its path, which must be letters, digits and \._\+@:\/- \(no space or quote\)/,
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
    // The run happens in the copy; the project's directory has the odd name (see the faults below for a whole
    // source package in such a directory).
    setup: (dir) => ['-D', projectIn(dir, `my "odd" project's dir`)],
    success: (dir) => {
      const script = readFileSync(join(staging(dir), 'bin', PKG), 'utf8');
      assert.match(script, new RegExp(`^#!/opt/venvs/${PKG}/bin/python\\n`));
    },
  },
  {
    what: 'a file name that is not UTF-8 in the package data of the project',
    setup: (dir) => {
      const data = join(dir, 'dhvt_hello_data');
      mkdirSync(data);
      writeFileSync(join(data, '__init__.py'), '');
      writeFileSync(Buffer.from(`${data}/caf\u00e9.txt`, 'latin1'), 'a Latin-1 name\n');
      const setup = readFileSync(join(dir, 'setup.py'), 'utf8');
      writeFileSync(
        join(dir, 'setup.py'),
        setup.replace(
          'py_modules=["dhvt_hello"],',
          'py_modules=["dhvt_hello"],\n    packages=["dhvt_hello_data"],\n    package_data={"dhvt_hello_data": ["*.txt"]},',
        ),
      );
    },
    error: {
      status: 1,
      message:
        /dhvt-hello: installing the project failed: dhvt_hello_data\/caf\\xe9\.txt in \S+: a file name that is not UTF-8, which a wheel cannot hold; rename it/,
    },
  },
  // A read-only source tree: whatever must be written there stops the build, naming the directory.
  {
    what: 'a read-only source tree',
    readOnly: '.',
    error: {
      status: 1,
      message:
        /dhvt-hello: creating \/opt\/venvs\/dhvt-hello failed: \S+\/debian is on a read-only file system \(EROFS\), so \S+ cannot be made; build in a writable copy of the source/,
    },
  },
  {
    what: 'a read-only project directory (-D) with --skip-install: nothing is written there, built',
    setup: (dir) => ['-D', projectIn(dir, 'project'), '--skip-install'],
    readOnly: 'project',
    success: (dir) => assert.ok(existsSync(join(site(dir), 'dhvt_greet'))),
  },
  {
    what: 'a read-only project directory (-D) whose build writes into it',
    setup: (dir) => ['-D', projectIn(dir, 'project')],
    readOnly: 'project',
    error: {
      status: 1,
      message:
        /dhvt-hello: installing the project failed: \S+\/project is on a read-only file system \(EROFS\), and building the project writes into it \(setuptools makes build\/ and \*\.egg-info there\); build in a writable copy/,
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
  {
    what: 'a VCS requirement (git+file://) pinned to a commit: built, the commit in the SBOM, no build host path shipped',
    setup: (dir) => {
      const { repo, commit } = greetRepository(dir);
      writeFileSync(join(dir, 'requirements.txt'), `git+file://${repo}@${commit}#egg=dhvt-greet\n`);
      return ['--skip-install'];
    },
    success: async (dir, result) => {
      assert.doesNotMatch(result.output, /names no commit/, 'a warning for a pinned requirement');
      const repo = join(dirname(dir), 'greet-repo');
      const commit = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
      // pip's direct_url.json names the repository as file:///…: a path of the build host, not shipped.
      assert.equal(await packageFilesHolding(dir, repo), '', 'files of the package naming the repository');
      const sbom = JSON.parse(
        readFileSync(join(dir, 'debian', PKG, 'usr', 'share', 'doc', PKG, 'sbom.cdx.json'), 'utf8'),
      ) as { components: { purl: string; properties: { name: string; value: string }[] }[] };
      const greet = sbom.components.find((item) => item.purl === 'pkg:pypi/dhvt-greet@1.0');
      assert.deepEqual(
        greet?.properties.filter((property) => property.name !== 'dh-virtualenv:metadata'),
        [
          { name: 'dh-virtualenv:origin', value: 'vcs' },
          { name: 'dh-virtualenv:vcs-commit', value: commit },
        ],
      );
    },
  },
  {
    what: 'a VCS requirement on no commit (the default branch): built, with a warning naming the line',
    setup: (dir) => {
      const { repo } = greetRepository(dir);
      writeFileSync(join(dir, 'requirements.txt'), `git+file://${repo}#egg=dhvt-greet\n`);
      return ['--skip-install'];
    },
    success: (dir, result) => {
      assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
      assert.match(
        result.output,
        /dh_virtualenv: warning: dhvt-hello: requirements\.txt:1: "git\+file:\/\/\S+#egg=dhvt-greet" names no commit, so what it installs can change between builds; pin the full commit id/,
      );
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
    what: 'VIRTUALENV_* and a virtualenv.ini on the build host that would add the system site-packages: ignored',
    setup: (dir) => {
      const ini = join(dirname(dir), 'virtualenv.ini');
      writeFileSync(ini, '[virtualenv]\nsystem_site_packages = true\n');
      return { env: { VIRTUALENV_CONFIG_FILE: ini, VIRTUALENV_SYSTEM_SITE_PACKAGES: 'true' } };
    },
    success: (dir) => {
      const config = readFileSync(join(staging(dir), 'pyvenv.cfg'), 'utf8');
      assert.match(config, /^include-system-site-packages = false$/m);
    },
  },
  {
    what: 'a uv.toml on the build host that installs elsewhere, with --installer uv: ignored, the venv is built',
    setup: (dir, suite) => {
      const config = join(dirname(dir), 'xdg-config');
      mkdirSync(join(config, 'uv'), { recursive: true });
      writeFileSync(join(config, 'uv', 'uv.toml'), `[pip]\ntarget = "${join(dirname(dir), 'not-here')}"\n`);
      return {
        args: ['--installer=uv'],
        env: { XDG_CONFIG_HOME: config, PATH: `${suite.env().PATH ?? ''}:${DEV_UV_DIR}` },
      };
    },
    success: (dir) => {
      assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
      assert.equal(existsSync(join(dirname(dir), 'not-here')), false, "uv followed the host's uv.toml");
    },
  },
  {
    what: 'pip.conf files (a global one, and PIP_CONFIG_FILE with an extra index and its password) that install elsewhere: only fetch settings reach pip',
    args: ['-v', '--skip-install'],
    setup: (dir, suite) => {
      const away = join(dirname(dir), 'not-here');
      const global = join(dirname(dir), 'xdg', 'pip', 'pip.conf');
      mkdirSync(dirname(global), { recursive: true });
      writeFileSync(
        global,
        `[global]\ntarget = ${away}/target\nprefix = ${away}/prefix\nuser = true\nrequire-virtualenv = true\n` +
          `[install]\nroot = ${away}/root\n`,
      );
      const conf = join(dirname(dir), 'pip.conf');
      const extra = suite.index.extraUrl.replace('://', '://dhvt-user:dhvt-SECRET@');
      writeFileSync(conf, `[global]\nextra-index-url = ${extra}\n[install]\nno-binary = :all:\n`);
      writeFileSync(join(dir, 'requirements.txt'), 'dhvt-greet==1.0\ndhvt-extra-only==1.0\n');
      return { env: { XDG_CONFIG_DIRS: dirname(dirname(global)), PIP_CONFIG_FILE: conf } };
    },
    success: async (dir, result) => {
      assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
      assert.ok(
        existsSync(join(site(dir), 'dhvt_extra_only.py')),
        'the extra index of PIP_CONFIG_FILE was not used',
      );
      assert.equal(existsSync(join(dirname(dir), 'not-here')), false);
      const file = (...parts: string[]): string => join(dirname(dir), ...parts).replace(/[.]/g, '\\.');
      const held = [
        `no-binary \\(${file('pip.conf')}\\)`,
        ...['prefix', 'require-virtualenv', 'root', 'target', 'user'].map(
          (key) => `${key} \\(${file('xdg', 'pip', 'pip.conf')}\\)`,
        ),
      ];
      assert.match(
        result.output,
        new RegExp(`not passed to pip from its configuration files: ${held.join(', ')}$`, 'm'),
      );
      assert.equal(
        await packageFilesHolding(dir, 'dhvt-SECRET'),
        '',
        'files of the package holding the password',
      );
    },
  },
  {
    what: 'a netrc (NETRC) with the password of an index that asks for one: built, the password shown nowhere',
    setup: (dir) => ({
      args: [`--index-url=${servers.guarded ?? ''}`, '--skip-install'],
      env: netrcWith(dir, 'dhvt-SECRET'),
    }),
    success: async (dir) => {
      assert.ok(existsSync(join(site(dir), 'dhvt_greet')));
      assert.equal(
        await packageFilesHolding(dir, 'dhvt-SECRET'),
        '',
        'files of the package holding the password',
      );
    },
  },
  {
    what: 'a netrc with a wrong password for that index: the error shows no password',
    setup: (dir) => ({
      args: [`--index-url=${servers.guarded ?? ''}`],
      env: { ...QUICK_PIP, ...netrcWith(dir, 'dhvt-SECRET-but-wrong') },
    }),
    error: { status: 1, message: /dhvt-hello: installing requirements\.txt failed/ },
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
    const suite = useSuite({ projects: ['dhvt-greet'], extraProjects: ['dhvt-extra-only'] });
    const started: Server[] = [];
    before(async () => {
      const broken = await answeringServer(500, 'Internal Server Error');
      const garbage = await answeringServer(200, '<html><body>\u0000\u0001 not an index <a href=</body>');
      const guarded = await guardedIndex(suite().index.url, 'dhvt-user', 'dhvt-SECRET');
      servers.broken = broken.url;
      servers.garbage = garbage.url;
      servers.guarded = guarded.url;
      started.push(broken.server, garbage.server, guarded.server);
    });
    after(() => Promise.all(started.map((server) => new Promise((resolve) => server.close(resolve)))));

    test('the catalogue holds at least 40 cases', () =>
      assert.ok(CASES.length >= 40, `${CASES.length} cases`));

    for (const entry of CASES) {
      test(entry.what, { timeout: TIMEOUT }, async () => {
        const dir = suite().copyFixture('hello');
        const made = entry.setup?.(dir, suite());
        const added: Added = Array.isArray(made)
          ? { args: made.map(String) }
          : typeof made === 'object' && made !== null
            ? (made as Added)
            : {};
        const args = [...(entry.args ?? []), ...(added.args ?? [])];
        const env = { ...entry.env, ...added.env };
        const sourceBefore = treeState(dir, (path) => !ownedByTheTool(path));
        const installed = `/opt/venvs/${PKG}`;
        const installedBefore = existsSync(installed) ? treeState(installed) : [];
        const result =
          entry.readOnly === undefined
            ? await suite().runDhVirtualenv(dir, args, env)
            : await runWithReadOnly(suite(), dir, join(dir, entry.readOnly), args, env);

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
        // The cases' passwords (in URLs, a pip.conf, a netrc) are all "dhvt-SECRET…": never shown.
        assert.doesNotMatch(result.output, /dhvt-SECRET/, 'a password in the output');
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

/**
 * dh_make's debian/postinst.ex, as most hand-written postinsts start, with a "triggered" branch (dh_virtualenv
 * warns about a postinst without one: see maintainer-scripts.ts): its case turns away every other action.
 */
const MAINTAINER_POSTINST = `#!/bin/sh
set -e

case "$1" in
    configure)
    ;;

    triggered)
    ;;

    abort-upgrade|abort-remove|abort-deconfigure)
    ;;

    *)
        echo "postinst called with unknown argument \\\`$1'" >&2
        exit 1
    ;;
esac

#DEBHELPER#

exit 0
`;

/** dhvt_odd's module: main() prints what its data files, with the odd names, hold. */
const ODD_MODULE = `import os

DATA = os.path.join(os.path.dirname(__file__), "data")


def main():
    names = sorted(os.listdir(DATA))
    texts = [open(os.path.join(DATA, name), encoding="utf-8").read().strip() for name in names]
    print("dhvt-odd: %d data files: %s" % (len(names), " | ".join(texts)))
`;

/** Data files named with a comma, quotes, a quote before a comma, a space and a non-ASCII letter. */
const ODD_DATA_NAMES = ['a,b.txt', 'say "hi".txt', 'quote",comma.txt', 'café.txt', 'space name.txt'];

/**
 * A member stored under a legacy, non-UTF-8 name ("caf\x82-cp437.txt", unflagged, as old zip tools wrote):
 * pip reads it as code page 437 and installs café-cp437.txt. make_wheel.py writes this placeholder first.
 */
const LEGACY_MEMBER = 'dhvt_odd/data/caf@-cp437.txt';

/** What each script of dhvt_odd's .data/scripts/ holds: pip copies them to bin/ as they are, but "#!python". */
function oddScripts(): Record<string, Buffer> {
  const python = 'import sys, dhvt_odd\nprint("write_through", sys.stdout.write_through)\ndhvt_odd.main()\n';
  return Object.fromEntries(
    Object.entries({
      'dhvt-odd-bang': `#!python\n${python}`,
      'dhvt-odd,"quoted"': `#!python\n${python}`,
      'dhvt-odd-env-s': `#!/usr/bin/env -S python3 -u\n${python}`,
      'dhvt-odd-mypython': "#!/usr/bin/env mypython\nprint('run by mypython')\n",
      'dhvt-odd-sh': "#!/bin/sh\necho 'dhvt-odd-sh ran'\n",
      'dhvt-odd-sourced': '# sourced by a shell, not run\ndhvt_odd_sourced=yes\n',
      'dhvt-odd-elf': readFileSync('/bin/true'),
    }).map(([name, content]) => [name, Buffer.from(content)]),
  );
}

/** Writes dhvt-odd 1.0's wheel into `outDir` (make_wheel.py) and returns its path. */
function oddWheel(outDir: string): string {
  const files: Record<string, string> = {};
  const add = (member: string, content: string | Buffer): void => {
    files[member] = Buffer.from(content).toString('base64');
  };
  add('dhvt_odd/__init__.py', ODD_MODULE);
  for (const name of ODD_DATA_NAMES) add(`dhvt_odd/data/${name}`, `${name}\n`);
  add(LEGACY_MEMBER, 'café-cp437.txt\n');
  for (const [name, content] of Object.entries(oddScripts()))
    add(`dhvt_odd-1.0.data/scripts/${name}`, content);
  const description = {
    name: 'dhvt_odd',
    version: '1.0',
    files,
    entry_points: '[console_scripts]\ndhvt-odd = dhvt_odd:main\n',
    legacy_names: {
      [LEGACY_MEMBER]: Buffer.from('dhvt_odd/data/caf\x82-cp437.txt', 'latin1').toString('hex'),
    },
  };
  return execFileSync(SYSTEM_PYTHON, [fixturePath('index', 'make_wheel.py'), outDir], {
    input: JSON.stringify(description),
    encoding: 'utf8',
    env: hermeticEnv({ HOME: tmpdir() }),
  }).trim();
}

/** Checks every file the RECORD of a distribution lists against its hash, with the venv's own Python. */
const RECORD_CHECK = `
import base64, hashlib, sys
from importlib.metadata import distribution
checked = 0
for item in distribution(sys.argv[1]).files:
    if item.hash is None:
        continue
    digest = hashlib.sha256(item.locate().read_bytes()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == item.hash.value, item
    checked += 1
print("RECORD holds for %d files" % checked)
`;

describe(
  'faults: interruption, a full disk, two builds at once, and what the package holds',
  { concurrency: false },
  () => {
    // The wheel is written before the suite starts its index, which serves the files listed here.
    const wheels: string[] = [];
    const wheelDir = mkdtempSync(join(tmpdir(), 'dhvt-odd-wheel-'));
    before(() => {
      wheels.push(oddWheel(wheelDir));
    });
    after(() => rmSync(wheelDir, { recursive: true, force: true }));
    const suite = useSuite({ projects: ['dhvt-greet'], files: wheels });

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

        // Without a postinst of the package's own, dh_installdeb's is the snippets alone: an action it does
        // not know passes (as debhelper's own snippets do), doing nothing. See the test below for one with a
        // postinst of its own, whose case turns such actions away.
        const control = join(dirname(dir), 'control');
        assertSucceeded(
          await runProcess(['dpkg-deb', '-e', build.deb(PKG), control], { env: hostEnv() }),
          'dpkg-deb -e',
        );
        const unknown = await runProcess([join(control, 'postinst'), 'no-such-action'], {
          env: hostEnv(),
          cwd: '/',
        });
        assert.deepEqual([unknown.status, unknown.output], [0, '']);
      },
    );

    test(
      'unusual scripts and file names, in a source package in a directory with spaces and quotes: installed, run, purged',
      { timeout: TIMEOUT },
      async (t) => {
        const copy = suite().copyFixture('hello');
        const dir = join(dirname(copy), `my "odd" project's dir`, 'hello');
        mkdirSync(dirname(dir));
        renameSync(copy, dir);
        writeFileSync(join(dir, 'requirements.txt'), 'dhvt-greet==1.0\ndhvt-odd==1.0\n');
        writeFileSync(join(dir, 'debian', 'postinst'), MAINTAINER_POSTINST, { mode: 0o755 });
        const build = await suite().buildSourceDir(dir);
        assert.doesNotMatch(build.log, /warning: .*postinst/);
        await purgeAfter(t, PKG);
        await installDeb(build.deb(PKG));

        const venv = `/opt/venvs/${PKG}`;
        const bin = (name: string): string => join(venv, 'bin', name);
        // Python scripts point at the venv, pip's (built with the odd path) as well as those shipped as is;
        // env -S keeps its options; everything else is left byte for byte.
        for (const name of [PKG, 'dhvt-odd', 'dhvt-odd-bang', 'dhvt-odd,"quoted"']) {
          assert.equal(firstLine(bin(name)), `#!${venv}/bin/python`, name);
        }
        assert.equal(firstLine(bin('dhvt-odd-env-s')), `#!/usr/bin/env -S ${venv}/bin/python3 -u`);
        for (const [name, content] of Object.entries(oddScripts())) {
          if (!['dhvt-odd-bang', 'dhvt-odd,"quoted"', 'dhvt-odd-env-s'].includes(name)) {
            assert.ok(readFileSync(bin(name)).equals(content), `${name} changed`);
          }
        }

        // The programs run, and the files with odd names are there under the names pip gave them.
        const data =
          /^dhvt-odd: 6 data files: a,b\.txt \| café-cp437\.txt \| café\.txt \| quote",comma\.txt \| say "hi"\.txt \| space name\.txt$/m;
        for (const name of ['dhvt-odd', 'dhvt-odd-bang', 'dhvt-odd,"quoted"']) {
          assert.match(await runInstalled(bin(name)), data, name);
        }
        const unbuffered = await runInstalled(bin('dhvt-odd-env-s'));
        assert.match(unbuffered, /^write_through True$/m, 'env -S passed -u');
        assert.match(unbuffered, data);
        assert.match(await runInstalled(bin(PKG)), /hello from dhvt-greet/);
        const mypython = join(dirname(dir), 'mypython-bin');
        mkdirSync(mypython);
        symlinkSync(SYSTEM_PYTHON, join(mypython, 'mypython'));
        const custom = await runProcess([bin('dhvt-odd-mypython')], {
          env: hostEnv({ PATH: `${mypython}:${SYSTEM_PATH}` }),
          cwd: '/',
        });
        assert.deepEqual([custom.status, custom.stdout], [0, 'run by mypython\n'], describeResult(custom));
        assert.equal(await runInstalled(bin('dhvt-odd-sh')), 'dhvt-odd-sh ran\n');
        await runInstalled(bin('dhvt-odd-elf'));
        const sourced = await runProcess(
          ['sh', '-c', '. "$0" && echo "$dhvt_odd_sourced"', bin('dhvt-odd-sourced')],
          {
            env: hostEnv(),
          },
        );
        assert.equal(sourced.stdout, 'yes\n', describeResult(sourced));
        // RECORD (names quoted with commas and quotes, the rewritten scripts' hashes) is true.
        assert.match(
          await runInstalled(bin('python'), ['-c', RECORD_CHECK, 'dhvt-odd']),
          /^RECORD holds for 2\d files$/m,
        );

        // The maintainer's own postinst with the snippets merged: valid shell, turning unknown actions away.
        const control = join(dirname(dir), 'control');
        assertSucceeded(
          await runProcess(['dpkg-deb', '-e', build.deb(PKG), control], { env: hostEnv() }),
          'dpkg-deb -e',
        );
        for (const script of ['postinst', 'prerm']) await assertValidShell(join(control, script));
        const postinst = (...args: string[]): Promise<ProcessResult> =>
          runProcess([join(control, 'postinst'), ...args], { env: hostEnv(), cwd: '/' });
        const unknown = await postinst('no-such-action');
        assert.deepEqual(
          [unknown.status, unknown.stderr],
          [1, "postinst called with unknown argument `no-such-action'\n"],
        );
        assertSucceeded(
          await postinst('triggered', 'dh-virtualenv-interpreter-update'),
          'postinst triggered',
        );
        assert.equal(
          readFileSync(join(control, 'triggers'), 'utf8')
            .split('\n')
            .filter((line) => !line.startsWith('#'))
            .join('\n'),
          `interest-noawait ${targetPython().executable}\ninterest-noawait dh-virtualenv-interpreter-update\n`,
        );

        await purge(PKG);
        assertNothingLeft(venv);
      },
    );

    test(
      'credentials in --index-url, PIP_INDEX_URL and a pip.conf reach neither the log nor the package; modes are sane',
      { timeout: TIMEOUT },
      async (t) => {
        const secretIndex = suite().index.url.replace('://', '://dhvt-user:dhvt-SECRET@');
        const dir = suite().copyFixture('hello');
        // "@": make would echo the recipe, expanded, before dh_virtualenv runs: that echo is the rules file's.
        writeFileSync(
          join(dir, 'debian', 'rules'),
          `${readFileSync(join(dir, 'debian', 'rules'), 'utf8')}\noverride_dh_virtualenv:\n\t@dh_virtualenv -v --index-url=$(DHVT_SECRET_INDEX)\n`,
        );
        // The pip.conf is outside the source tree, as a build host's would be.
        const pipConf = join(dirname(dir), 'pip.conf');
        writeFileSync(pipConf, `[global]\nextra-index-url = ${secretIndex}\n`);
        const ways: Env[] = [
          { DHVT_SECRET_INDEX: secretIndex },
          { DHVT_SECRET_INDEX: suite().index.url, PIP_INDEX_URL: secretIndex },
          { DHVT_SECRET_INDEX: suite().index.url, PIP_CONFIG_FILE: pipConf },
        ];
        for (const env of ways) {
          const build = await suite().buildSourceDir(dir, {
            noIndexEnv: true,
            env: { ...env, DH_VERBOSE: '1' },
          });
          assert.doesNotMatch(build.log, /dhvt-SECRET/, 'the build log shows the secret');
          if (env.PIP_CONFIG_FILE !== undefined) {
            assert.match(
              build.log,
              /Looking in indexes: .*dhvt-user:\*\*\*\*@/,
              "the pip.conf's index was not used",
            );
          }
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
