FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN python -m common.pdf_fonts
RUN DEBUG=0 SECRET_KEY=build-time-collectstatic-only STATIC_MANIFEST=1 python manage.py collectstatic --no-input -v0
RUN useradd --system --uid 1000 hukou && mkdir -p /app/var && chown -R hukou /app/var
USER hukou
EXPOSE 8000
# ASGI: pages, API and the websockets of the display and phones (docs/architecture.md).
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "3", "--proxy-headers", "--ws", "websockets-sansio"]
