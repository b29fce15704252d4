/** The "# …" comment lines the generated files carry to say why; shared so they all read alike. */
import { fill } from './description';

export const COMMENT_WIDTH = 100;

/** `text` as comment lines of at most COMMENT_WIDTH characters. */
export function comment(text: string, prefix = '# '): string[] {
  return fill(text, COMMENT_WIDTH - prefix.length).map((line) => `${prefix}${line}`);
}

/** "# label: text", its continuation lines indented under the text. */
export function labelledComment(label: string, text: string): string[] {
  const [first = '', ...rest] = fill(`${label}: ${text}`, COMMENT_WIDTH - 4);
  return [`# ${first}`, ...rest.map((line) => `#   ${line}`)];
}

/** Where every generated file says it came from. */
export function writtenBy(origin: string): string {
  return `Written by dh-virtualenv init from ${origin}; edit it as you like (init --force writes it again).`;
}
