# The worker image: `docker compose up --scale worker=N` runs N of these (docs/deployment.md); the codec
# server runs from the same image (`python -m starter codec-server`).
#
# Base image pinned to a patch release: an upgrade is a reviewed change of this line. To pin
# the digest too, take it from `docker buildx imagetools inspect python:3.11.16-slim-bookworm`
# and write FROM python:3.11.16-slim-bookworm@sha256:<digest>.
FROM python:3.11.16-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# An unprivileged user owns nothing but its home; the code stays root-owned and read-only.
RUN useradd --system --create-home --uid 10001 vt \
    && install -d -o vt -g vt -m 0700 /var/vt/drukstraat

WORKDIR /app

# Runtime dependencies in their own layer, exactly as locked and hash-checked: a code change
# does not reinstall them, and nothing unreviewed enters the image. requirements.lock is made
# from pyproject.toml with pip-compile (docs/deployment.md, "Upgrades").
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

# The application itself: plain source in /app, run from there (`python worker.py`,
# `python -m starter …`), so no build step can fetch anything past the lock.
COPY pyproject.toml ./
COPY domain/ domain/
COPY workflows/ workflows/
COPY activities/ activities/
COPY bezorging/ bezorging/
COPY adapters/ adapters/
COPY keten/ keten/
COPY starter/ starter/
COPY versleuteling/ versleuteling/
COPY runtime/ runtime/
COPY contract/ contract/
COPY statistiek/ statistiek/
COPY migrations/ migrations/
COPY worker.py stack.py ./
# Bytecode compiled here, once: the workflow sandbox imports a workflow's module anew for every
# case it loads, and without a .pyc next to it (PYTHONDONTWRITEBYTECODE) compiles the source
# each time (workflows/melding.py: about 3.5 ms CPU per case loaded).
RUN python -m compileall -q domain contract workflows activities bezorging keten starter versleuteling runtime \
    worker.py stack.py

USER vt

# Prometheus metrics (VT_METRICS_PORT); the compose healthcheck opens this port.
EXPOSE 9464

# The worker applies pending migrations from /app/migrations at start, then polls Temporal.
CMD ["python", "worker.py"]
