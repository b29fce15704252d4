import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extendedDescription, fill, firstParagraph, synopsisFrom } from '../../../src/init/description';

test('the synopsis: the summary on one line, without a final full stop or a leading article', () => {
  const cases: [string, string][] = [
    ['Counts its visitors on a web page', 'Counts its visitors on a web page'],
    ['A greeting from a hatchling project.', 'Greeting from a hatchling project'],
    ['an  HTTP\n  client.', 'HTTP client'],
    ['The fastest tool', 'Fastest tool'],
    ['Theory of everything', 'Theory of everything'],
    ['lowercase summary', 'lowercase summary'],
    ['Ends with an ellipsis...', 'Ends with an ellipsis'],
  ];
  for (const [summary, synopsis] of cases) assert.equal(synopsisFrom(summary), synopsis, summary);
});

test("the readme's first paragraph of prose, as plain text", () => {
  // [readme type, text, paragraph]
  const cases: ['markdown' | 'rst' | 'plain', string, string | undefined][] = [
    [
      'markdown',
      '# Title\n\n[![ci](https://x/badge.svg)](https://x)\n![logo](logo.png)\n\n**Tool** does *things* with `code`,\nsee [the docs](https://docs).\n\n## Usage\n',
      'Tool does things with code, see the docs.',
    ],
    [
      'markdown',
      'Title\n=====\n\n<p align="center"><img src="x"></p>\n\n```sh\npip install x\n```\n\nFirst prose.\n',
      'First prose.',
    ],
    ['markdown', '- a list\n- only\n\n> a quote\n\n    code\n\nThe text.', 'The text.'],
    [
      'markdown',
      '[ref]: https://example.org\n\n| a | b |\n|---|---|\n\nAfter the table.',
      'After the table.',
    ],
    [
      'rst',
      '=====\nTitle\n=====\n\n.. image:: https://x/badge.svg\n   :target: https://x\n\n``tool`` prints `a greeting <https://x>`_ with :func:`main`.\n',
      'tool prints a greeting with main.',
    ],
    ['rst', 'Title\n-----\n\nSecond *style* of **heading**.', 'Second style of heading.'],
    ['plain', 'Just text\nover two lines.\n\nMore.', 'Just text over two lines.'],
    ['markdown', '# Only a title\n', undefined],
    ['markdown', '', undefined],
  ];
  for (const [type, text, expected] of cases) assert.equal(firstParagraph({ text, type }), expected, text);
});

test('the extended description: lines of at most 72 characters after a space, paragraphs apart', () => {
  const lines = extendedDescription(['word '.repeat(30).trim(), 'Second paragraph.']);
  assert.ok(
    lines.every((line) => line.startsWith(' ') && line.length <= 73),
    lines.join('\n'),
  );
  assert.deepEqual(lines.slice(-2), [' .', ' Second paragraph.']);
  assert.deepEqual(fill('a b c', 3), ['a b', 'c']);
  assert.deepEqual(fill('averyveryverylongword x', 5), ['averyveryverylongword', 'x']);
});
