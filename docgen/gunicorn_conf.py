"""gunicorn settings for docgen (``gunicorn -c python:docgen.gunicorn_conf 'docgen:create_app()'``).

Threads in a few processes (``gthread``): requests are short because PDF work goes to the
job worker, and a thread waiting on the database costs little. Every value can be set from
the environment; junk is a start-up error, as for the app's own settings.
"""

from __future__ import annotations

import os

import gunicorn.http.wsgi

from docgen.config import parse_int

_env = os.environ

bind = [address.strip() for address in _env.get("DOCGEN_BIND", "127.0.0.1:5000").split(",")]
worker_class = "gthread"
workers = parse_int("DOCGEN_WEB_WORKERS", _env.get("DOCGEN_WEB_WORKERS", "2"), minimum=1)
threads = parse_int("DOCGEN_WEB_THREADS", _env.get("DOCGEN_WEB_THREADS", "8"), minimum=1)
# A request may convert a draft to PDF in the web process: allow the converter's own limit.
timeout = parse_int("DOCGEN_CONVERTER_TIMEOUT", _env.get("DOCGEN_CONVERTER_TIMEOUT", "60")) + 30
graceful_timeout = 30  # seconds a worker may finish its requests after SIGTERM
keepalive = 5
max_requests = 2000  # recycle a worker now and then (memory held by a large DOCX)
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
proc_name = "docgen-web"
# gunicorn ≥ 25.1 opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl):
# two servers on one machine would fight over it, and it is a management door nobody uses here.
control_socket_disable = True
# X-Forwarded-* are handled once, by the app's ProxyFix (DOCGEN_PROXY_HOPS), not here too.
forwarded_allow_ips = ""

# gunicorn names itself in a ``Server`` header on every response; say no more than "docgen".
# Set in the arbiter before the workers fork, so every worker inherits it.
gunicorn.http.wsgi.SERVER = "docgen"
