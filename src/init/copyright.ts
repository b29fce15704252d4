/** debian/copyright in the machine-readable format 1.0, from the license the project declares. */
import { fill } from './description';
import type { PackagePlan } from './plan';

export const COPYRIGHT_FORMAT = 'https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/';

/** A field's continuation lines: one leading space, "." for an empty line (copyright-format, "Syntax"). */
function continuation(text: string): string[] {
  return text.split('\n').map((line) => (line.trim() === '' ? ' .' : ` ${line.trimEnd()}`));
}

/** A free-text field filled to 80 columns. */
function filled(field: string, text: string): string[] {
  const [first = '', ...rest] = fill(`${field}: ${text}`, 79);
  return [first, ...rest.map((line) => ` ${line}`)];
}

export function copyrightFile(plan: PackagePlan): string {
  const [firstHolder = '', ...otherHolders] = plan.copyright.holders;
  const year = plan.date.getUTCFullYear();
  const lines = [
    `Format: ${COPYRIGHT_FORMAT}`,
    `Upstream-Name: ${plan.projectName}`,
    ...(plan.upstreamContact === undefined ? [] : [`Upstream-Contact: ${plan.upstreamContact}`]),
    ...(plan.homepage === undefined ? [] : [`Source: ${plan.homepage}`]),
    ...filled(
      'Comment',
      `Written by dh-virtualenv init: the license from ${plan.origin}, the copyright holders from ` +
        `${plan.copyright.from}. The package also holds, in ${plan.venvDir}, the Python packages ` +
        `${plan.projectName} needs; each keeps its license in its .dist-info directory there.`,
    ),
    '',
    'Files: *',
    `Copyright: ${firstHolder}`,
    ...otherHolders.map((holder) => `           ${holder}`),
    `License: ${plan.license.expression}`,
    '',
    'Files: debian/*',
    `Copyright: ${year} ${plan.maintainer}`,
    `License: ${plan.license.expression}`,
    ...filled('Comment', "The packaging is under the project's license, so that it can go into the project."),
    ...plan.license.paragraphs.flatMap((paragraph) => [
      '',
      `License: ${paragraph.name}`,
      ...continuation(paragraph.text),
    ]),
  ];
  return lines.join('\n') + '\n';
}
