"""Named points where crash tests can stop a real process at a precise moment.

`YASP_FAILPOINTS="scan.after_save=sleep:30"` makes `failpoint("scan.after_save")` sleep,
so a test can SIGKILL the process right there; `=exit` ends the process at once. With
`YASP_FAILPOINT_DIR` set, a process reaching a failpoint first writes its pid to
`<dir>/<name>`, so a test knows when and whom to kill. Unset (the normal case), a
failpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time


def _configured() -> dict[str, str]:
    spec = os.environ.get("YASP_FAILPOINTS", "")
    pairs = (item.split("=", 1) for item in spec.split(",") if "=" in item)
    return {name.strip(): action.strip() for name, action in pairs}


def failpoint(name: str) -> None:
    """Act as configured for `name`: nothing, sleep N seconds, or exit the process."""
    action = _configured().get(name)
    if action is None:
        return
    marks = os.environ.get("YASP_FAILPOINT_DIR")
    if marks:
        os.makedirs(marks, exist_ok=True)
        with open(os.path.join(marks, name), "a") as mark:
            mark.write(f"{os.getpid()}\n")
    if action == "exit":
        os._exit(137)
    if action.startswith("sleep:"):
        time.sleep(float(action.split(":", 1)[1]))
