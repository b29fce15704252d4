/**
 * Long end-to-end tests told as a story of steps (the clean-system test, the sbuild test): each step is a
 * subtest, so the report shows how far the story got, and once one fails the later ones are skipped rather
 * than failing confusingly.
 *
 *     const { step } = storyOf(t);
 *     await step('mmdebstrap makes the chroot tarball', async (st) => { ... });
 */
import type { TestContext } from 'node:test';

export interface Story {
  /** Runs one step as a subtest of the story's test; skipped once an earlier step failed. */
  step(name: string, body: (st: TestContext) => Promise<void>): Promise<void>;
  /** Whether a step has failed so far. */
  failed(): boolean;
}

export function storyOf(t: TestContext): Story {
  let failed = false;
  return {
    failed: () => failed,
    step: (name, body) =>
      t.test(name, { skip: failed ? 'an earlier step failed' : false }, async (st) => {
        try {
          await body(st);
        } catch (error) {
          failed = true;
          throw error;
        }
      }),
  };
}

/** The time since `since` (a Date.now()), for diagnostics: "12.3 s". */
export const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
