# The worker image: `docker compose up --scale worker=N` runs N of these (DESIGN §6).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user owns nothing but its home; the code stays root-owned and read-only.
RUN useradd --system --create-home --uid 10001 vt

WORKDIR /app

# Runtime dependencies only (no dev or embedded extras).
COPY pyproject.toml ./
COPY domain/ domain/
COPY workflows/ workflows/
COPY activities/ activities/
COPY starter/ starter/
COPY migrations/ migrations/
COPY worker.py stack.py ./
RUN pip install --no-cache-dir . && rm -rf build *.egg-info

USER vt

# Prometheus metrics (VT_METRICS_PORT); the compose healthcheck opens this port.
EXPOSE 9464

# The worker applies pending migrations from /app/migrations at start, then polls Temporal.
CMD ["python", "worker.py"]
