import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CommandFailedError, ConfigurationError, StepFailedError } from '../../../src/core/errors';
import { SETUPTOOLS_VERSION_PROBE } from '../../../src/build/installs';
import { run } from '../../../src/build/main';
import { VERSION_PROBE } from '../../../src/build/pipeline';
import { optionsFrom, recordingLogger, recordingRunner, tempDir, writeFile } from '../helpers';

const STAGING = 'debian/hello/opt/venvs/hello';

/**
 * A source package with debian/control, setup.py and requirements.txt, and a Runner standing in for
 * dh_listpackages, virtualenv (which writes a pip-made script), pip, dpkg-query and the venv's python asked
 * for its setuptools (66.1.1 unless `setuptools` says otherwise; '' for none).
 */
function sourcePackage(
  argv: readonly string[],
  answers: {
    packages?: string;
    failOn?: string;
    owner?: string | null;
    files?: readonly string[];
    setuptools?: string;
  } = {},
) {
  const cwd = tempDir('main');
  writeFile(join(cwd, 'debian/control'), 'Source: hello\n');
  for (const file of answers.files ?? ['setup.py', 'requirements.txt']) writeFile(join(cwd, file), '');
  const python = writeFile(join(tempDir('python'), 'python3.99'), '#!/bin/sh\n', 0o755);
  const staging = join(cwd, STAGING);
  const runner = recordingRunner((command: readonly string[]) => {
    if (command[0] === 'dh_listpackages') return answers.packages ?? 'hello\npython3-hello\n';
    if (command[2] === VERSION_PROBE) return '3.99';
    if (command[0] === 'dpkg-query') {
      if (answers.owner === null) throw new CommandFailedError(command, 1, null, '');
      return `${answers.owner ?? 'python3.99-minimal'}: ${python}`;
    }
    if (command[2] === SETUPTOOLS_VERSION_PROBE) return answers.setuptools ?? '66.1.1';
    if (answers.failOn !== undefined && command.includes(answers.failOn)) {
      throw new CommandFailedError(command, 1, null, 'ERROR: boom');
    }
    if (command.includes('virtualenv')) {
      const venv = command[command.length - 1] ?? staging;
      writeFile(join(venv, 'bin/hello'), `#!${venv}/bin/python\n`, 0o755);
    }
    return '';
  });
  const logger = recordingLogger();
  let clock = 0;
  const hostEnv = { PATH: '/usr/bin:/bin', PYTHONPATH: '/home/me/lib', LANG: 'C.UTF-8' };
  const go = (env: Record<string, string> = {}): void => {
    const before = process.cwd();
    process.chdir(cwd);
    try {
      run({
        options: optionsFrom(['--python', python, ...argv]),
        runner,
        logger,
        hostEnv: { ...hostEnv, ...env },
        cwd,
        // Each reading of the clock is 1.5 s after the one before.
        now: () => (clock += 1500),
      });
    } finally {
      process.chdir(before);
    }
  };
  const exists = (path: string): boolean => existsSync(join(cwd, path));
  const read = (path: string): string => readFileSync(join(cwd, path), 'utf8');
  return { cwd, python, staging, runner, logger, go, exists, read };
}

const ABI_PROBE =
  "import sys, sysconfig; print(sys.implementation.cache_tag, sysconfig.get_config_var('SOABI'))";

