import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CommandFailedError, UsageError } from '../../../src/core/errors';
import { checkMaintainer, findMaintainer, maintainerFromEnvironment } from '../../../src/init/maintainer';
import { planPackage } from '../../../src/init/plan';
import { readProject } from '../../../src/init/project';
import { initContext, initOptions, MAINTAINER_ENV, projectCopy, projectWith } from './helpers';

const MIT_LICENSE =
  'Copyright (c) 2024 Jane\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n';

function plan(dir: string, args: string[] = [], env: Record<string, string> = MAINTAINER_ENV) {
  const { context, runner, logger } = initContext(dir, args, env);
  return { plan: planPackage(context, readProject(context)), runner, logger };
}

/** The error planPackage stops with, which must be a UsageError. */
function planError(dir: string, args: string[] = [], env: Record<string, string> = MAINTAINER_ENV): string {
  try {
    plan(dir, args, env);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  return assert.fail('no error');
}

describe('missing metadata is asked for by the flag that gives it, never made up', () => {
  test('each gap names its flag, all in one message, and nothing is written', () => {
    const dir = projectWith({ 'pyproject.toml': '[project]\nname = "bare"\ndynamic = ["version"]\n' });
    const message = planError(dir, [], {});
    assert.match(
      message,
      /^pyproject\.toml \[project\] does not say everything debian\/ needs, so nothing was written\./,
    );
    for (const expected of [
      /the version \(it is "dynamic" and the build backend computes it\): pass --version VERSION/,
      /a summary: pass --description SYNOPSIS/,
      /the maintainer \(no DEBFULLNAME and DEBEMAIL, no git user.name and user.email\): pass --maintainer "NAME <EMAIL>"/,
      /the license: pass --license SPDX-EXPRESSION/,
      /the copyright holders \(no notice in a license file, no authors\): pass --copyright "YEARS HOLDER"/,
    ]) {
      assert.match(message, expected);
    }
  });

  test('the flags fill the gaps', () => {
    const dir = projectWith({
      'pyproject.toml': '[project]\nname = "bare"\ndynamic = ["version"]\n',
      LICENSE: MIT_LICENSE,
    });
    const { plan: result } = plan(
      dir,
      [
        '--version',
        '1.0rc1',
        '--description',
        'A bare project.',
        '--license',
        'MIT',
        '--maintainer',
        'Jo Doe <jo@example.org>',
      ],
      {},
    );
    assert.equal(result.version, '1.0~rc1');
    assert.equal(result.synopsis, 'Bare project');
    assert.equal(result.maintainer, 'Jo Doe <jo@example.org>');
    assert.equal(result.license.expression, 'Expat');
    assert.deepEqual(result.copyright.holders, ['2024 Jane']);
  });

  test('a version that is not PEP 440, a synopsis over 80 characters, a license without text', () => {
    const dir = projectWith({
      'pyproject.toml': `[project]\nname = "x-y"\nversion = "latest"\ndescription = "${'long '.repeat(20)}"\nlicense = "BSD-3-Clause"\nauthors = [{ name = "A" }]\n`,
    });
    const message = planError(dir);
    assert.match(message, /a version dpkg can order \("latest" is not PEP 440\): pass --version VERSION/);
    assert.match(
      message,
      /a synopsis of at most 80 characters \(the summary has 99\): pass --description SYNOPSIS/,
    );
    assert.match(
      message,
      /the text of the license BSD-3-clause \(no license file holds it\): add a LICENSE file/,
    );
  });

  test('a license the metadata only names as a family, and no license file to say which', () => {
    const dir = projectWith({
      'setup.cfg':
        '[metadata]\nname = fam\nversion = 1\ndescription = d\nauthor = A\nlicense = BSD\nclassifiers =\n  License :: OSI Approved :: BSD License\n',
    });
    assert.match(
      planError(dir),
      /the license \("BSD" names no single license\): pass --license SPDX-EXPRESSION/,
    );
  });

  test('a license name that is no SPDX license is asked for, not copied: --license LicenseRef-… says it', () => {
    const files = {
      'pyproject.toml':
        '[project]\nname = "inhouse"\nversion = "1"\ndescription = "d"\nlicense = "Proprietary"\nauthors = [{ name = "ACME" }]\n',
      LICENSE: 'Copyright 2024 ACME Corp.\n\nFor ACME staff only.\n',
    };
    assert.match(
      planError(projectWith(files)),
      /the license \("Proprietary" names no single license\): pass --license/,
    );
    const { plan: result } = plan(projectWith(files), ['--license', 'LicenseRef-ACME-Internal']);
    assert.deepEqual(result.license, {
      expression: 'LicenseRef-ACME-Internal',
      paragraphs: [{ name: 'LicenseRef-ACME-Internal', text: 'For ACME staff only.' }],
    });
    assert.deepEqual(result.copyright.holders, ['2024 ACME Corp']);
  });

  test('--service names a console script of the project; the user is a system user name', () => {
    const dir = projectCopy('init-service');
    assert.throws(
      () => plan(dir, ['--service', 'nope']),
      /--service nope: not a console script of the project \(it has dhvt-web\)/,
    );
    assert.match(
      planError(dir, ['--service', 'dhvt-web', '--user', 'Web User']),
      /a system user name \("Web User" is not one/,
    );
    assert.deepEqual(plan(dir, ['--service', 'dhvt-web']).plan.service, {
      script: 'dhvt-web',
      user: 'dhvt-web',
    });
  });
});

describe('what the plan decides', () => {
  test('Build-Depends and Architecture: an sdist with C code brings python3-dev and its -dev package', () => {
    const { plan: result } = plan(projectCopy('init-psycopg2'));
    assert.deepEqual(
      result.buildDepends.map((dependency) => dependency.name),
      ['debhelper-compat (= 13)', 'dh-sequence-python-virtualenv', 'python3', 'python3-dev', 'libpq-dev'],
    );
    assert.equal(result.architecture, 'any');
    assert.match(result.architectureWhy, /psycopg2 is compiled from its sdist/);
  });

  test('requirements.txt counts as much as the metadata: dh_virtualenv installs it first', () => {
    const dir = projectCopy('init-two-scripts');
    assert.equal(plan(dir).plan.architecture, 'all');
    const withFile = projectCopy('init-two-scripts');
    writeFileSync(`${withFile}/requirements.txt`, 'mysqlclient==2.2\n');
    const result = plan(withFile).plan;
    assert.equal(result.architecture, 'any');
    assert.ok(result.buildDepends.some((dependency) => dependency.name === 'libmariadb-dev'));
  });

  test('--python names the interpreter; its Debian package comes from dpkg-query', () => {
    const dir = projectCopy('init-two-scripts');
    const { context, runner } = initContext(
      dir,
      ['--python', '/usr/bin/python3'],
      { ...MAINTAINER_ENV, PATH: '/usr/bin' },
      (argv) => (argv[0] === 'dpkg-query' ? `python3.11-minimal:amd64: ${argv[2] ?? ''}` : ''),
    );
    const result = planPackage(context, readProject(context));
    assert.equal(result.python, '/usr/bin/python3');
    assert.ok(result.buildDepends.some((dependency) => dependency.name === 'python3.11'));
    assert.deepEqual(runner.calls[0]?.argv.slice(0, 2), ['dpkg-query', '-S']);
  });

  test('--install-root moves the venv; the default is left to dh_virtualenv', () => {
    const dir = projectCopy('init-two-scripts');
    assert.equal(plan(dir, ['--install-root', '/srv/venvs/']).plan.venvDir, '/srv/venvs/dhvt-two');
    assert.equal(plan(dir, ['--install-root', '/srv/venvs/']).plan.installRoot, '/srv/venvs');
    assert.equal(plan(dir, ['--install-root', '/opt/venvs']).plan.installRoot, undefined);
    assert.throws(
      () => initOptions(['--install-root', 'relative']),
      /--install-root relative: give an absolute directory/,
    );
    assert.throws(() => initOptions(['--install-root', '/with space']), UsageError);
  });

  test('a readme paragraph that only repeats the summary is left out', () => {
    const dir = projectWith({
      'pyproject.toml':
        '[project]\nname = "echo"\nversion = "1"\ndescription = "Echoes."\nlicense = "MIT"\nauthors = [{ name = "A" }]\n',
      'README.md': '# echo\n\nEchoes\n',
      LICENSE: MIT_LICENSE,
    });
    assert.deepEqual(plan(dir).plan.extendedDescription, [
      ' The package holds echo and the Python packages it needs in a virtualenv',
      ' of their own, /opt/venvs/echo.',
    ]);
  });

  test('the changelog date is SOURCE_DATE_EPOCH when set, for reproducible output', () => {
    const dir = projectCopy('init-two-scripts');
    assert.equal(
      plan(dir, [], { ...MAINTAINER_ENV, SOURCE_DATE_EPOCH: '1700000000' }).plan.date.toISOString(),
      '2023-11-14T22:13:20.000Z',
    );
  });
});

describe('the maintainer', () => {
  test('DEBFULLNAME and DEBEMAIL, as dch reads them', () => {
    const cases: [Record<string, string>, string | undefined][] = [
      [{ DEBFULLNAME: 'Jane Doe', DEBEMAIL: 'jane@example.org' }, 'Jane Doe <jane@example.org>'],
      [{ DEBEMAIL: 'Jane Doe <jane@example.org>' }, 'Jane Doe <jane@example.org>'],
      [
        { DEBFULLNAME: 'Other Name', DEBEMAIL: 'Jane Doe <jane@example.org>' },
        'Other Name <jane@example.org>',
      ],
      [{ DEBEMAIL: 'jane@example.org' }, undefined],
      [{ DEBFULLNAME: 'Jane Doe' }, undefined],
      [{}, undefined],
    ];
    for (const [env, expected] of cases)
      assert.equal(maintainerFromEnvironment(env), expected, JSON.stringify(env));
  });

  test('--maintainer first, then the environment, then git config; no git is no answer', () => {
    const dir = projectWith({});
    const git = (name: string | undefined, email: string | undefined) => (argv: readonly string[]) => {
      const value = argv[3] === 'user.name' ? name : email;
      if (value === undefined) throw new CommandFailedError(argv, 1, null, '');
      return value;
    };
    assert.equal(findMaintainer(initContext(dir, ['--maintainer', 'A B <a@b.c>']).context), 'A B <a@b.c>');
    assert.equal(
      findMaintainer(initContext(dir, [], MAINTAINER_ENV).context),
      'Test Maintainer <maint@example.org>',
    );
    const fromGit = initContext(dir, [], {}, git('Git User', 'git@example.org'));
    assert.equal(findMaintainer(fromGit.context), 'Git User <git@example.org>');
    assert.deepEqual(
      fromGit.runner.calls.map((call) => [call.argv, call.options.cwd]),
      [
        [['git', 'config', '--get', 'user.name'], dir],
        [['git', 'config', '--get', 'user.email'], dir],
      ],
    );
    assert.equal(findMaintainer(initContext(dir, [], {}, git('Git User', undefined)).context), undefined);
    const noGit = initContext(dir, [], {}, (argv) => {
      throw new CommandFailedError(argv, null, null, '', 'spawnSync git ENOENT');
    });
    assert.equal(findMaintainer(noGit.context), undefined);
  });

  test('a maintainer that is not "Name <address>" is refused', () => {
    for (const bad of ['Jane', 'jane@example.org', '<jane@example.org>', 'Jane <jane>', 'A, B <a@b.c>']) {
      assert.throws(
        () => checkMaintainer(bad, '--maintainer'),
        /--maintainer ".*" is not of the form "Full Name <address@example.org>"/,
        bad,
      );
    }
  });
});
