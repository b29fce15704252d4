/**
 * An installed venv across updates of the interpreter it runs (docs/lifetime.md, "Interpreter updates"): one
 * source (test/fixtures/life-interpreter) builds the same project into a venv whose bin/python is a symlink
 * (python -m venv, dhvt-life-venv) and one whose bin/python is a copy (virtualenv --always-copy,
 * dhvt-life-copied). Both stay installed for the whole file; the tests run in order.
 *
 * The copied interpreter is made stale by hand (a different file in its place, as an update of python3.X would
 * leave it), then the update is replayed the three ways dpkg sees one: a file trigger activated by hand
 * (dpkg-trigger + dpkg --triggers-only), the package's named trigger with DH_VERBOSE=1, and a real reinstall
 * of python3.X-minimal at the installed version (from the archive, apt's cache, or else rebuilt from the
 * installed files by dpkg-repack; skipped only when dpkg-repack is not installed).
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingLeft,
  debField,
  debListing,
  extractDeb,
  installDeb,
  purge,
  runInstalled,
  startSuite,
  targetPython,
  type Build,
  type Suite,
} from './harness';
import {
  dpkgOk,
  dpkgQuery,
  dpkgRun,
  dpkgStatus,
  dpkgStatusEntry,
  hostEnv,
  notEmptyWarnings,
  repackInstalled,
  scriptOutput,
  treeChanges,
  treeState,
} from './lifetime-steps';
import { runProcess } from './processes';

const TIMEOUT = 5 * 60 * 1000;
const SYMLINKED = 'dhvt-life-venv';
const COPIED = 'dhvt-life-copied';
const PACKAGES = [SYMLINKED, COPIED];
const venvOf = (pkg: string): string => `/opt/venvs/${pkg}`;
const programOf = (pkg: string): string => `${venvOf(pkg)}/bin/dhvt-life-interpreter`;
/** The interpreter the venvs were built for (/usr/bin/python3.X), and the package that owns it (python3.X). */
const { executable: PYTHON, packageName: INTERPRETER_PACKAGE } = targetPython();

/** bin/python, bin/python3, bin/python3.X of a venv: the names the postinst keeps equal to PYTHON. */
function interpreterNames(pkg: string): string[] {
  return ['python', 'python3', basename(PYTHON)].map((name) => join(venvOf(pkg), 'bin', name));
}

/** The venv's interpreter executables that are files, not symlinks (virtualenv --always-copy makes all three). */
function copiedInterpreters(pkg: string): string[] {
  return interpreterNames(pkg).filter((path) => existsSync(path) && lstatSync(path).isFile());
}

/** Puts a different file in place of each copied interpreter, as an update of the interpreter leaves them. */
function makeStale(pkg: string): string[] {
  const stale = Buffer.concat([
    readFileSync(PYTHON),
    Buffer.from(`\0stale copy of an older ${INTERPRETER_PACKAGE}\n`),
  ]);
  const paths = copiedInterpreters(pkg);
  for (const path of paths) {
    writeFileSync(`${path}.tmp`, stale, { mode: 0o755 });
    renameSync(`${path}.tmp`, path);
  }
  assert.ok(paths.length > 0, `${pkg} has no copied interpreter to make stale`);
  return paths;
}

/** Copied interpreters that differ from PYTHON. */
function staleInterpreters(pkg: string): string[] {
  const current = readFileSync(PYTHON);
  return copiedInterpreters(pkg).filter((path) => !readFileSync(path).equals(current));
}

/** What the program prints in each venv: it imports its dependency and names the Python running it. */
async function assertProgramsRun(): Promise<void> {
  const version = (
    await runProcess([PYTHON, '-c', 'import platform; print(platform.python_version())'], { env: hostEnv() })
  ).stdout.trim();
  for (const pkg of PACKAGES) {
    assert.equal(
      (await runInstalled(programOf(pkg))).trim(),
      `dhvt-life-interpreter: hello from dhvt-greet on Python ${version} (prefix ${venvOf(pkg)})`,
    );
  }
}

/** The chain of paths from `path` through its symbolic links to the file they end at. */
function linkChain(path: string): string[] {
  const chain = [path];
  for (let current = path; lstatSync(current).isSymbolicLink();) {
    current = resolve(dirname(current), readlinkSync(current));
    chain.push(current);
  }
  return chain;
}

/** The package dpkg says owns `path`, without the -minimal that splits python3.X in two. */
async function owner(path: string): Promise<string | undefined> {
  const result = await runProcess(['dpkg-query', '-S', path], { env: hostEnv() });
  const line = result.stdout.split('\n').find((candidate) => candidate.endsWith(`: ${path}`));
  return line?.split(':')[0]?.replace(/-minimal$/, '');
}

