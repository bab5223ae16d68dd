"""Executes a notebook unchanged, top to bottom, and prints what its cells printed.

    python run_notebook.py NOTEBOOK [WORKDIR]

The kernel runs in WORKDIR (default: the current directory), so files the notebook saves land there
and the notebook itself is never written. Every cell's text output (streams, plain-text results) is
printed to stdout; a failing cell prints its error to stderr and the exit status is 1.
"""

import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def text_of(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return data.get("text/plain", "")


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    notebook_path = argv[1]
    workdir = argv[2] if len(argv) == 3 else os.getcwd()
    notebook = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": workdir}},
    )
    failed = None
    try:
        client.execute()
    except CellExecutionError as error:
        failed = error
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = text_of(output)
            if text:
                print(f"--- cell {index} ---\n{text.rstrip()}")
    if failed is not None:
        print(f"{notebook_path}: a cell failed:\n{failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
