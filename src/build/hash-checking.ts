/**
 * Hash-checked installs. pip checks every download against the `--hash` options of a requirements file once
 * any line has one, or with --require-hashes ("hash-checking mode"). The project itself, a local directory,
 * has no hash to check, so it is installed in a run of its own without that mode (installs.ts keeps
 * --require-hashes to the requirements run). Two things are added here:
 * - when pip refuses a file, the error line names the distribution and both hashes, read from pip's log of
 *   the run, instead of only "pip returned exit code 1" under a page of output;
 * - the project's run must not bring in anything the hashed requirements did not: what it would install
 *   besides the project was never hash-checked, so the build stops and names it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigurationError, StepFailedError } from '../core/errors';
import { parseInstallReport, pipRecordOf, type Origin } from './install-reports';
import type { PipStep } from './installs';

/** Whether pip runs the requirements file in hash-checking mode: a `--hash` in it, or --require-hashes. */
export function isHashChecked(requirementsText: string, extraPipArgs: readonly string[]): boolean {
  return (
    extraPipArgs.includes('--require-hashes') ||
    requirementsText
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, ''))
      .some((line) => /(^|\s)--(hash(=|\s)|require-hashes\b)/.test(line))
  );
}

/** pip's log prefixes each line with a timestamp ("2024-01-01T00:00:00,123 "). */
function logLines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:,.]+ /, ''));
}

/**
 * The distributions pip refused in hash-checking mode, one sentence each, from the text of its log (pip 23.0
 * and 25.1 word it alike). Empty when the run failed for another reason.
 */
export function hashFailures(logText: string): string[] {
  const lines = logLines(logText);
  const found: string[] = [];
  for (let at = 0; at < lines.length; at++) {
    // "    dhvt-color==2.0 from http://…/dhvt_color-2.0-py3-none-any.whl (from -r requirements.txt (line 2)):"
    const head = /^\s+(\S+?)==(\S+) from (\S+)(?: \(from .*\))?:$/.exec(lines[at] ?? '');
    const expected = /^\s+Expected (\w+) (\S+)/.exec(lines[at + 1] ?? '');
    const got = /^\s+Got\s+(\S+)/.exec(lines[at + 2] ?? '');
    if (head !== null && expected !== null && got !== null) {
      // pip names the file with the index's "#sha256=…" fragment, which is the hash it got.
      const url = (head[3] ?? '').replace(/#(?:sha\d+|md5)=\w+$/, '');
      found.push(
        `${head[1]} ${head[2]} (${url}) does not match its hash: expected ${expected[1]} ${expected[2]}, ` +
          `got ${got[1]}`,
      );
      at += 2;
    }
  }
  // "Hashes are required in --require-hashes mode, but they are missing from some requirements. …" followed
  // by one "    name==version --hash=sha256:…" line each.
  const missingAt = lines.findIndex((line) => line.includes('Hashes are required in --require-hashes mode'));
  if (missingAt !== -1) {
    for (const line of lines.slice(missingAt + 1)) {
      const match = /^\s+(\S+?)==(\S+) --hash=(\S+)$/.exec(line);
      if (match === null) {
        if (line.trim() === '') continue;
        break;
      }
      found.push(`${match[1]} ${match[2]} has no hash in the requirements (its file has ${match[3]})`);
    }
  }
  // The log has pip's message twice: as printed, and again under the traceback it logs.
  return [...new Set(found)];
}

/** hashFailures() of a log file, or nothing when pip wrote none. */
export function hashFailuresInLog(path: string | undefined): string[] {
  if (path === undefined) return [];
  try {
    return hashFailures(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

/**
 * Stops the build when the project's own install, after hash-checked requirements, installed more than the
 * project: those distributions came unchecked. `origins` is that run's report.
 */
export function refuseUncheckedProjectDependencies(
  origins: ReadonlyMap<string, Origin>,
  requirementsFile: string,
): void {
  const unchecked = [...origins]
    .filter(([, origin]) => origin.kind !== 'source tree')
    .map(([name, origin]) => `${name} ${origin.version}`)
    .sort();
  if (unchecked.length === 0) return;
  throw new ConfigurationError(
    `the project's install also installed ${unchecked.join(', ')}, which ${requirementsFile} does not list, so ` +
      `they were not hash-checked; add them to ${requirementsFile} with their hashes (pip-compile ` +
      '--generate-hashes or "uv pip compile --generate-hashes" list every dependency)',
  );
}

/**
 * A failed step as the user should see it: when pip's log of the run (`logFile`) shows refused hashes, the
 * error names each distribution and both hashes, instead of only pip's exit code.
 */
export function explainHashFailure(error: unknown, logFile: string | undefined): unknown {
  if (!(error instanceof StepFailedError)) return error;
  const failures = hashFailuresInLog(logFile);
  if (failures.length === 0) return error;
  return new StepFailedError(
    error.packageName,
    error.step,
    new ConfigurationError(failures.join('; ')),
    'the file pip downloaded is not the one the hash was taken from: if the new file is trusted, update the ' +
      'hash; if not, someone may have tampered with it or the index',
  );
}

/**
 * After the project's install: when the requirements run was hash-checked, the project's run (its report) must
 * have installed nothing but the project.
 */
export function checkProjectInstallAddedNothing(steps: readonly PipStep[], requirementsLabel: string): void {
  const requirements = steps.find((step) => step.phase === 'prepare' && step.argv.includes('-r'));
  const file = requirements?.argv[requirements.argv.indexOf('-r') + 1];
  if (requirements === undefined || file === undefined) return;
  if (!isHashChecked(readFileSync(file, 'utf8'), requirements.argv)) return;
  const report = pipRecordOf(steps.find((step) => step.phase === 'project')?.argv ?? [], '--report');
  if (report === undefined || !existsSync(report)) return;
  refuseUncheckedProjectDependencies(
    parseInstallReport(readFileSync(report, 'utf8'), report),
    requirementsLabel,
  );
}
