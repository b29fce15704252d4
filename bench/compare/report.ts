/**
 * The bench's tables: for each project and variant of ours, the measures of upstream, ours and the floor with
 * ratios; for each project, the seconds of every step; and the targets of issue 11 with met or missed.
 */
import type { StepTime } from '../step-timer';
import { FLOOR_STEPS } from './floor';
import {
  isDefaultVariant,
  isFastVariant,
  type BenchProject,
  type Compression,
  type Variant,
} from './projects';

export interface DebFacts {
  readonly bytes: number;
  readonly installedKiB: number;
  /** Members of the data archive, directories included (dpkg-deb -c). */
  readonly files: number;
}

/** One build (or floor) of one project in one round. */
export interface Outcome {
  /** Wall time, the step timers' own start-up taken out. */
  readonly seconds: number;
  /** The step timers' start-up and bookkeeping, summed; 0 for the floor, which has none. */
  readonly overheadSeconds: number;
  /** CPU time (user + system) of every process of the build, the step timers' own taken out. */
  readonly cpuSeconds: number;
  /** Seconds per step, summed over its runs; a dh_* command run by another one counts only in that one. */
  readonly steps: ReadonlyMap<string, StepTime>;
  /** Peak memory of dh_virtualenv's largest process (the floor: pip's), KiB; 0 if it never ran. */
  readonly peakKiB: number;
  readonly deb?: DebFacts;
  readonly failure?: { readonly step?: string; readonly line: string; readonly log: string };
}

/** The columns outcomes are filed under. */
export const UPSTREAM = 'upstream';
export const oursColumn = (variant: Variant): string => `ours ${variant.name}`;
export const floorColumn = (compression: Compression): string => `floor ${compression}`;

/** Project name -> column -> one outcome per round that ran it. */
export type Results = Map<string, Map<string, Outcome[]>>;

