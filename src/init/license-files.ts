/**
 * The project's license files, read for debian/copyright: which license each holds (by phrases only that
 * license's text has), the copyright notices at their top, and their text for the standalone License
 * paragraphs. Licenses Debian ships in /usr/share/common-licenses are referred to there instead of copied
 * (lintian's copyright-not-using-common-license-for-* tags).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LicenseFile {
  readonly path: string;
  readonly text: string;
  /** The Debian name of the license the text is, if its wording says so. */
  readonly license: string | undefined;
}

/** The files the metadata names, else those setuptools and Poetry pick by default: LICEN[CS]E*, COPYING*. */
export function readLicenseFiles(dir: string, named: readonly string[]): LicenseFile[] {
  const top = readdirSync(dir)
    .filter((name) => /^(LICEN[CS]E|COPYING)/i.test(name))
    .sort();
  const paths = named.length > 0 ? named : top;
  return paths
    .filter((path) => existsSync(join(dir, path)) && statSync(join(dir, path)).isFile())
    .map((path) => {
      const text = readFileSync(join(dir, path), 'utf8');
      return { path, text, license: licenseOfText(text) };
    });
}

/** Phrases that occur in one license's text only, with the license's Debian name, most specific first. */
const FINGERPRINTS: readonly (readonly [RegExp, string])[] = [
  [/GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/i, 'AGPL-3'],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/i, 'LGPL-3'],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1/i, 'LGPL-2.1'],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 3/i, 'GPL-3'],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 2/i, 'GPL-2'],
  [/Apache License\s+Version 2\.0/i, 'Apache-2.0'],
  [/Mozilla Public License,?\s+(?:v\.|version)\s*2\.0/i, 'MPL-2.0'],
  [/Permission is hereby granted, free of charge, to any person obtaining a copy/i, 'Expat'],
  [
    /Permission to use, copy, modify, and(?:\/or)? distribute this software for any\s+purpose with or without fee is hereby granted, provided that the above\s+copyright notice/i,
    'ISC',
  ],
  [
    /Redistribution and use in source and binary forms[\s\S]*(?:Neither the name|names of its\s+contributors)/i,
    'BSD-3-clause',
  ],
  [/Redistribution and use in source and binary forms/i, 'BSD-2-clause'],
  [/This software is provided 'as-is', without any express or implied\s+warranty/i, 'Zlib'],
  [/This is free and unencumbered software released into the public domain/i, 'Unlicense'],
  [/PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2/i, 'PSF-2.0'],
];

export function licenseOfText(text: string): string | undefined {
  return FINGERPRINTS.find(([pattern]) => pattern.test(text))?.[1];
}

/** Licenses in /usr/share/common-licenses (base-files), by Debian name without the "+". */
const COMMON_LICENSES: Readonly<Record<string, string>> = {
  'Apache-2.0': 'the Apache License version 2.0',
  Artistic: 'the Artistic License',
  'CC0-1.0': 'the Creative Commons CC0 1.0 Universal license',
  'GFDL-1.2': 'version 1.2 of the GNU Free Documentation License',
  'GFDL-1.3': 'version 1.3 of the GNU Free Documentation License',
  'GPL-1': 'version 1 of the GNU General Public License',
  'GPL-2': 'version 2 of the GNU General Public License',
  'GPL-3': 'version 3 of the GNU General Public License',
  'LGPL-2': 'version 2 of the GNU Library General Public License',
  'LGPL-2.1': 'version 2.1 of the GNU Lesser General Public License',
  'LGPL-3': 'version 3 of the GNU Lesser General Public License',
  'MPL-1.1': 'the Mozilla Public License version 1.1',
  'MPL-2.0': 'the Mozilla Public License version 2.0',
};

/** The standalone paragraph's text for a license Debian ships, or undefined for the others. */
export function commonLicenseText(debianName: string): string | undefined {
  const base = debianName.replace(/\+$/, '');
  const what = COMMON_LICENSES[base];
  if (what === undefined) return undefined;
  const laterVersions =
    debianName.endsWith('+') && /^L?GPL|^GFDL/.test(base)
      ? 'This program is free software; you can redistribute it and/or modify it under the terms of ' +
        `${what.replace(/^version [\d.]+ of /, '')} as published by the Free Software Foundation; either ` +
        `version ${/[\d.]+/.exec(base)?.[0] ?? ''} of the License, or (at your option) any later version.\n`
      : '';
  return `${laterVersions}On Debian systems, the complete text of ${what} can be found in "/usr/share/common-licenses/${base}".`;
}

/** "Copyright (c) 2019-2024 Jane Doe" lines, as holders ("2019-2024 Jane Doe"); placeholders are skipped. */
export function copyrightNotices(text: string): string[] {
  const notices: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*Copyright\s*(?:\(c\)|©)?\s*(.+?)\s*\.?\s*(?:All rights reserved\.?)?\s*$/i.exec(line);
    if (match === null) continue;
    const holder = (match[1] ?? '').replace(/^(?:\(c\)|©)\s*/i, '').trim();
    // Template texts: "Copyright [yyyy] [name of copyright owner]", "Copyright (C) <year> <name of author>".
    if (
      holder === '' ||
      /[[\]<>{}]|yyyy|name of|copyright holder|notice/i.test(holder.replace(/<[^<>\s]+@[^<>\s]+>/g, ''))
    )
      continue;
    notices.push(holder);
  }
  return [...new Set(notices)];
}

/**
 * A license file's text for a standalone License paragraph: without the title and copyright lines at its top
 * (they belong in the Copyright field), surrounding blank lines removed.
 */
export function licenseBody(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let start = 0;
  while (start < lines.length) {
    const line = (lines[start] ?? '').trim();
    const isTitle =
      line !== '' &&
      line.length < 60 &&
      /licen[cs]e|^copying$/i.test(line) &&
      !/permission|granted/i.test(line);
    if (line === '' || /^copyright\b|^all rights reserved\.?$/i.test(line) || /^[=-]+$/.test(line) || isTitle)
      start++;
    else break;
  }
  return lines.slice(start).join('\n').trim();
}
