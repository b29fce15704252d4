/**
 * The TOML parser, section by section of the TOML 1.0.0 specification: what each kind of value becomes, and
 * that each broken rule is an error at the right line and column. (It also passes every TOML 1.0.0 case of the
 * toml-test suite; that suite is not vendored here.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTomlDocument, TomlDateTime, TomlSyntaxError } from '../../../src/init/toml-parser';

function parsesTo(text: string, expected: Record<string, unknown>): void {
  assert.deepStrictEqual(parseTomlDocument(text), expected);
}

describe('values', () => {
  const cases: [string, string, unknown][] = [
    [
      'a basic string with escapes',
      String.raw`"tab\there \"q\" \\ \u00e9 \U0001F600"`,
      'tab\there "q" \\ é 😀',
    ],
    ['a literal string keeps backslashes', String.raw`'C:\Users\x'`, 'C:\\Users\\x'],
    ['an empty string', '""', ''],
    ['a multi-line basic string drops the first newline', '"""\nline 1\nline 2"""', 'line 1\nline 2'],
    ['a line-ending backslash joins lines', '"""one \\\n    two \\\n\n  three"""', 'one two three'],
    ['quotes just inside the delimiters', '""""quoted"""""', '"quoted""'],
    ['a CRLF in a multi-line string is a newline', '"""a\r\nb"""', 'a\nb'],
    ['a multi-line literal string', "'''\nno \\escape\n'''", 'no \\escape\n'],
    ['an integer with underscores', '1_000_000', 1000000],
    ['a negative integer', '-17', -17],
    ['hexadecimal, octal, binary', '[0xDEAD_beef, 0o755, 0b1101]', [0xdeadbeef, 0o755, 0b1101]],
    ['past the safe integers: a bigint', '9223372036854775807', 9223372036854775807n],
    ['a float', '6.626e-34', 6.626e-34],
    ['a float with an exponent only', '5e+22', 5e22],
    ['infinities', '[inf, +inf, -inf]', [Infinity, Infinity, -Infinity]],
    ['booleans', '[true, false]', [true, false]],
    [
      'mixed arrays over lines, comments and a trailing comma',
      '[\n  1, # one\n  "two",\n  [3],\n]',
      [1, 'two', [3]],
    ],
    [
      'an inline table with dotted keys',
      '{ name = "x", point.x = 1, point.y = 2 }',
      { name: 'x', point: { x: 1, y: 2 } },
    ],
    ['an empty inline table', '{}', {}],
  ];
  for (const [name, value, expected] of cases) {
    test(name, () => parsesTo(`v = ${value}`, { v: expected }));
  }

  test('nan is NaN', () => {
    assert.ok(Number.isNaN(parseTomlDocument('v = -nan').v));
  });

  test('dates and times keep their text and say which kind they are', () => {
    const table = parseTomlDocument(
      'a = 1979-05-27T07:32:00Z\nb = 1979-05-27 00:32:00.999-07:00\nc = 1979-05-27T07:32:00\nd = 1979-05-27\ne = 07:32:00.5\n',
    );
    assert.deepStrictEqual(
      Object.values(table).map((value) => (value instanceof TomlDateTime ? [value.kind, value.text] : value)),
      [
        ['offset-date-time', '1979-05-27T07:32:00Z'],
        ['offset-date-time', '1979-05-27 00:32:00.999-07:00'],
        ['local-date-time', '1979-05-27T07:32:00'],
        ['local-date', '1979-05-27'],
        ['local-time', '07:32:00.5'],
      ],
    );
  });
});

describe('keys and tables', () => {
  test('bare, quoted and dotted keys, with white space around the dots', () => {
    parsesTo('bare-key_1 = 1\n"quoted key" = 2\n\'literal\' = 3\nsite . "google.com" = 4\n"" = 5\n', {
      'bare-key_1': 1,
      'quoted key': 2,
      literal: 3,
      site: { 'google.com': 4 },
      '': 5,
    });
  });

  test('a key named __proto__ is an ordinary key', () => {
    const table = parseTomlDocument('__proto__ = 1\n[a.__proto__]\nb = 2\n');
    assert.deepStrictEqual(Object.keys(table), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(table), Object.prototype);
  });

  test('headers, their implicit parents, and a parent defined after its child', () => {
    parsesTo('top = 0\n[x.y.z]\na = 1\n[x]\nb = 2\n[ "q.r" ]\nc = 3\n', {
      top: 0,
      x: { y: { z: { a: 1 } }, b: 2 },
      'q.r': { c: 3 },
    });
  });

  test('a header may add a subtable to a table made by dotted keys', () => {
    parsesTo('[fruit]\napple.color = "red"\n[fruit.apple.texture]\nsmooth = true\n', {
      fruit: { apple: { color: 'red', texture: { smooth: true } } },
    });
  });

  test('arrays of tables, with subtables going into the latest element', () => {
    parsesTo(
      '[[fruits]]\nname = "apple"\n[fruits.physical]\ncolor = "red"\n[[fruits.varieties]]\nname = "a"\n[[fruits]]\nname = "banana"\n',
      {
        fruits: [
          { name: 'apple', physical: { color: 'red' }, varieties: [{ name: 'a' }] },
          { name: 'banana' },
        ],
      },
    );
  });

  test('CRLF line ends, comments, blank lines and a leading byte order mark', () => {
    parsesTo('\ufeff# comment\r\n\r\na = 1 # after\r\n[t] # header comment\r\nb = 2', { a: 1, t: { b: 2 } });
  });
});

describe('errors name the line and column', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ['a string that is never closed', '[project]\nname = "a\n', 2, 10, /never closed/],
    ['a key defined twice', 'a = 1\na = 2\n', 2, 1, /^a is defined twice$/],
    ['a table defined twice', '[a]\nx = 1\n[b]\n[a]\n', 4, 2, /table a is defined twice/],
    [
      'a table made by dotted keys, then defined by a header',
      '[fruit]\napple.color = "red"\n[fruit.apple]\n',
      3,
      8,
      /fruit\.apple is defined twice/,
    ],
    [
      'dotted keys into a table a header defined',
      '[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n',
      4,
      3,
      /a table defined elsewhere/,
    ],
    [
      'adding to an inline table with a header',
      'a = { b = 1 }\n[a.c]\n',
      2,
      2,
      /not a table that can be extended/,
    ],
    [
      'adding to an inline table with dotted keys',
      'a = { b = 1 }\na.c = 2\n',
      2,
      1,
      /not a table that can be extended/,
    ],
    ['[[x]] after x = [] ', 'x = []\n[[x]]\n', 2, 3, /something other than an array of tables/],
    ['[x] after [[x]]', '[[x]]\n[x]\n', 2, 2, /x is not a table/],
    ['a dotted key through a value', 'a = 1\na.b = 2\n', 2, 1, /not a table that can be extended/],
    ['a value missing', 'a =\n', 1, 4, /expected a value, found the end of the line/],
    ['two values on one line', 'a = 1 b = 2\n', 1, 7, /expected the end of the line, found 'b'/],
    ['a trailing comma in an inline table', 'a = { b = 1, }\n', 1, 14, /expected a key/],
    [
      'an inline table over two lines',
      'a = { b = 1,\n c = 2 }\n',
      1,
      13,
      /expected a key, found the end of the line/,
    ],
    ['an array without a comma', 'a = [1 2]\n', 1, 8, /expected '\]' to close the array/],
    ['an unknown escape', String.raw`a = "\q"`, 1, 6, /unknown escape \\q/],
    ['a surrogate escape', String.raw`a = "\uD800"`, 1, 6, /not a Unicode scalar value/],
    ['a control character in a string', 'a = "\u0001"', 1, 6, /control character/],
    ['a lone carriage return', 'a = 1\rb = 2\n', 1, 6, /carriage return without a line feed/],
    ['a leading zero', 'a = 012\n', 1, 5, /expected a value, found '012'/],
    ['a sign before 0x', 'a = +0x10\n', 1, 5, /found '\+0x10'/],
    ['a double underscore', 'a = 1__000\n', 1, 5, /found '1__000'/],
    ['a float without digits after the point', 'a = 1.\n', 1, 5, /found '1\.'/],
    ['an integer past 64 bits', 'a = 9223372036854775808\n', 1, 5, /does not fit in 64 bits/],
    ['February 30th', 'a = 1988-02-30\n', 1, 5, /no such date/],
    ['hour 24', 'a = 24:00:00\n', 1, 5, /no such time of day/],
    [
      'a time without seconds (TOML 1.1, not 1.0)',
      'a = 1979-05-27T07:32\n',
      1,
      15,
      /expected the end of the line/,
    ],
    ['an unclosed header', '[a\nb = 1\n', 1, 3, /expected '\]' to close the table header/],
    ['a multi-line string as a key', '"""a""" = 1\n', 1, 1, /cannot be a multi-line string/],
  ];
  for (const [name, text, line, column, message] of cases) {
    test(name, () => {
      assert.throws(
        () => parseTomlDocument(text),
        (error: unknown) => {
          assert.ok(error instanceof TomlSyntaxError, `expected a TomlSyntaxError, got ${String(error)}`);
          assert.deepEqual([error.line, error.column], [line, column], error.message);
          assert.match(error.what, message);
          return true;
        },
      );
    });
  }
});
