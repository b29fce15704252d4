"""A tiny command-line program with a dependency from PyPI (click), shipped in a virtualenv."""
import sys

import click


@click.command()
@click.option("--name", default="world", help="Who to greet.")
def main(name):
    """Greets NAME and says where it runs from."""
    click.echo(f"Hello, {name}! (click {click.__version__}, Python {sys.version.split()[0]}, {sys.prefix})")


if __name__ == "__main__":
    main()
