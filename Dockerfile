# The app's image: gunicorn with the production settings (docker-compose.yml, README "Deploy").
# Every step is a subcommand of scripts/entrypoint.sh, which scripts/container-smoke.sh runs in
# CI outside a container, so what is proven there is what runs here.
FROM python:3.13-slim-bookworm

# The version of uv in requirements-dev.lock (tests/test_lock.py checks it).
ARG UV_VERSION=0.13.9
# The lock installed: requirements-rq.lock adds the Redis task queue (README, "Task queue").
ARG REQUIREMENTS=requirements.lock

# The image is production: every command run in it (createsuperuser, backup) has those settings;
# fontconfig's cache (WeasyPrint) goes where the unprivileged user may write.
ENV DJANGO_SETTINGS_MODULE=relazione.settings.production \
    XDG_CACHE_HOME=/tmp/cache \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_NO_CACHE=1 \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint needs Pango (HarfBuzz's subsetter makes it fast); poppler-utils for pdftotext.
# The PostgreSQL client is Debian's, major 15, the major of the postgres image in
# docker-compose.yml and of the server CI tests on: pg_dump refuses a newer server.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      postgresql-client-15 poppler-utils \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 relazione \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home relazione

WORKDIR /app
COPY requirements.lock requirements-rq.lock ./
COPY scripts/entrypoint.sh scripts/
RUN pip install --no-cache-dir "uv==${UV_VERSION}" && scripts/entrypoint.sh install

COPY . .
RUN scripts/entrypoint.sh collectstatic \
    && mkdir -p var/media \
    && chown -R 10001:10001 var

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["/app/scripts/entrypoint.sh", "healthcheck"]
ENTRYPOINT ["/app/scripts/entrypoint.sh"]
CMD ["web"]
