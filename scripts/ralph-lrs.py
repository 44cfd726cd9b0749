"""Run Ralph's LRS (PyPI `ralph-malph`) on its file backend, for the LRS tests and for trying
Kefu's xAPI sending on one machine:

    target/ralph-venv/bin/python scripts/ralph-lrs.py --data DIR [--host 127.0.0.1] [--port 8100]

This is what `ralph runserver -b fs --fs-default-directory-path DIR` does, with two changes:
- Ralph's file backend writes each POST with the "create" operation, which refuses a file that
  exists, so every POST after the first fails with HTTP 500 "Statements bulk indexation failed"
  (seen in ralph-malph 4.2.0, 5.0.1 and 5.1.0). Here it appends, as a store must.
- No auto-reload: one process, so stopping it (the tests kill it mid-push) stops the server.

Credentials come from RALPH_AUTH_FILE (made with `ralph auth … --write-to-disk`).
"""

import argparse
import os

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--data", required=True, help="folder for the statements file")
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8100)
args = parser.parse_args()

os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = os.path.abspath(args.data)
os.makedirs(args.data, exist_ok=True)

from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.lrs.fs import FSLRSBackend  # noqa: E402

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402

uvicorn.run("ralph.api:app", host=args.host, port=args.port, log_level="info", reload=False)
