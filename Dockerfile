FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint needs Pango; poppler-utils for pdftotext in the checks.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      postgresql-client poppler-utils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SETTINGS_MODULE=relazione.settings.local python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "relazione.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
