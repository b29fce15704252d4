import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runBuildsystemStep } from '../../../src/build/buildsystem';
import { UsageError } from '../../../src/core/errors';
import { SETUPTOOLS_VERSION_PROBE } from '../../../src/build/installs';
import { SYSTEM_PYTHON } from '../../../src/core/interpreter';
import { VERSION_PROBE } from '../../../src/build/pipeline';
import { optionsFrom, recordingLogger, recordingRunner, tempDir, writeFile } from '../helpers';

const VENV = 'usr/share/python/hello';

/**
 * A source package built with "dh $@ --buildsystem=dh_virtualenv": each call runs one dh_auto_* step the way
 * the Perl module hands it over. The Runner stands in for dh_listpackages, virtualenv, pip, cp and dpkg-query,
 * and the venv's python answers that its setuptools is `setuptools` ('' for none).
 */
function sourcePackage(packages = 'hello\n', setuptools = '66.1.1') {
  const cwd = tempDir('buildsystem');
  writeFile(join(cwd, 'debian/control'), 'Source: hello\n');
  writeFile(join(cwd, 'setup.py'), '');
  writeFile(join(cwd, 'requirements.txt'), '');
  const buildVenv = join(cwd, 'obj', VENV);
  const runner = recordingRunner((argv) => {
    if (argv[0] === 'dh_listpackages') return packages;
    if (argv[0] === 'dpkg-query') return `python3-minimal: ${argv[2] ?? ''}`;
    if (argv[2] === VERSION_PROBE) return '3.99';
    if (argv[2] === SETUPTOOLS_VERSION_PROBE) return setuptools;
    if (argv[0] === 'cp') cpSync(argv[3] ?? '', argv[4] ?? '', { recursive: true, verbatimSymlinks: true });
    if (argv.includes('virtualenv')) {
      writeFile(join(buildVenv, 'bin/hello'), `#!${buildVenv}/bin/python\n`, 0o755);
      writeFile(join(buildVenv, 'bin/activate'), `VIRTUAL_ENV='${buildVenv}'\n`);
    }
    return '';
  });
  const logger = recordingLogger();
  const step = (name: string, ...extra: string[]): void => {
    const options = optionsFrom([
      `--buildsystem-step=${name}`,
      '--source-package=hello',
      '--sourcedirectory=.',
      `--builddirectory=${extra.find((word) => word.startsWith('--builddirectory='))?.slice(17) ?? 'obj'}`,
      ...extra.filter((word) => !word.startsWith('--builddirectory=')),
    ]);
    assert.ok(options.buildsystem !== undefined);
    const before = process.cwd();
    process.chdir(cwd);
    try {
      runBuildsystemStep(
        { options, runner, logger, hostEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd },
        options.buildsystem,
      );
    } finally {
      process.chdir(before);
    }
  };
  const argvs = (): string[][] => runner.calls.map((call) => [...call.argv]);
  const read = (path: string): string => readFileSync(join(cwd, path), 'utf8');
  return {
    cwd,
    buildVenv,
    runner,
    logger,
    step,
    argvs,
    read,
    exists: (path: string) => existsSync(join(cwd, path)),
  };
}