export function record(results: Results, project: string, column: string, outcome: Outcome): void {
  const byColumn = results.get(project) ?? new Map<string, Outcome[]>();
  byColumn.set(column, [...(byColumn.get(column) ?? []), outcome]);
  results.set(project, byColumn);
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

type Pick = (outcome: Outcome) => number | undefined;

/** The median over the rounds that succeeded, undefined if none did. */
function summary(outcomes: readonly Outcome[], pick: Pick, reduce = median): number | undefined {
  return reduce(
    outcomes
      .filter((outcome) => outcome.failure === undefined)
      .map(pick)
      .filter((value): value is number => value !== undefined),
  );
}

const min = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : Math.min(...values);
const max = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : Math.max(...values);

const seconds = (value: number): string => `${value.toFixed(1)} s`;
const mebibytes = (kib: number): string => `${(kib / 1024).toFixed(kib < 10 * 1024 ? 2 : 1)} MiB`;
const count = (value: number): string => String(Math.round(value));

interface Measure {
  readonly name: string;
  readonly pick: Pick;
  readonly format: (value: number) => string;
  readonly reduce?: (values: readonly number[]) => number | undefined;
}

const MEASURES: readonly Measure[] = [
  { name: 'wall time of dpkg-buildpackage -b, median', pick: (o) => o.seconds, format: seconds },
  { name: 'wall time, min', pick: (o) => o.seconds, format: seconds, reduce: min },
  { name: 'wall time, max', pick: (o) => o.seconds, format: seconds, reduce: max },
  { name: 'CPU time (user + system), median', pick: (o) => o.cpuSeconds, format: seconds },
  {
    name: '.deb size',
    pick: (o) => (o.deb === undefined ? undefined : o.deb.bytes / 1024),
    format: mebibytes,
  },
  { name: 'Installed-Size', pick: (o) => o.deb?.installedKiB, format: mebibytes },
  { name: 'files in the package', pick: (o) => o.deb?.files, format: count },
  {
    name: 'peak memory of dh_virtualenv, its largest process (floor: of pip)',
    pick: (o) => o.peakKiB || undefined,
    format: mebibytes,
  },
  { name: "step timers' start-up (taken out of wall time)", pick: (o) => o.overheadSeconds, format: seconds },
];

function ratio(numerator: number | undefined, denominator: number | undefined): string {
  if (numerator === undefined || denominator === undefined || denominator === 0) return '–';
  return `${(numerator / denominator).toFixed(2)}`;
}

/**
 * The value, or for a column whose every round failed "failed in <step> after <seconds>" in the first row
 * and "–" below it.
 */
function cell(outcomes: readonly Outcome[], measure: Measure): string {
  const value = summary(outcomes, measure.pick, measure.reduce);
  if (value !== undefined) return measure.format(value);
  const failed = outcomes.find((outcome) => outcome.failure !== undefined);
  if (failed?.failure === undefined || measure !== MEASURES[0]) return '–';
  return `failed in ${failed.failure.step ?? 'the build'} after ${seconds(failed.seconds)}`;
}

function failureNotes(name: string, outcomes: readonly Outcome[]): string[] {
  return outcomes.flatMap((outcome, round) =>
    outcome.failure === undefined
      ? []
      : [`${name} failed (round ${round + 1}, ${outcome.failure.step ?? 'build'}): ${outcome.failure.line}`],
  );
}

/** The table of one project for one variant of ours: rows are measures, columns the three builds and ratios. */
export function projectTable(project: BenchProject, variant: Variant, results: Results): string {
  const byColumn = results.get(project.name) ?? new Map<string, Outcome[]>();
  const upstream = byColumn.get(UPSTREAM) ?? [];
  const ours = byColumn.get(oursColumn(variant)) ?? [];
  const floor = byColumn.get(floorColumn(variant.compression)) ?? [];
  const lines = [
    `### ${project.name}, ours ${variant.name} (${ours.length} round(s))`,
    '',
    project.summary,
    '',
    `| measure | upstream | ours | floor (${variant.compression}) | ours / upstream | ours / floor |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const measure of MEASURES) {
    const value = (outcomes: readonly Outcome[]): number | undefined =>
      summary(outcomes, measure.pick, measure.reduce);
    lines.push(
      `| ${measure.name} | ${cell(upstream, measure)} | ${cell(ours, measure)} | ${cell(floor, measure)} | ` +
        `${ratio(value(ours), value(upstream))} | ${ratio(value(ours), value(floor))} |`,
    );
  }
  const notes = [
    ...failureNotes('upstream', upstream),
    ...failureNotes('ours', ours),
    ...failureNotes('floor', floor),
  ];
  if (project.upstreamFails !== undefined && upstream.length > 0) {
    notes.push(`upstream is known not to build it (${project.upstreamFails}), so it ran once`);
  }
  return [...lines, ...notes.map((note) => `\n- ${note}`)].join('\n');
}

/** Steps shorter than this in every column are summed into one row, unless named in SHOWN_STEPS. */
const BIG_STEP_SECONDS = 0.25;

/** The steps issue 11 asks about, shown whenever they ran, however short. */
const SHOWN_STEPS = new Set([
  'dh_virtualenv',
  'dh_strip_nondeterminism',
  'dh_builddeb',
  'dh_md5sums',
  'dh_shlibdeps',
  'dh_virtualenv_shlibdeps',
  'dh_strip',
  'dh_dwz',
  ...Object.values(FLOOR_STEPS),
]);

const STEP_TABLE_TITLES: Readonly<Record<keyof StepTime, string>> = {
  seconds: 'wall seconds per step',
  cpuSeconds: 'CPU seconds (user + system) per step',
};

/**
 * Wall or CPU seconds per step of every column of a project: medians over the rounds, failed rounds included
 * (they show how far a build got). What no step accounts for is dpkg-buildpackage's own work (dpkg-source,
 * dpkg-genbuildinfo, …), make and dh.
 */
export function stepTable(project: BenchProject, results: Results, kind: keyof StepTime): string {
  const byColumn = results.get(project.name) ?? new Map<string, Outcome[]>();
  const columns = [...byColumn.keys()];
  const outcomes = (column: string): Outcome[] => byColumn.get(column) ?? [];
  const stepMedian = (column: string, step: string): number | undefined =>
    median(
      outcomes(column)
        .map((outcome) => outcome.steps.get(step)?.[kind])
        .filter((value): value is number => value !== undefined),
    );
  const total = (outcome: Outcome): number => outcome[kind];
  const inSteps = (outcome: Outcome): number =>
    [...outcome.steps.values()].reduce((sum, step) => sum + step[kind], 0);
  const steps = [
    ...new Set(columns.flatMap((column) => outcomes(column).flatMap((o) => [...o.steps.keys()]))),
  ];
  const biggest = (step: string): number =>
    Math.max(...columns.map((column) => stepMedian(column, step) ?? 0));
  const big = steps
    .filter((step) => SHOWN_STEPS.has(step) || biggest(step) >= BIG_STEP_SECONDS)
    .sort((a, b) => biggest(b) - biggest(a));
  const small = steps.filter((step) => !big.includes(step));
  const row = (name: string, value: (column: string) => number | undefined): string =>
    `| ${name} | ${columns.map((column) => value(column)?.toFixed(1) ?? '').join(' | ')} |`;
  const sumOf = (column: string, names: readonly string[]): number =>
    names.reduce((sum, step) => sum + (stepMedian(column, step) ?? 0), 0);
  return [
    `### ${project.name}: ${STEP_TABLE_TITLES[kind]} (medians)`,
    '',
    `| step | ${columns.join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
    ...big.map((step) => row(step, (column) => stepMedian(column, step))),
    row(`${small.length} other steps, each under ${BIG_STEP_SECONDS} s`, (column) => sumOf(column, small)),
    row('outside the steps (dpkg-buildpackage, make, dh)', (column) =>
      median(outcomes(column).map((outcome) => total(outcome) - inSteps(outcome))),
    ),
    row('the whole build', (column) => median(outcomes(column).map(total))),
  ].join('\n');
}

interface Target {
  readonly project: string;
  readonly text: string;
  /** The measured value, undefined when the bench did not measure what the target needs. */
  readonly value: number | undefined;
  readonly limit: number;
  readonly format: (value: number) => string;
  /** For a wall-time ratio, the same ratio of CPU time, which other work on the machine disturbs less. */
  readonly cpu?: number | undefined;
  /** Every build of ours that the target needs failed. */
  readonly failed?: boolean;
}

const times = (value: number): string => `${value.toFixed(2)}×`;
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function quotient(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

function allFailed(outcomes: readonly Outcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((outcome) => outcome.failure !== undefined);
}

/** Issue 11's targets for what this run measured, each with met or MISSED. */
export function targets(
  projects: readonly BenchProject[],
  variants: readonly Variant[],
  results: Results,
): string {
  const measured = (project: string, column: string, pick: Pick): number | undefined =>
    summary(results.get(project)?.get(column) ?? [], pick);
  const list: Target[] = [];
  const wallRatio = (project: string, variant: Variant, versus: string, limit: number): void => {
    const ours = oursColumn(variant);
    const of = (pick: Pick): number | undefined =>
      quotient(measured(project, ours, pick), measured(project, versus, pick));
    list.push({
      project,
      text: `${project}, ours ${variant.name}: wall time ≤ ${limit}× ${versus}'s`,
      value: of((outcome) => outcome.seconds),
      cpu: of((outcome) => outcome.cpuSeconds),
      failed: allFailed(results.get(project)?.get(ours) ?? []),
      limit,
      format: times,
    });
  };
  for (const variant of variants) {
    if (isDefaultVariant(variant)) {
      wallRatio('hello', variant, UPSTREAM, 0.3);
      wallRatio('web', variant, UPSTREAM, 0.45);
      for (const project of projects) wallRatio(project.name, variant, floorColumn(variant.compression), 1.5);
    }
    if (isFastVariant(variant)) {
      wallRatio('hello', variant, UPSTREAM, 0.15);
      wallRatio('web', variant, UPSTREAM, 0.25);
    }
    const debBytes: Pick = (outcome) => outcome.deb?.bytes;
    list.push({
      project: 'hello',
      text: `hello, ours ${variant.name}: .deb ≤ 5% of upstream's`,
      value: quotient(
        measured('hello', oursColumn(variant), debBytes),
        measured('hello', UPSTREAM, debBytes),
      ),
      limit: 0.05,
      format: percent,
    });
  }
  const names = new Set(projects.map((project) => project.name));
  const line = (target: Target): string => {
    if (target.value === undefined)
      return `- ${target.text}: ${target.failed === true ? 'ours failed' : 'not measured'}`;
    const cpu = target.cpu === undefined ? '' : ` (CPU time: ${times(target.cpu)})`;
    return `- ${target.text}: ${target.format(target.value)}${cpu}, ${target.value <= target.limit ? 'met' : 'MISSED'}`;
  };
  return [
    '### Targets (issue 11)',
    '',
    ...list.filter((target) => names.has(target.project)).map(line),
    ...(variants.some(isFastVariant)
      ? []
      : [
          '- hello ≤ 0.15×, web ≤ 0.25× with a faster compression and uv or --without-pip: not measured (--variants)',
        ]),
  ].join('\n');
}
