/**
 * The Description field: the synopsis from the project's summary, the extended description from the first
 * paragraph of prose in its readme (Markdown, reStructuredText or plain text), as the Developer's Reference
 * (6.2.2, 6.2.3) and policy 3.4 want them: a synopsis of at most 80 characters that is not a sentence, and
 * lines that dpkg shows as they are.
 */
import { fillWords } from '../core/text';
import type { Readme } from './metadata';

/** lintian's description-too-long: the synopsis line holds at most 80 characters. */
export const SYNOPSIS_MAX = 80;

/**
 * The summary as a synopsis: one line, no trailing full stop (lintian's synopsis-is-a-sentence), no leading
 * article (Developer's Reference 6.2.2), first letter kept as written.
 */
export function synopsisFrom(summary: string): string {
  const line = summary.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
  const withoutArticle = line.replace(/^(?:a|an|the)\s+(?=\S)/i, '');
  return withoutArticle === line ? line : withoutArticle.charAt(0).toUpperCase() + withoutArticle.slice(1);
}

/** Inline markup removed: links and images keep their text, code and emphasis lose their marks. */
function plainInline(text: string, type: Readme['type']): string {
  let plain = text;
  if (type === 'markdown') {
    plain = plain
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2');
  } else if (type === 'rst') {
    plain = plain
      .replace(/`([^`<]+?)\s*<[^>]+>`_{1,2}/g, '$1')
      .replace(/:[a-z:]+:`([^`]+)`/g, '$1')
      .replace(/``([^`]+)``/g, '$1')
      .replace(/`([^`]+)`_{0,2}/g, '$1')
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/\*(.+?)\*/g, '$1');
  }
  return plain
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Blocks that are not prose: headings, badges, images, directives, code, lists, tables, HTML, link targets. */
function isProse(block: readonly string[], type: Readme['type']): boolean {
  const first = block[0] ?? '';
  const second = block[1] ?? '';
  if (/^\s/.test(first)) return false; // indented: code or a quote
  if (/^(#{1,6}\s|```|~~~|<|!\[|\[!\[|\|.*\||[-*+]\s|\d+[.)]\s|>)/.test(first)) return false;
  if (/^\[[^\]]+\]:\s/.test(first)) return false;
  if (type === 'rst' && (/^\.\.\s/.test(first) || /^[=\-~^"'`#*+:.]{3,}\s*$/.test(first))) return false;
  // A setext (Markdown) or reStructuredText heading: a line underlined with = or -.
  if (block.length <= 2 && /^[=\-~^"'`#*+]{3,}\s*$/.test(second)) return false;
  if (block.some((line) => /^[=\-~^"'`#*+]{3,}\s*$/.test(line))) return false;
  return /[a-z]/i.test(first);
}

/** The first paragraph of prose in a readme, as plain text, or undefined if it has none. */
export function firstParagraph(readme: Readme): string | undefined {
  const blocks: string[][] = [[]];
  let fenced = false;
  for (const line of readme.text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || /^(```|~~~)/.test(line)) {
      blocks.push([]);
      continue;
    }
    if (line.trim() === '') blocks.push([]);
    else blocks[blocks.length - 1]?.push(line);
  }
  const prose = blocks.find((block) => block.length > 0 && isProse(block, readme.type));
  if (prose === undefined) return undefined;
  const text = plainInline(prose.join(' '), readme.type);
  return text === '' ? undefined : text;
}

/** Words filled into lines of at most `width` characters; 72 leaves room for dpkg's and apt's indent. */
export function fill(text: string, width = 72): string[] {
  return fillWords(text, width);
}

/**
 * The extended description, as the lines of the field after the synopsis (each with its leading space, "."
 * between paragraphs): the readme's first paragraph, unless it only repeats the synopsis, then what the
 * package holds and where.
 */
export function extendedDescription(paragraphs: readonly string[]): string[] {
  return paragraphs.flatMap((paragraph, index) => [
    ...(index === 0 ? [] : [' .']),
    ...fill(paragraph).map((line) => ` ${line}`),
  ]);
}