/**
 * The .deb of python3.X-minimal at exactly the installed version, so the reinstall changes nothing but the
 * files' inodes: `apt-get download` from the archive, else apt's cache, else dpkg-repack's rebuild of the
 * installed package (same version, files, control data and maintainer scripts). The archive moves on with
 * each point release and apt's cache is often cleaned, so without dpkg-repack the test would skip on most
 * machines that have not just upgraded. Returns why not only when dpkg-repack is not installed.
 */
async function interpreterDeb(workDir: string): Promise<{ deb: string; from: string } | { skip: string }> {
  const pkg = `${INTERPRETER_PACKAGE}-minimal`;
  const version = (await dpkgQuery(pkg, '${Version}')).trim();
  const arch = (await dpkgQuery(pkg, '${Architecture}')).trim();
  const download = await runProcess(['apt-get', 'download', `${pkg}=${version}`], {
    env: hostEnv(),
    cwd: workDir,
  });
  const downloaded = readdirSync(workDir).find((name) => name.startsWith(`${pkg}_`) && name.endsWith('.deb'));
  if (download.status === 0 && downloaded !== undefined) {
    return { deb: join(workDir, downloaded), from: "Debian's archive" };
  }
  // apt's cache escapes the epoch's colon as %3a.
  const cached = `/var/cache/apt/archives/${pkg}_${version.replace(':', '%3a')}_${arch}.deb`;
  if (existsSync(cached)) return { deb: cached, from: "apt's cache" };
  const aptSaid = download.stderr.trim().split('\n').pop() ?? `exit code ${download.status}`;
  const why = `"apt-get download ${pkg}=${version}" failed (${aptSaid}) and ${cached} does not exist`;
  const repacked = await repackInstalled(pkg, mkdtempSync(join(workDir, 'repack-')));
  if (repacked === undefined) {
    return {
      skip:
        `no .deb of ${pkg} ${version} to reinstall: ${why}, and dpkg-repack, which would rebuild it ` +
        'from the installed files, is not installed (scripts/install-build-deps.sh installs it)',
    };
  }
  assert.equal(await debField(repacked, 'Version'), version);
  return { deb: repacked, from: `dpkg-repack, since ${why}` };
}

