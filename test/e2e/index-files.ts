/**
 * What the test index serves, as a client sees it: the files of a project and their sha256, read from its
 * PEP 503 page (`<a href="/files/NAME#sha256=HEX">`). The bill-of-materials, hash and lock-file tests compare
 * against these, and write requirements and lock files from them.
 */
import { get } from 'node:http';

export interface IndexFile {
  /** File name, e.g. dhvt_greet-1.0-py3-none-any.whl. */
  readonly name: string;
  /** Absolute URL of the file on the index. */
  readonly url: string;
  readonly sha256: string;
}

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        response.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: ${response.statusCode}`)),
      );
    }).on('error', reject);
  });
}

/** The files the index lists for `project` (its page at <indexUrl><project>/). */
export async function indexFiles(indexUrl: string, project: string): Promise<IndexFile[]> {
  const page = await fetchText(`${indexUrl}${project}/`);
  return [...page.matchAll(/href="([^"#]+)#sha256=([0-9a-f]{64})"/g)].map((match) => {
    const url = new URL(match[1] ?? '', indexUrl).toString();
    return { name: url.split('/').pop() ?? url, url, sha256: match[2] ?? '' };
  });
}

/** The project's wheel on the index; fails if there is none or several. */
export async function indexWheel(indexUrl: string, project: string): Promise<IndexFile> {
  const wheels = (await indexFiles(indexUrl, project)).filter((file) => file.name.endsWith('.whl'));
  if (wheels.length !== 1 || wheels[0] === undefined) {
    throw new Error(
      `${project}: expected one wheel on the index, found ${wheels.map((w) => w.name).join(', ')}`,
    );
  }
  return wheels[0];
}
