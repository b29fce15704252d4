/**
 * Credentials in index URLs (https://user:TOKEN@pypi.example.org/simple): they must reach pip, and nothing
 * else. They are kept out of command lines, which every user of the machine can read in the process list and
 * which verbose logs echo, and everything the tool prints goes through redactCredentials().
 */

/** scheme://userinfo@ — the userinfo ends at the first "@" before the host; it has no "/", space or quote. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@'"]+)(:[^/\s@'"]*)?@/gi;

/** "https://user:TOKEN@host" becomes "https://user:****@host"; a bare token ("https://TOKEN@host") "****@". */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, (_match, scheme: string, user: string, password: string | undefined) =>
    password === undefined ? `${scheme}****@` : `${scheme}${user}:****@`,
  );
}

export function hasCredentials(url: string): boolean {
  return redactCredentials(url) !== url;
}

/**
 * A URL without its userinfo at all ("https://user:TOKEN@host/x" becomes "https://host/x"): for what is kept,
 * such as the origins in the bill of materials, where even a user name says more than the reader needs.
 */
export function withoutUserinfo(url: string): string {
  return url.replace(USERINFO, (_match, scheme: string) => scheme);
}

/**
 * Index options as pip's words (`--index-url=…`, `--extra-index-url=…`), except that URLs with credentials go
 * in the installer's variables instead (`variables` names them), out of the process list. All the extra index
 * URLs go together: pip takes a list option from either place, not from both.
 */
export function indexOptions(
  indexUrl: string | undefined,
  extraIndexUrls: readonly string[],
  variables: { readonly index: string; readonly extra: string },
): { args: string[]; env: Record<string, string> } {
  const args: string[] = [];
  const env: Record<string, string> = {};
  if (indexUrl !== undefined) {
    if (hasCredentials(indexUrl)) env[variables.index] = indexUrl;
    else args.push(`--index-url=${indexUrl}`);
  }
  if (extraIndexUrls.some(hasCredentials)) env[variables.extra] = extraIndexUrls.join(' ');
  else args.push(...extraIndexUrls.map((url) => `--extra-index-url=${url}`));
  return { args, env };
}