describe('the interpreter under an installed venv', { concurrency: false }, () => {
  let suite: Suite;
  let build: Build;
  let workDir: string;
  before(
    async () => {
      workDir = mkdtempSync(join(tmpdir(), 'dhvt-life-interpreter-'));
      suite = await startSuite({ projects: ['dhvt-greet'] });
      build = await suite.buildPackage('life-interpreter');
      await purge(...PACKAGES);
      for (const pkg of PACKAGES) await installDeb(build.deb(pkg));
    },
    { timeout: TIMEOUT },
  );
  after(async () => {
    try {
      await purge(...PACKAGES);
    } finally {
      if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
      await suite?.close();
    }
  });

  test('the packages: Depends on python3.X, a trigger on its path, bin/python a symlink or a copy', async () => {
    for (const pkg of PACKAGES) {
      assert.equal(await debField(build.deb(pkg), 'Depends'), INTERPRETER_PACKAGE);
      const triggers = readFileSync(join(await extractDeb(build.deb(pkg)), 'DEBIAN', 'triggers'), 'utf8');
      assert.match(triggers, new RegExp(`^interest-noawait ${PYTHON}$`, 'm'));
      assert.match(triggers, /^interest-noawait dh-virtualenv-interpreter-update$/m);
    }
    // The symlinked venv ships links only; the copied one ships the interpreter itself.
    const listing = (pkg: string): Promise<string> => debListing(build.deb(pkg));
    assert.match(
      await listing(SYMLINKED),
      new RegExp(`^l\\S+ .* \\.${venvOf(SYMLINKED)}/bin/python -> `, 'm'),
    );
    assert.match(await listing(COPIED), new RegExp(`^-rwx\\S+ .* \\.${venvOf(COPIED)}/bin/python$`, 'm'));

    // Installed: the copy equals the system's interpreter (the postinst saw to it on configure), both run.
    assert.deepEqual(copiedInterpreters(SYMLINKED), []);
    assert.deepEqual(copiedInterpreters(COPIED), interpreterNames(COPIED));
    assert.deepEqual(staleInterpreters(COPIED), []);
    await assertProgramsRun();
  });

  test('a Python minor upgrade cannot take the interpreter away: the venv reaches it only through python3.X', async () => {
    // Every link on the way from bin/python to the interpreter is in the venv or in the package the venv
    // depends on. A hop through /usr/bin/python3 (python3-minimal's, retargeted to the next python3.X by a
    // minor upgrade) would let that upgrade swap the interpreter under lib/python3.X: a silently broken venv.
    for (const pkg of PACKAGES) {
      for (const exe of interpreterNames(pkg)) {
        const outside = linkChain(exe).filter((hop) => !hop.startsWith(`${venvOf(pkg)}/`));
        for (const hop of outside) {
          assert.equal(
            await owner(hop),
            INTERPRETER_PACKAGE,
            `${exe} reaches the interpreter through ${hop}`,
          );
        }
        assert.equal(realpathSync(exe), pkg === COPIED ? exe : PYTHON);
      }
    }
    // And the interpreter's package stays while they are installed: dpkg will not remove it (nor will apt,
    // short of removing them too), so a minor upgrade either keeps it or stops and says why.
    const removal = await dpkgRun(['dpkg', '--dry-run', '--remove', INTERPRETER_PACKAGE]);
    assert.notEqual(removal.status, 0, `dpkg would remove ${INTERPRETER_PACKAGE}`);
    for (const pkg of PACKAGES) {
      assert.match(removal.output, new RegExp(`^ ${pkg} depends on ${INTERPRETER_PACKAGE}\\.$`, 'm'));
    }
  });

  test('dpkg-trigger on /usr/bin/python3.X, then dpkg --triggers-only: the stale copy is replaced, quietly', async () => {
    const symlinkedBefore = treeState(venvOf(SYMLINKED));
    const stale = makeStale(COPIED);
    assert.deepEqual(staleInterpreters(COPIED), stale);

    await dpkgOk(['dpkg-trigger', '--no-await', PYTHON]);
    for (const pkg of PACKAGES) {
      assert.equal(await dpkgStatus(pkg), 'triggers-pending', `${pkg} is not interested in ${PYTHON}`);
      assert.match(await dpkgQuery(pkg, '${Triggers-Pending}'), new RegExp(`(^|\\s)${PYTHON}(\\s|$)`));
    }
    const output = await dpkgOk(['dpkg', '--triggers-only', ...PACKAGES]);
    assert.deepEqual(scriptOutput(output), [], 'the postinst printed something without DH_VERBOSE=1');
    for (const pkg of PACKAGES) assert.equal(await dpkgStatus(pkg), 'installed');

    assert.deepEqual(staleInterpreters(COPIED), []);
    // The interpreter first replaced is kept as <name>,orig (the prerm removes it); the symlinked venv is untouched.
    for (const path of stale) assert.ok(existsSync(`${path},orig`), `no ${path},orig`);
    assert.deepEqual(treeChanges(symlinkedBefore, treeState(venvOf(SYMLINKED))), []);
    await assertProgramsRun();
  });

  test('the named trigger dh-virtualenv-interpreter-update, with DH_VERBOSE=1: the postinst says what it did', async () => {
    const stale = makeStale(COPIED);
    await dpkgOk(['dpkg-trigger', '--no-await', 'dh-virtualenv-interpreter-update']);
    const output = await dpkgOk(['dpkg', '--triggers-only', ...PACKAGES], { DH_VERBOSE: '1' });
    assert.deepEqual(
      scriptOutput(output),
      stale.map((path) => `dh_virtualenv: refreshed ${path} from ${PYTHON}`),
    );
    assert.deepEqual(staleInterpreters(COPIED), []);
    await assertProgramsRun();
  });

  test(
    'reinstalling python3.X-minimal (same version): its file trigger refreshes the copy',
    { timeout: TIMEOUT },
    async (t) => {
      const found = await interpreterDeb(workDir);
      if ('skip' in found) {
        t.skip(found.skip);
        return;
      }
      // Every field of its status entry, Version and Description included: the machine is left as it was.
      const statusBefore = await dpkgStatusEntry(`${INTERPRETER_PACKAGE}-minimal`);
      makeStale(COPIED);
      const output = await dpkgOk(['dpkg', '-i', found.deb]);
      t.diagnostic(`reinstalled ${found.deb}, from ${found.from}`);
      assert.equal(await dpkgStatusEntry(`${INTERPRETER_PACKAGE}-minimal`), statusBefore);
      for (const pkg of PACKAGES) {
        assert.match(output, new RegExp(`^Processing triggers for ${pkg} `, 'm'));
        assert.equal(await dpkgStatus(pkg), 'installed');
      }
      assert.deepEqual(staleInterpreters(COPIED), []);
      await assertProgramsRun();
    },
  );

  test('removal takes the ,orig backups and all byte code with it', async () => {
    const output = await dpkgOk(['dpkg', '--remove', ...PACKAGES]);
    assert.deepEqual(scriptOutput(output), []);
    for (const pkg of PACKAGES) {
      assert.deepEqual(notEmptyWarnings(output, venvOf(pkg)), []);
      assertNothingLeft(venvOf(pkg));
      // No conffiles and no postrm: removed is purged already.
      assert.equal(await dpkgStatus(pkg), 'not-installed');
    }
  });
});
