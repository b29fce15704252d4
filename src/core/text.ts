/** Filling words into lines, for --help texts and the files dh-virtualenv init writes. */

/** The words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function fillWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
