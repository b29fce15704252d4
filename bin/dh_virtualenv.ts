import { runBuildsystemStep } from '../src/buildsystem';
import { runCommand } from '../src/command';
import { helpText } from '../src/help';
import { run } from '../src/main';

// The only place that reads process.argv and process.env; everything below gets values.
process.exitCode = runCommand(
  {
    program: 'dh_virtualenv',
    help: helpText,
    sayOptionWarnings: true,
    action: (context) => {
      const step = context.options.buildsystem;
      if (step === undefined) run(context);
      else runBuildsystemStep(context, step);
    },
  },
  process.argv.slice(2),
  process.env,
  process.cwd(),
);
