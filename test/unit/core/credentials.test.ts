import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCredentials, redactCredentials } from '../../../src/core/credentials';

test('redactCredentials masks the password, or a bare token, of every URL in a text', () => {
  // [text, redacted]
  const cases: [string, string][] = [
    ['https://user:s3cret@pypi.example.org/simple', 'https://user:****@pypi.example.org/simple'],
    ['https://TOKEN@pypi.example.org/simple', 'https://****@pypi.example.org/simple'],
    ['https://user:@host/', 'https://user:****@host/'],
    ['--index-url=http://u:p@127.0.0.1:8080/simple', '--index-url=http://u:****@127.0.0.1:8080/simple'],
    [
      'git+https://oauth2:glpat-x@gitlab.example.org/g/r.git@v1.0',
      'git+https://oauth2:****@gitlab.example.org/g/r.git@v1.0',
    ],
    ['a http://a:b@x/ and https://c:d@y/', 'a http://a:****@x/ and https://c:****@y/'],
    ['\'https://u:p@h/s\' "https://u:p@h/s"', '\'https://u:****@h/s\' "https://u:****@h/s"'],
    ['https://pypi.org/simple', 'https://pypi.org/simple'],
    ['git+ssh://git@github.com/o/r.git', 'git+ssh://****@github.com/o/r.git'],
    ['mail me at someone@example.org', 'mail me at someone@example.org'],
    ['pkg @ https://files.example.org/pkg.whl', 'pkg @ https://files.example.org/pkg.whl'],
    ['file:///srv/wheels/a@b.whl', 'file:///srv/wheels/a@b.whl'],
  ];
  for (const [text, redacted] of cases) assert.equal(redactCredentials(text), redacted, text);
  assert.equal(hasCredentials('https://u:p@h/'), true);
  assert.equal(hasCredentials('https://h/'), false);
});
