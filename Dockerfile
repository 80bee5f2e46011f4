# Regional Data Pack API. Build: docker build -t datapack .
# Run on PostgreSQL: docker run -p 8000:8000 -e DATABASE_URL=postgresql+psycopg://user:pass@host/db datapack
# Without DATABASE_URL it uses SQLite in /data (mount a volume there to keep it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/datapack.db

WORKDIR /srv/datapack
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
# Editable, so the migrations folder next to the package is where `datapack migrate` finds it.
RUN pip install --no-cache-dir -e . \
    && useradd --system --create-home datapack \
    && mkdir -p /data && chown datapack /data
USER datapack
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
# serve migrates first, so a new database is ready on first start.
CMD ["datapack", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "1"]
