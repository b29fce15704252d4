import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { nativeCode, SDIST_LIBRARIES } from '../../../src/init/native-code';
import { projectWith } from './helpers';

test('Architecture and -dev packages from the requirements and the project itself', () => {
  const plain = projectWith({ 'app.py': '' });
  // [requirements, build requirements, architecture, sdists with their packages, unknown requirements]
  const cases: [string[], string[], 'any' | 'all', [string, string[]][], string[]][] = [
    [[], ['setuptools'], 'all', [], []],
    [['click>=8', 'python-dateutil', 'Six'], ['hatchling'], 'all', [], []],
    [['flask'], ['hatchling'], 'any', [], ['flask']],
    [['requests'], [], 'any', [], ['requests']],
    [['psycopg2>=2.9'], [], 'any', [['psycopg2', ['libpq-dev']]], []],
    [['python_ldap', 'click'], [], 'any', [['python-ldap', ['libldap-dev', 'libsasl2-dev']]], []],
    [
      ['mysqlclient; sys_platform == "linux"'],
      [],
      'any',
      [['mysqlclient', ['libmariadb-dev', 'pkg-config']]],
      [],
    ],
    [['uWSGI'], [], 'any', [['uwsgi', []]], []],
    [['psycopg2-binary'], [], 'any', [], ['psycopg2-binary']],
    [[], ['setuptools', 'Cython>=3'], 'any', [], []],
  ];
  for (const [requirements, buildRequires, architecture, sdists, unknown] of cases) {
    const found = nativeCode(plain, requirements, buildRequires);
    const what = `${requirements.join(' ')} / ${buildRequires.join(' ')}`;
    assert.equal(found.architecture, architecture, what);
    assert.deepEqual(
      found.sdists.map((sdist) => [sdist.name, sdist.packages]),
      sdists,
      what,
    );
    assert.deepEqual(found.unknown, unknown, what);
  }
});

test("the project's own compiled code: a compiling build requirement, setup.py's extensions, C or Rust sources", () => {
  const cases: [Record<string, string>, string[], RegExp | undefined][] = [
    [{ 'app.py': '' }, ['setuptools'], undefined],
    [{ 'app.py': '' }, ['setuptools', 'cython'], /builds with cython/],
    [{ 'app.py': '' }, ['maturin>=1,<2'], /builds with maturin/],
    [{ 'setup.py': 'setup(ext_modules=[Extension("x", ["x.c"])])' }, [], /setup.py builds extension modules/],
    [{ 'src/pkg/_speedups.c': '' }, [], /compiled sources \(src\/pkg\/_speedups.c\)/],
    [{ 'src/lib.rs': '' }, [], /compiled sources/],
    [{ 'tests/fixture.c': '', 'docs/example.c': '', '.tox/x.c': '' }, [], undefined],
  ];
  for (const [files, buildRequires, why] of cases) {
    const found = nativeCode(projectWith(files), [], buildRequires);
    if (why === undefined) {
      assert.equal(found.ownCode, undefined, Object.keys(files).join(' '));
      assert.equal(found.architecture, 'all');
    } else {
      assert.match(found.ownCode ?? '', why);
      assert.equal(found.architecture, 'any');
    }
  }
});

test('every -dev package of the table is a real package name (lower case, policy 5.6.1)', () => {
  for (const [name, packages] of Object.entries(SDIST_LIBRARIES)) {
    assert.equal(name, name.toLowerCase().replace(/[-_.]+/g, '-'), `${name} is not normalized (PEP 503)`);
    for (const pkg of packages) assert.match(pkg, /^[a-z0-9][a-z0-9+.-]+$/, join(name, pkg));
  }
});
