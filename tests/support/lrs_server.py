"""Run Ralph (the LRS) for the tests: `.venv-ralph/bin/python lrs_server.py PORT DIR USER PASSWORD`.

Run by Ralph's own virtualenv (`make ralph-venv`), never imported by the tests. `ralph runserver`
does not fit: the file-system backend writes its statements file in "create" mode, so only the first
POST is stored (every later one gets 500: the file exists), and it starts uvicorn with the reloader,
which restarts the server whenever a file under the working directory changes. Here uvicorn runs
without a reloader, and the backend appends.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> None:
    port, directory, username, password = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    store = directory / "store"
    store.mkdir(parents=True, exist_ok=True)
    auth = directory / "auth.json"
    import bcrypt

    # Ralph's basic auth: a JSON list of users with a bcrypt hash, the agent they write as, and scopes.
    auth.write_text(json.dumps([{"agent": {"mbox": "mailto:klarret-test@example.org"}, "scopes": ["all"],
                                 "username": username,
                                 "hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()}]))
    # Ralph reads its settings from the environment when it is imported.
    os.environ.update({"RALPH_APP_DIR": str(directory), "RALPH_AUTH_FILE": str(auth),
                       "RALPH_RUNSERVER_BACKEND": "fs",
                       "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(store)})
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    import uvicorn
    from ralph.api import app

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
