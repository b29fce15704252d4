/**
 * A TOML 1.0.0 parser (https://toml.io/en/v1.0.0), written here so that the package builds from Debian's
 * archive alone: Debian ships no TOML parser for Node, and the one npm offered would have had to be copied
 * into the source tree. Only src/init/toml.ts calls it.
 *
 * What it returns: tables are plain objects, arrays are arrays, strings, booleans and floats are what
 * JavaScript calls them, integers are numbers (bigints past Number.MAX_SAFE_INTEGER, which TOML's 64 bits
 * allow), and the four date and time kinds are TomlDateTime values that keep the text as written: nothing we
 * read needs a date as a Date, and a local date or time has no faithful Date.
 *
 * The rules on defining tables follow the specification's "Table" and "Array of Tables" sections: a table is
 * defined once, by a header or by dotted keys; dotted keys may not add to a table a header defined or one
 * dotted keys made in an earlier section, and a header may not define one dotted keys made (only add
 * subtables below it); inline tables and arrays given as values are closed.
 */

/** A TOML document that breaks the grammar or the rules on defining keys; line and column start at 1. */
export class TomlSyntaxError extends Error {
  constructor(
    readonly what: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${what} (line ${line}, column ${column})`);
  }
}

/** An offset date-time, local date-time, local date or local time, as written in the document. */
export class TomlDateTime {
  constructor(
    readonly kind: 'offset-date-time' | 'local-date-time' | 'local-date' | 'local-time',
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

type Table = Record<string, unknown>;

const BARE_KEY = /[A-Za-z0-9_-]+/y;
const DATE_TIME =
  /(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?)?/y;
const LOCAL_TIME = /(\d{2}):(\d{2}):(\d{2})(\.\d+)?/y;
/** Everything a number, inf or nan can be spelled with; the token is then checked against the grammar. */
const NUMBER_TOKEN = /[0-9A-Za-z_.+-]+/y;
const DECIMAL_INTEGER = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const PREFIXED_INTEGER = /^0(?:x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|o[0-7](?:_?[0-7])*|b[01](?:_?[01])*)$/;
const FLOAT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The one-letter escapes of basic strings; \uXXXX and \UXXXXXXXX are read separately. */
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  '"': '"',
  '\\': '\\',
};

/** Control characters other than tab, which no string or comment may hold as they are. */
function isControl(code: number): boolean {
  return (code <= 0x1f && code !== 0x09) || code === 0x7f;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Defines `key` in `table` as an own property, whatever its name: assigning `__proto__` would not. */
function define(table: Table, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    table[key] = value;
  }
}

function isTable(value: unknown): value is Table {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDateTime)
  );
}

export function parseTomlDocument(text: string): Table {
  return new Parser(text).document();
}

class Parser {
  private pos = 0;
  private readonly root: Table = {};
  /** Tables defined by a header, or by dotted keys in a section that has ended: closed to dotted keys. */
  private readonly defined = new WeakSet<object>();
  /** Tables made or extended by dotted keys in the current section; defined when the next header starts. */
  private dotted: object[] = [];
  /** Inline tables and arrays given as values: nothing may be added to them. */
  private readonly closed = new WeakSet<object>();
  /** Arrays made by [[header]]s, which later [[header]]s of the same name append to. */
  private readonly tableArrays = new WeakSet<object>();

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  document(): Table {
    let current = this.root;
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= this.text.length) return this.root;
      const char = this.text[this.pos];
      if (char === '[') {
        for (const table of this.dotted) this.defined.add(table);
        this.dotted = [];
        current = this.header();
      } else if (char !== '#' && char !== '\n' && char !== '\r') {
        this.keyValue(current);
      }
      this.endOfLine();
    }
  }

  // --- errors and small readers

  private fail(what: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (
      let index = this.text.indexOf('\n');
      index !== -1 && index < at;
      index = this.text.indexOf('\n', index + 1)
    ) {
      line++;
      lineStart = index + 1;
    }
    throw new TomlSyntaxError(what, line, at - lineStart + 1);
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return 'the end of the document';
    const char = this.text[this.pos] ?? '';
    if (this.newlineHere() > 0) return 'the end of the line';
    if (char === '\r') return 'a carriage return without a line feed';
    return `'${char}'`;
  }

  private expect(char: string, context: string): void {
    if (this.text[this.pos] !== char)
      this.fail(`expected '${char}' ${context}, found ${this.describeHere()}`);
    this.pos++;
  }

  private skipWhitespace(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  /** A newline (LF or CRLF) at pos: its length, else 0. */
  private newlineHere(): number {
    if (this.text[this.pos] === '\n') return 1;
    if (this.text[this.pos] === '\r' && this.text[this.pos + 1] === '\n') return 2;
    return 0;
  }

  private skipComment(): void {
    if (this.text[this.pos] !== '#') return;
    for (this.pos++; this.pos < this.text.length; this.pos++) {
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x0a || (code === 0x0d && this.text[this.pos + 1] === '\n')) return;
      if (isControl(code)) this.fail('a control character in a comment');
    }
  }

  /** What may end an expression: white space, a comment, then a newline or the end of the document. */
  private endOfLine(): void {
    this.skipWhitespace();
    this.skipComment();
    if (this.pos >= this.text.length) return;
    const newline = this.newlineHere();
    if (newline === 0) this.fail(`expected the end of the line, found ${this.describeHere()}`);
    this.pos += newline;
  }

  /** White space, comments and newlines, as arrays allow between their values. */
  private skipBlank(): void {
    for (;;) {
      this.skipWhitespace();
      this.skipComment();
      const newline = this.newlineHere();
      if (newline === 0) return;
      this.pos += newline;
    }
  }

  // --- keys and tables

  /** A dotted key: its parts, and where each part starts (for messages). */
  private key(): { parts: string[]; starts: number[] } {
    const parts: string[] = [];
    const starts: number[] = [];
    for (;;) {
      this.skipWhitespace();
      starts.push(this.pos);
      parts.push(this.simpleKey());
      this.skipWhitespace();
      if (this.text[this.pos] !== '.') return { parts, starts };
      this.pos++;
    }
  }

  private simpleKey(): string {
    const char = this.text[this.pos];
    if (char === '"' || char === "'") {
      if (this.text.startsWith(char.repeat(3), this.pos)) this.fail('a key cannot be a multi-line string');
      return char === '"' ? this.basicString() : this.literalString();
    }
    BARE_KEY.lastIndex = this.pos;
    const match = BARE_KEY.exec(this.text);
    if (match === null) this.fail(`expected a key, found ${this.describeHere()}`);
    this.pos = BARE_KEY.lastIndex;
    return match[0];
  }

  /** `[a.b]` or `[[a.b]]`: the table the following keys go into. */
  private header(): Table {
    const start = this.pos;
    const isArray = this.text[this.pos + 1] === '[';
    this.pos += isArray ? 2 : 1;
    const { parts, starts } = this.key();
    this.expect(']', 'to close the table header');
    if (isArray) this.expect(']', 'to close the array of tables header');
    const name = parts.join('.');
    let table = this.root;
    for (const [index, part] of parts.slice(0, -1).entries()) {
      table = this.descendForHeader(table, part, parts.slice(0, index + 1).join('.'), starts[index] ?? start);
    }
    const last = parts[parts.length - 1] ?? '';
    const at = starts[starts.length - 1] ?? start;
    const existing = Object.hasOwn(table, last) ? table[last] : undefined;
    if (isArray) {
      if (existing === undefined) {
        const array: Table[] = [];
        this.tableArrays.add(array);
        define(table, last, array);
        return this.newTable(array);
      }
      if (Array.isArray(existing) && this.tableArrays.has(existing)) return this.newTable(existing);
      this.fail(`[[${name}]]: ${name} is already defined as something other than an array of tables`, at);
    }
    if (existing === undefined) {
      const created: Table = {};
      define(table, last, created);
      this.defined.add(created);
      return created;
    }
    if (!isTable(existing) || this.closed.has(existing)) this.fail(`[${name}]: ${name} is not a table`, at);
    if (this.defined.has(existing)) this.fail(`[${name}]: the table ${name} is defined twice`, at);
    this.defined.add(existing);
    return existing;
  }

  private newTable(array: Table[]): Table {
    const table: Table = {};
    array.push(table);
    this.defined.add(table);
    return table;
  }

  /** One step of a header's path: into a table (made if missing) or the last table of an array of tables. */
  private descendForHeader(table: Table, part: string, path: string, at: number): Table {
    if (!Object.hasOwn(table, part)) {
      const created: Table = {};
      define(table, part, created);
      return created;
    }
    const value = table[part];
    if (Array.isArray(value) && this.tableArrays.has(value)) {
      const last: unknown = value[value.length - 1];
      if (isTable(last)) return last;
    }
    if (!isTable(value) || this.closed.has(value))
      this.fail(`${path} is not a table that can be extended`, at);
    return value;
  }

  /** `key = value`, into `table`. */
  private keyValue(table: Table): void {
    const { parts, starts } = this.key();
    this.expect('=', 'after the key');
    this.skipWhitespace();
    const value = this.value();
    let target = table;
    for (let index = 0; index < parts.length - 1; index++) {
      const part = parts[index] ?? '';
      if (!Object.hasOwn(target, part)) {
        const created: Table = {};
        define(target, part, created);
        this.dotted.push(created);
        target = created;
        continue;
      }
      const next = target[part];
      const path = (): string => parts.slice(0, index + 1).join('.');
      if (!isTable(next) || this.closed.has(next)) {
        this.fail(`${path()} is not a table that can be extended`, starts[index]);
      }
      if (this.defined.has(next)) {
        this.fail(`${path()}: a table defined elsewhere cannot take dotted keys`, starts[index]);
      }
      this.dotted.push(next);
      target = next;
    }
    const last = parts[parts.length - 1] ?? '';
    if (Object.hasOwn(target, last))
      this.fail(`${parts.join('.')} is defined twice`, starts[starts.length - 1]);
    define(target, last, value);
  }

  // --- values

  private value(): unknown {
    const char = this.text[this.pos];
    switch (char) {
      case '"':
        return this.text.startsWith('"""', this.pos) ? this.multilineBasicString() : this.basicString();
      case "'":
        return this.text.startsWith("'''", this.pos) ? this.multilineLiteralString() : this.literalString();
      case '[':
        return this.array();
      case '{':
        return this.inlineTable();
      case 't':
      case 'f':
        return this.boolean();
      default:
        return this.dateTime() ?? this.number();
    }
  }

  private boolean(): boolean {
    for (const word of ['true', 'false']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return word === 'true';
      }
    }
    this.fail(`expected a value, found ${this.describeHere()}`);
  }

  private array(): unknown[] {
    this.pos++;
    const values: unknown[] = [];
    for (;;) {
      this.skipBlank();
      if (this.text[this.pos] === ']') break;
      values.push(this.value());
      this.skipBlank();
      if (this.text[this.pos] !== ',') break;
      this.pos++;
    }
    this.expect(']', 'to close the array');
    this.closed.add(values);
    return values;
  }

  private inlineTable(): Table {
    this.pos++;
    const table: Table = {};
    // Dotted keys inside build the inline table's own subtables; no header comes between, so none of them
    // can be "defined elsewhere", and once closed, nothing outside can add to any of them.
    const outerDotted = this.dotted;
    this.dotted = [];
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
    } else {
      for (;;) {
        this.keyValue(table);
        this.skipWhitespace();
        if (this.text[this.pos] === '}') {
          this.pos++;
          break;
        }
        this.expect(',', 'or } in the inline table (which must fit on one line)');
        this.skipWhitespace();
      }
    }
    for (const subtable of this.dotted) this.closed.add(subtable);
    this.dotted = outerDotted;
    this.closed.add(table);
    return table;
  }

  private basicString(): string {
    this.pos++;
    let value = '';
    let run = this.pos;
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (Number.isNaN(code) || code === 0x0a || code === 0x0d) this.fail('a string that is never closed');
      if (code === 0x22 || code === 0x5c) {
        value += this.text.slice(run, this.pos);
        if (code === 0x22) {
          this.pos++;
          return value;
        }
        value += this.escape();
        run = this.pos;
      } else if (isControl(code)) {
        this.fail('a control character in a string: write it as an escape');
      } else {
        this.pos++;
      }
    }
  }

  private multilineBasicString(): string {
    this.pos += 3;
    this.pos += this.newlineHere();
    let value = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('a multi-line string that is never closed');
      if (this.text.startsWith('"""', this.pos)) {
        // Up to two quotes may come right before the closing three.
        let quotes = 3;
        while (quotes < 5 && this.text[this.pos + quotes] === '"') quotes++;
        this.pos += quotes;
        return value + '"'.repeat(quotes - 3);
      }
      const newline = this.newlineHere();
      if (newline > 0) {
        value += '\n';
        this.pos += newline;
        continue;
      }
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x5c && this.lineEndingBackslash()) continue;
      if (code === 0x5c) value += this.escape();
      else if (isControl(code)) this.fail('a control character in a string: write it as an escape');
      else value += this.text[this.pos++];
    }
  }

  /** A backslash that ends its line (only white space after it) joins the lines, eating the white space. */
  private lineEndingBackslash(): boolean {
    let end = this.pos + 1;
    while (this.text[end] === ' ' || this.text[end] === '\t') end++;
    const rest = this.text.slice(end, end + 2);
    if (!rest.startsWith('\n') && rest !== '\r\n') return false;
    this.pos = end;
    for (;;) {
      this.skipWhitespace();
      const newline = this.newlineHere();
      if (newline === 0) return true;
      this.pos += newline;
    }
  }

  private escape(): string {
    const at = this.pos;
    const letter = this.text[this.pos + 1] ?? '';
    const simple = ESCAPES[letter];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    const digits = letter === 'u' ? 4 : letter === 'U' ? 8 : 0;
    if (digits === 0) this.fail(`an unknown escape \\${letter}`, at);
    const hex = this.text.slice(this.pos + 2, this.pos + 2 + digits);
    if (hex.length !== digits || !/^[0-9A-Fa-f]+$/.test(hex)) {
      this.fail(`\\${letter} takes ${digits} hexadecimal digits`, at);
    }
    const codePoint = Number.parseInt(hex, 16);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      this.fail(`\\${letter}${hex} is not a Unicode scalar value`, at);
    }
    this.pos += 2 + digits;
    return String.fromCodePoint(codePoint);
  }

  private literalString(): string {
    const start = ++this.pos;
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (Number.isNaN(code) || code === 0x0a || code === 0x0d) this.fail('a string that is never closed');
      if (code === 0x27) break;
      if (isControl(code)) this.fail('a control character in a literal string');
      this.pos++;
    }
    return this.text.slice(start, this.pos++);
  }

  private multilineLiteralString(): string {
    this.pos += 3;
    this.pos += this.newlineHere();
    let value = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('a multi-line string that is never closed');
      if (this.text.startsWith("'''", this.pos)) {
        let quotes = 3;
        while (quotes < 5 && this.text[this.pos + quotes] === "'") quotes++;
        this.pos += quotes;
        return value + "'".repeat(quotes - 3);
      }
      const newline = this.newlineHere();
      if (newline > 0) {
        value += '\n';
        this.pos += newline;
        continue;
      }
      if (isControl(this.text.charCodeAt(this.pos))) this.fail('a control character in a literal string');
      value += this.text[this.pos++];
    }
  }

  /** A date, time or both at pos, or undefined when there is none. */
  private dateTime(): TomlDateTime | undefined {
    const start = this.pos;
    DATE_TIME.lastIndex = start;
    const date = DATE_TIME.exec(this.text);
    if (date !== null) {
      const [, year, month, day, hour, minute, second, , zulu, sign, offsetHour, offsetMinute] = date;
      this.checkDate(Number(year), Number(month), Number(day), start);
      if (hour !== undefined) this.checkTime(Number(hour), Number(minute), Number(second), start + 11);
      if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) {
        this.fail('the time offset is out of range', start);
      }
      this.pos = DATE_TIME.lastIndex;
      const kind =
        hour === undefined
          ? 'local-date'
          : zulu === undefined && sign === undefined
            ? 'local-date-time'
            : 'offset-date-time';
      return new TomlDateTime(kind, date[0]);
    }
    LOCAL_TIME.lastIndex = start;
    const time = LOCAL_TIME.exec(this.text);
    if (time === null) return undefined;
    this.checkTime(Number(time[1]), Number(time[2]), Number(time[3]), start);
    this.pos = LOCAL_TIME.lastIndex;
    return new TomlDateTime('local-time', time[0]);
  }

  private checkDate(year: number, month: number, day: number, at: number): void {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) this.fail('no such date', at);
  }

  private checkTime(hour: number, minute: number, second: number, at: number): void {
    // Second 60 is a leap second, which RFC 3339 allows.
    if (hour > 23 || minute > 59 || second > 60) this.fail('no such time of day', at);
  }

  private number(): number | bigint {
    const start = this.pos;
    NUMBER_TOKEN.lastIndex = start;
    const match = NUMBER_TOKEN.exec(this.text);
    if (match === null) this.fail(`expected a value, found ${this.describeHere()}`);
    const token = match[0];
    this.pos = NUMBER_TOKEN.lastIndex;
    if (/^[+-]?inf$/.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(token)) return NaN;
    if (DECIMAL_INTEGER.test(token) || PREFIXED_INTEGER.test(token)) {
      const digits = token.replace(/_/g, '');
      // BigInt reads 0x, 0o and 0b itself, but no sign before them (the grammar allows none there either).
      const integer = digits.startsWith('-') ? -BigInt(digits.slice(1)) : BigInt(digits.replace(/^\+/, ''));
      if (integer < INT64_MIN || integer > INT64_MAX) this.fail(`${token} does not fit in 64 bits`, start);
      const asNumber = Number(integer);
      return Number.isSafeInteger(asNumber) ? asNumber : integer;
    }
    if (FLOAT.test(token) && /[.eE]/.test(token)) return Number(token.replace(/_/g, ''));
    this.fail(`expected a value, found '${token}'`, start);
  }
}
