"""`python -m gridctl` runs the same CLI as the `gridctl` script."""

from gridctl.cli.entry import run

if __name__ == "__main__":
    run()
