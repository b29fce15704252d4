import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  buildLocalDirectUrls,
  isLocalDirectUrl,
  splitRecordLine,
  editableInstalls,
  recordHash,
  refreshRecords,
  removeFiles,
  updateRecord,
  uvCacheFiles,
} from '../../../src/build/record';
import { tempDir, writeFile } from '../helpers';

test('recordHash is sha256 in urlsafe base64 without padding, as in wheel RECORD files', () => {
  assert.equal(recordHash(Buffer.from('')), 'sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
  assert.doesNotMatch(recordHash(Buffer.from('#!/opt/venvs/hello/bin/python\n')), /[=+/]$|[+/]/);
});

test('updateRecord rewrites changed entries, drops removed ones and sorts the entries as pip does', () => {
  const site = '/venv/lib/python3.11/site-packages';
  const resolvePath = (path: string): string => join(site, path);
  const bytes = Buffer.from('#!/opt/venvs/hello/bin/python\n');
  const changed = new Map([
    [join(site, '../../../bin/hello'), bytes],
    [join(site, 'odd/a,b.py'), bytes],
    [join(site, '../../../bin/odd",x'), bytes],
    [join(site, 'hello-1.0.dist-info/RECORD'), bytes],
  ]);
  const removed = new Set([join(site, 'hello-1.0.dist-info/direct_url.json')]);
  const before = [
    '../../../bin/hello,sha256=stale,10',
    '"odd/a,b.py",sha256=stale,3',
    '"../../../bin/odd"",x",sha256=stale,3',
    'hello/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0',
    'hello-1.0.dist-info/direct_url.json,sha256=x,60',
    'hello-1.0.dist-info/RECORD,,',
    '',
  ].join('\n');
  const line = `${recordHash(bytes)},${bytes.length}`;
  assert.equal(
    updateRecord(before, resolvePath, changed, removed),
    [
      '"../../../bin/odd"",x",' + line,
      '"odd/a,b.py",' + line,
      `../../../bin/hello,${line}`,
      'hello-1.0.dist-info/RECORD,,',
      'hello/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0',
      '',
    ].join('\n'),
  );
  // Byte code is never listed, wherever virtualenv's seeds put it.
  assert.equal(
    updateRecord(
      ['a/__pycache__,,', 'a/__pycache__/m.cpython-311.pyc,,', 'a/m.cpython-311.pyc,,', 'a/m.py,,', ''].join(
        '\n',
      ),
      resolvePath,
      new Map(),
      new Set(),
    ),
    'a/m.py,,\n',
  );
  // Code-point order, the same whatever the locale; an already sorted RECORD stays byte-identical.
  const sorted = ['../../../bin/hello,sha256=a,1', 'a-1.0.dist-info/RECORD,,', 'a/__init__.py,,', ''].join(
    '\n',
  );
  assert.equal(updateRecord(sorted, resolvePath, new Map(), new Set()), sorted);
  assert.equal(
    updateRecord(['b,,', 'a,,', ''].join('\n'), resolvePath, new Map(), new Set()),
    ['a,,', 'b,,', ''].join('\n'),
  );
});

function venvWithDistInfos(): { venv: string; site: string } {
  const venv = join(tempDir('record'), 'venv');
  const site = join(venv, 'lib/python3.11/site-packages');
  writeFile(
    join(site, 'hello-1.0.dist-info/direct_url.json'),
    '{"url": "file:///build/hello", "dir_info": {}}',
  );
  writeFile(
    join(site, 'hello-1.0.dist-info/RECORD'),
    '../../../bin/hello,sha256=stale,10\nhello-1.0.dist-info/RECORD,,\n',
  );
  writeFile(
    join(site, 'requests-2.31.0.dist-info/direct_url.json'),
    '{"url": "https://files.pythonhosted.org/requests-2.31.0.tar.gz", "archive_info": {}}',
  );
  writeFile(join(site, 'requests-2.31.0.dist-info/RECORD'), 'requests/__init__.py,sha256=x,1\n');
  writeFile(join(site, 'not-a.dist-info'), 'a file, not a directory');
  writeFile(join(venv, 'bin/hello'), '#!/opt/venvs/hello/bin/python\n');
  return { venv, site };
}

test('buildLocalDirectUrls finds the direct_url.json files that name a local path, and only those', () => {
  const { venv, site } = venvWithDistInfos();
  const vcs = join(site, 'lib-1.0.dist-info/direct_url.json');
  writeFile(
    vcs,
    '{"url": "file:///srv/repos/lib", "vcs_info": {"commit_id": "0123abc", "requested_revision": "0123abc", "vcs": "git"}}',
  );
  writeFile(
    join(site, 'remote-1.0.dist-info/direct_url.json'),
    '{"url": "https://git.example.org/remote.git", "vcs_info": {"commit_id": "0123abc", "vcs": "git"}}',
  );
  const hello = join(site, 'hello-1.0.dist-info/direct_url.json');
  assert.deepEqual(buildLocalDirectUrls(venv, ['/build/hello']), [hello, vcs]);
  assert.deepEqual(buildLocalDirectUrls(venv, ['/elsewhere']), [hello, vcs]);
  assert.deepEqual(buildLocalDirectUrls(join(venv, 'missing'), ['/build/hello']), []);
});

test('isLocalDirectUrl: a file: URL (a build directory, a local wheel or repository), not a remote one', () => {
  const cases: [string, boolean][] = [
    ['{"url": "file:///build/hello", "dir_info": {}}', true],
    ['{"url": "file:///b/deep%2Bodd%2Cdir%40x%3Dy~z/hello", "dir_info": {}}', true],
    ['{"url": "FILE:///wheels/a-1.0-py3-none-any.whl", "archive_info": {}}', true],
    ['{"url": "https://files.pythonhosted.org/requests-2.31.0.tar.gz", "archive_info": {}}', false],
    ['{"dir_info": {}}', false],
    ['not json', false],
  ];
  for (const [text, expected] of cases) assert.equal(isLocalDirectUrl(text), expected, text);
});

test('splitRecordLine reads a path as the csv module wrote it: quoted with a comma or quote, quotes doubled', () => {
  const cases: [string, [string, string]][] = [
    ['a/b.py,sha256=x,1', ['a/b.py', 'sha256=x,1']],
    ['a-1.0.dist-info/RECORD,,', ['a-1.0.dist-info/RECORD', ',']],
    ['"odd/a,b.txt",sha256=x,1', ['odd/a,b.txt', 'sha256=x,1']],
    ['"odd/say ""hi"".txt",sha256=x,1', ['odd/say "hi".txt', 'sha256=x,1']],
    // A quote right before a comma inside the name: the first `",` of the line does not end the path.
    ['"odd/quote"",comma.txt",sha256=x,1', ['odd/quote",comma.txt', 'sha256=x,1']],
    ['"odd/""",,', ['odd/"', ',']],
    ['"../../../bin/odd,""quoted""",sha256=x,1', ['../../../bin/odd,"quoted"', 'sha256=x,1']],
  ];
  for (const [line, expected] of cases) assert.deepEqual(splitRecordLine(line), expected, line);
});

test('refreshRecords updates each RECORD that lists a changed or removed file', () => {
  const { venv, site } = venvWithDistInfos();
  const directUrl = join(site, 'hello-1.0.dist-info/direct_url.json');
  removeFiles([directUrl]);
  assert.ok(!existsSync(directUrl));
  assert.equal(refreshRecords(venv, [], []), 0);
  assert.equal(refreshRecords(venv, [join(venv, 'bin/hello')], [directUrl]), 1);
  const hello = readFileSync(join(venv, 'bin/hello'));
  assert.equal(
    readFileSync(join(site, 'hello-1.0.dist-info/RECORD'), 'utf8'),
    `../../../bin/hello,${recordHash(hello)},${hello.length}\nhello-1.0.dist-info/RECORD,,\n`,
  );
  assert.equal(
    readFileSync(join(site, 'requests-2.31.0.dist-info/RECORD'), 'utf8'),
    'requests/__init__.py,sha256=x,1\n',
  );
  assert.equal(refreshRecords(venv, [join(venv, 'bin/hello')], []), 0, 'already up to date');
});

test("uvCacheFiles finds uv's cache notes in the .dist-info of what it built, and nothing else", () => {
  const { venv, site } = venvWithDistInfos();
  writeFile(join(site, 'hello-1.0.dist-info/uv_cache.json'), '{"timestamp":{"secs_since_epoch":1796056714}}');
  writeFile(join(site, 'hello-1.0.dist-info/uv_build.json'), '{}');
  writeFile(join(site, 'hello/uv_cache.json'), 'a module file of the same name stays');
  assert.deepEqual(uvCacheFiles(venv), [
    join(site, 'hello-1.0.dist-info/uv_cache.json'),
    join(site, 'hello-1.0.dist-info/uv_build.json'),
  ]);
  assert.deepEqual(uvCacheFiles(join(venv, 'missing')), []);
});

test('editableInstalls finds PEP 660 editable installs (direct_url.json) and setup.py develop .egg-links', () => {
  const { venv, site } = venvWithDistInfos();
  assert.deepEqual(editableInstalls(venv), []);
  writeFile(
    join(site, 'hello-1.0.dist-info/direct_url.json'),
    '{"url": "file:///build/hello", "dir_info": {"editable": true}}',
  );
  writeFile(join(site, 'legacy.egg-link'), '/build/legacy\n.\n');
  assert.deepEqual(editableInstalls(venv).sort(), ['hello-1.0', 'legacy']);
  assert.deepEqual(editableInstalls(join(venv, 'missing')), []);
});
