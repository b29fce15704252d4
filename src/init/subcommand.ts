/** `dh-virtualenv init` as the dispatcher (../subcommand.ts) sees it: its help, options and action. */
import type { Subcommand } from '../subcommand';
import { runInit } from './init';
import { INIT_OPTIONS, resolveInitOptions } from './options';

export const initSubcommand: Subcommand = {
  name: 'init',
  summary: 'Write a complete debian/ for the Python project in the current directory.',
  description: [
    "Run in a Python project's top directory, init writes a debian/ that builds the project and every Python " +
      'package it needs into a virtualenv under /opt/venvs/<package> with dh_virtualenv: control, rules, ' +
      'changelog, copyright, source/format, links putting each console script into /usr/bin, and a manual ' +
      'page for each. Every choice in them is explained by a comment.',
    'The metadata comes from pyproject.toml ([project], or [tool.poetry]), from setup.cfg, or, for a ' +
      "project with setup.py only, from the build backend's prepare_metadata_for_build_wheel hook, run as pip " +
      'runs it. Whatever debian/ needs and the metadata does not say is asked for by the flag that gives it; ' +
      'nothing is made up. An existing debian/ is never changed without --force, and nothing outside ' +
      'debian/ is written.',
  ],
  options: INIT_OPTIONS,
  examples: [
    {
      text: 'A package of the project in the current directory, then its build:',
      lines: ['dh-virtualenv init', 'dpkg-buildpackage -us -uc -b'],
    },
    {
      text: 'A web application run by systemd as the system user "myapp", its version given by hand:',
      lines: ['dh-virtualenv init --service myapp --version 1.4.0'],
    },
  ],
  run: (context) =>
    runInit({
      options: resolveInitOptions(context.words, context.env),
      runner: context.runner,
      logger: context.logger,
      env: context.env,
      projectDir: context.cwd,
      now: context.now,
    }),
};