describe('run', () => {
  test('lists packages, creates the venv, installs, relocates, then writes scripts, triggers and substvars', () => {
    const pkg = sourcePackage([]);
    pkg.go();
    const py = join(pkg.staging, 'bin/python');
    const reports = join(pkg.cwd, 'debian/.debhelper/dh_virtualenv/hello/install-reports');
    const requirements = join(pkg.cwd, 'requirements.txt');
    const records = (n: string): string[] => [
      '--report',
      `${reports}/${n}.json`,
      '--log',
      `${reports}/${n}.log`,
    ];
    assert.deepEqual(
      pkg.runner.calls.map((call) => call.argv),
      [
        ['dh_listpackages'],
        ['dpkg-buildflags', '--query'],
        [pkg.python, '-c', VERSION_PROBE],
        ['dpkg-query', '-S', pkg.python],
        ['/usr/bin/python3', '-m', 'virtualenv', '--python', pkg.python, pkg.staging],
        [pkg.python, '-c', ABI_PROBE],
        [py, '-c', ABI_PROBE],
        [py, '-m', 'pip', 'install', '--no-compile', ...records('00'), '-r', requirements],
        [py, '-m', 'pip', 'install', '--no-compile', ...records('01'), '.'],
        ['dpkg-query', '-S', pkg.python],
      ],
    );
    // What the venv bundles is on record in the package's documentation (sbom.ts).
    assert.equal(
      JSON.parse(pkg.read('debian/hello/usr/share/doc/hello/sbom.cdx.json')).bomFormat,
      'CycloneDX',
    );
    // virtualenv's seed wheels are kept in the build's own directory, not in $HOME.
    assert.equal(
      pkg.runner.calls[4]?.options.env.VIRTUALENV_OVERRIDE_APP_DATA,
      join(pkg.cwd, 'debian/.debhelper/dh_virtualenv/virtualenv-app-data'),
    );
    for (const call of pkg.runner.calls.slice(4, 9)) {
      assert.equal(call.options.env.PYTHONPATH, undefined);
      assert.equal(call.options.env.PIP_NO_INPUT, '1');
      assert.equal(call.options.env.LANG, 'C.UTF-8');
    }
    assert.equal(pkg.runner.calls[8]?.options.cwd, pkg.cwd);
    assert.equal(pkg.read(`${STAGING}/bin/hello`), '#!/opt/venvs/hello/bin/python\n');
    assert.match(pkg.read('debian/hello.postinst.debhelper'), /dh_venv_dir='\/opt\/venvs\/hello'/);
    assert.match(pkg.read('debian/hello.prerm.debhelper'), /'\/opt\/venvs\/hello'/);
    assert.match(
      pkg.read('debian/.debhelper/generated/hello/triggers'),
      new RegExp(`^interest-noawait ${pkg.python}$`, 'm'),
    );
    assert.equal(pkg.read('debian/hello.substvars'), 'misc:Depends=python3.99\n');
    assert.ok(!pkg.exists('debian/python3-hello'));
    assert.deepEqual(
      pkg.logger.entries.filter((entry) => entry.kind === 'progress').map((entry) => entry.message),
      [
        `creating /opt/venvs/hello (virtualenv, ${pkg.python})`,
        'installing requirements.txt',
        'installing the project',
        'fixing paths for /opt/venvs/hello',
      ],
    );
    assert.deepEqual(
      pkg.logger.entries.filter((entry) => entry.kind === 'warning'),
      [],
    );
    // Each step is announced again when it ends, with what it did and how long it took.
    assert.deepEqual(
      pkg.logger.entries.flatMap((entry) =>
        entry.kind === 'done' ? [`${entry.message} ${entry.seconds}`] : [],
      ),
      [
        `creating /opt/venvs/hello (virtualenv, ${pkg.python}) 1.5`,
        'installing requirements.txt (0 distributions) 1.5',
        'installing the project (0 distributions) 1.5',
        'fixing paths for /opt/venvs/hello (1 script(s), 0 symlink(s)) 1.5',
      ],
    );
  });

  test('refuses to run inside an activated virtualenv, before running anything', () => {
    const pkg = sourcePackage([]);
    assert.throws(
      () => pkg.go({ VIRTUAL_ENV: '/home/me/venv' }),
      (error: unknown) => error instanceof ConfigurationError && /deactivate/.test(error.message),
    );
    assert.deepEqual(pkg.runner.calls, []);
  });

  test('a failing step names the package and step, and leaves no scripts or substvars behind', () => {
    const pkg = sourcePackage([], { failOn: '.' });
    assert.throws(
      () => pkg.go(),
      (error: unknown) => {
        assert.ok(error instanceof StepFailedError);
        assert.deepEqual(
          [error.packageName, error.step, error.exitCode],
          ['hello', 'installing the project', 1],
        );
        assert.equal(
          error.message,
          `hello: installing the project failed: ${join(pkg.staging, 'bin/python')} returned exit code 1`,
        );
        return true;
      },
    );
    for (const path of [
      'debian/hello.postinst.debhelper',
      'debian/.debhelper/generated',
      'debian/hello.substvars',
    ]) {
      assert.ok(!pkg.exists(path), path);
    }
  });

  test('--noscripts writes no maintainer scripts or triggers, but still the substvars', () => {
    const pkg = sourcePackage(['--noscripts']);
    pkg.go();
    assert.ok(!pkg.exists('debian/hello.postinst.debhelper'));
    assert.ok(!pkg.exists('debian/.debhelper/generated'));
    assert.equal(pkg.read('debian/hello.substvars'), 'misc:Depends=python3.99\n');
  });

  test('--setuptools-test runs setup.py test, or warns when there is no setup.py or no way to run it', () => {
    const withSetupPy = sourcePackage(['--setuptools-test']);
    withSetupPy.go();
    const last = withSetupPy.runner.calls.at(-2);
    assert.deepEqual([last?.argv.slice(1), last?.options.cwd], [['setup.py', 'test'], withSetupPy.cwd]);

    const warnings = (pkg: ReturnType<typeof sourcePackage>): string[] =>
      pkg.logger.entries.filter((entry) => entry.kind === 'warning').map((entry) => entry.message);
    const without = sourcePackage(['--setuptools-test'], { files: ['pyproject.toml'] });
    without.go();
    assert.deepEqual(warnings(without), ['hello: no setup.py, so there is no "setup.py test" to run']);

    // Debian 13: virtualenv seeds no setuptools for Python 3.13.
    const noSetuptools = sourcePackage(['--setuptools-test'], { setuptools: '' });
    noSetuptools.go();
    assert.deepEqual(warnings(noSetuptools), [
      'hello: "setup.py test" cannot run: the virtualenv has no setuptools; no tests were run ' +
        '(run them from debian/rules, e.g. in override_dh_auto_test)',
    ]);
    assert.ok(!noSetuptools.runner.calls.some((call) => call.argv.includes('setup.py')));
  });

  test('a virtualenv whose interpreter differs from --python stops the build before pip runs', () => {
    const pkg = sourcePackage([]);
    const respond = pkg.runner.capture.bind(pkg.runner);
    pkg.runner.capture = (argv, options) =>
      argv[1] === '-c' && argv[0] !== pkg.python
        ? (respond(argv, options), 'cpython-312 cpython-312-x86_64-linux-gnu')
        : respond(argv, options);
    assert.throws(
      () => pkg.go(),
      (error: unknown) =>
        error instanceof StepFailedError &&
        error.step === 'checking the virtualenv interpreter' &&
        /runs cpython-312/.test(error.message),
    );
    assert.ok(!pkg.runner.calls.some((call) => call.argv.includes('pip')));
  });

  test('each package gets the options of its own debian/<package>.dh-virtualenv after the command line', () => {
    const pkg = sourcePackage(['--extra-pip-arg=--no-cache-dir'], {
      packages: 'hello-server\nhello-worker\n',
      files: ['setup.py', 'requirements.txt', 'requirements/worker.txt'],
    });
    writeFile(join(pkg.cwd, 'debian/hello-server.dh-virtualenv'), '# the web server\n--extras server\n');
    writeFile(
      join(pkg.cwd, 'debian/hello-worker.dh-virtualenv'),
      '--requirements requirements/worker.txt\n--install-suffix worker\n',
    );
    pkg.go();
    const installs = (name: string, venv: string): string[][] =>
      pkg.runner.calls
        .map((call) => call.argv)
        .filter(
          (argv) => argv[0] === join(pkg.cwd, 'debian', name, venv, 'bin/python') && argv[3] === 'install',
        )
        .map((argv) => argv.slice(9)); // after pip install --no-compile --report R --log L
    assert.deepEqual(installs('hello-server', '/opt/venvs/hello-server'), [
      ['--no-cache-dir', '-r', join(pkg.cwd, 'requirements.txt')],
      ['--no-cache-dir', '.[server]'],
    ]);
    assert.deepEqual(installs('hello-worker', '/opt/venvs/worker'), [
      ['--no-cache-dir', '-r', join(pkg.cwd, 'requirements/worker.txt')],
      ['--no-cache-dir', '.'],
    ]);
    assert.match(pkg.read('debian/hello-worker.postinst.debhelper'), /dh_venv_dir='\/opt\/venvs\/worker'/);
    for (const name of ['hello-server', 'hello-worker']) {
      assert.equal(pkg.read(`debian/${name}.substvars`), 'misc:Depends=python3.99\n', name);
    }
    assert.deepEqual(
      pkg.logger.entries.flatMap((entry) =>
        entry.kind === 'progress' && entry.message.startsWith('options') ? [entry.message] : [],
      ),
      [
        'options from debian/hello-server.dh-virtualenv: --extras=server',
        'options from debian/hello-worker.dh-virtualenv: --requirements=requirements/worker.txt ' +
          '--install-suffix=worker',
      ],
    );
  });

  test('no packages to act on: nothing is built', () => {
    const pkg = sourcePackage([], { packages: 'python3-hello\n' });
    pkg.go();
    assert.deepEqual(
      pkg.runner.calls.map((call) => call.argv[0]),
      ['dh_listpackages'],
    );
    assert.ok(!pkg.exists('debian/hello'));
  });

  test('an interpreter no package owns stops the build before anything is made, naming the way out', () => {
    const pkg = sourcePackage([], { owner: null });
    assert.throws(
      () => pkg.go(),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message.startsWith(`--python ${pkg.python} belongs to no Debian package`) &&
        /pass --allow-unpackaged-python/.test(error.message),
    );
    assert.ok(!pkg.runner.calls.some((call) => call.argv.includes('virtualenv')));
  });

  test('with --allow-unpackaged-python it gives a warning instead of a dependency', () => {
    const pkg = sourcePackage(['--allow-unpackaged-python'], { owner: null });
    pkg.go();
    assert.ok(!pkg.exists('debian/hello.substvars'));
    const warnings = pkg.logger.entries.filter((entry) => entry.kind === 'warning');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.kind === 'warning' ? warnings[0].message : '', /belongs to no Debian package/);
  });
});

describe('the --python check', () => {
  test('an interpreter that does not run, is not Python or is too old stops the build before the venv', () => {
    // [what the probe answers (or how it fails), the error]
    const cases: [string | CommandFailedError, RegExp][] = [
      [new CommandFailedError(['x'], 126, null, ''), /is not a Python interpreter that runs here/],
      ['GNU bash, version 5.2', /answered "GNU bash, version 5.2" when asked for its version/],
      ['2.7', /is Python 2\.7; a virtualenv needs Python 3\.7 or later/],
      ['3.6', /is Python 3\.6; a virtualenv needs Python 3\.7 or later/],
    ];
    for (const [answer, message] of cases) {
      const pkg = sourcePackage([]);
      const runner = pkg.runner;
      const original = runner.capture.bind(runner);
      runner.capture = (argv, options) => {
        if (argv[2] !== VERSION_PROBE) return original(argv, options);
        if (typeof answer !== 'string') throw answer;
        return answer;
      };
      assert.throws(
        () => pkg.go(),
        (error: unknown) => error instanceof ConfigurationError && message.test(error.message),
        String(answer),
      );
      assert.ok(!runner.calls.some((call) => call.argv.includes('virtualenv')));
    }
  });
});
