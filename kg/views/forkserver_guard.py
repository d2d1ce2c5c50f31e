"""Imported only by kg serve's fork server (its preload list, kg/views/serve.py): the fork server
ends when kg serve ends, however it ends (SIGKILL too), and with it every query process
(each asks for the same in ``_run``). Without it, an orphaned fork server kept a query running.

The parents' pids travel in the environment, so that a parent that ended before the request was
made is noticed too (``KG_SERVE_PID`` set by kg serve, ``KG_FORKSERVER_PID`` here)."""

import os

from kg.procs import die_with_parent

die_with_parent(parent=int(os.environ.get("KG_SERVE_PID") or os.getppid()))
os.environ["KG_FORKSERVER_PID"] = str(os.getpid())