describe(
  'runBuildsystemStep',
  { skip: !existsSync(SYSTEM_PYTHON) && `${SYSTEM_PYTHON} is not installed` },
  () => {
    test('configure makes the build directory; build creates the venv there and installs the requirements', () => {
      const pkg = sourcePackage();
      pkg.step('configure');
      assert.ok(pkg.exists('obj'));
      assert.deepEqual(pkg.argvs(), []);

      pkg.step('build');
      const python = join(pkg.buildVenv, 'bin/python');
      // The interpreter is checked first: its version, then its owner.
      assert.deepEqual(pkg.argvs()[0]?.slice(1), ['-c', VERSION_PROBE]);
      assert.deepEqual(pkg.argvs()[1]?.slice(0, 2), ['dpkg-query', '-S']);
      const [, , ...rest] = pkg.argvs();
      assert.deepEqual(rest[0], ['dpkg-buildflags', '--query']);
      assert.deepEqual(rest[1]?.slice(0, 3), [SYSTEM_PYTHON, '-m', 'virtualenv']);
      assert.equal(rest[1]?.at(-1), pkg.buildVenv);
      assert.deepEqual(rest[3], [python, '-c', rest[2]?.[2] ?? '']);
      const records = join(pkg.cwd, 'debian/.debhelper/dh_virtualenv/hello/install-reports/00');
      assert.deepEqual(rest.slice(4), [
        [
          python,
          '-m',
          'pip',
          'install',
          '--no-compile',
          '--report',
          `${records}.json`,
          '--log',
          `${records}.log`,
          '-r',
          join(pkg.cwd, 'requirements.txt'),
        ],
      ]);
      assert.ok(!pkg.exists('debian/hello'), 'nothing goes into the package tree before install');
    });

    test('test runs setup.py test in the source directory when the venv has a setuptools that can', () => {
      const pkg = sourcePackage();
      pkg.step('test');
      const python = join(pkg.buildVenv, 'bin/python');
      assert.deepEqual(
        pkg.runner.calls.map((call) => [call.argv, call.options.cwd]),
        [
          [[python, '-c', SETUPTOOLS_VERSION_PROBE], pkg.cwd],
          [[python, 'setup.py', 'test'], pkg.cwd],
        ],
      );
      assert.deepEqual(
        pkg.logger.entries.filter((entry) => entry.kind === 'warning'),
        [],
      );
    });

    test('test warns and runs nothing without setuptools or with one that has no test command (Debian 13)', () => {
      for (const [setuptools, why] of [
        ['', 'the virtualenv has no setuptools'],
        ['78.1.1', 'setuptools 78.1.1 has no test command (setuptools 72 removed it)'],
      ] as const) {
        const pkg = sourcePackage('hello\n', setuptools);
        pkg.step('test');
        assert.deepEqual(
          pkg.argvs().map((argv) => argv.slice(1, 2)),
          [['-c']],
          'only the probe ran',
        );
        assert.deepEqual(
          pkg.logger.entries.filter((entry) => entry.kind === 'warning').map((entry) => entry.message),
          [
            `hello: "setup.py test" cannot run: ${why}; no tests were run ` +
              '(run them from debian/rules, e.g. in override_dh_auto_test)',
          ],
        );
      }
    });

    test('install installs the project, copies the venv into the package and fixes it for its final path', () => {
      const pkg = sourcePackage();
      pkg.step('build');
      pkg.runner.calls.length = 0;
      pkg.step('install', '--destdir=debian/hello');
      const installed = join(pkg.cwd, 'debian/hello', VENV);
      assert.deepEqual(
        pkg.argvs().map((argv) => argv.slice(0, 4)),
        [
          ['dpkg-buildflags', '--query'],
          [join(pkg.buildVenv, 'bin/python'), '-m', 'pip', 'install'],
          ['cp', '-a', '-T', pkg.buildVenv],
          ['dh_listpackages'],
          ['dpkg-query', '-S', pkg.argvs().at(-1)?.[2] ?? ''],
        ],
      );
      assert.deepEqual(pkg.argvs()[2], ['cp', '-a', '-T', pkg.buildVenv, installed]);
      assert.equal(pkg.read(`debian/hello/${VENV}/bin/hello`), `#!/${VENV}/bin/python\n`);
      assert.equal(pkg.read(`debian/hello/${VENV}/bin/activate`), `VIRTUAL_ENV=/${VENV}\n`);
      assert.equal(
        pkg.read(`obj/${VENV}/bin/hello`),
        `#!${pkg.buildVenv}/bin/python\n`,
        'the build venv is left as built',
      );
      assert.match(pkg.read('debian/hello.postinst.debhelper'), new RegExp(`dh_venv_dir='/${VENV}'`));
      assert.equal(pkg.read('debian/hello.substvars'), 'misc:Depends=python3\n');
    });

    test('install into debian/tmp adds scripts and substvars for every package acted on', () => {
      const pkg = sourcePackage('hello\nhello-extra\n');
      pkg.step('build');
      pkg.step('install', '--destdir=debian/tmp');
      assert.ok(pkg.exists(`debian/tmp/${VENV}/bin/hello`));
      for (const name of ['hello', 'hello-extra']) {
        assert.ok(pkg.exists(`debian/${name}.postinst.debhelper`), name);
        assert.ok(pkg.exists(`debian/${name}.substvars`), name);
      }
    });

    test('clean removes the build directory, but never one that holds the source tree', () => {
      const pkg = sourcePackage();
      pkg.step('build');
      pkg.step('clean');
      assert.ok(!pkg.exists('obj'));
      assert.ok(pkg.exists('setup.py'));
      for (const dir of ['.', '..', '/']) {
        assert.throws(
          () => pkg.step('clean', `--builddirectory=${dir}`),
          (error: unknown) =>
            error instanceof UsageError && /refusing to remove build directory/.test(error.message),
          dir,
        );
      }
      assert.ok(pkg.exists('setup.py'));
    });
  },
);
