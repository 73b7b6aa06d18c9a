# The mock server as a container: small, non-root, state on a volume, health-checked.
#   docker build -t credit-contracts .
#   docker run --rm -p 8080:8080 -v mockstate:/data credit-contracts
# The admin API (/__admin) is open to whoever reaches the published port; set
# MOCKSERVER_ADMIN_TOKEN to protect it (the health check stays open). The suite itself is
# not in the image: `pip install 'credit-contracts[contracts]'` where the tests run.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY mockserver mockserver
COPY contracts contracts
COPY specs specs
RUN pip wheel --no-cache-dir --constraint constraints.txt --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /data mock && mkdir /data && chown mock /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER mock
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/__admin/health', timeout=2)"]
CMD ["mockserver", "serve", "--host", "0.0.0.0", "--port", "8080", "--state", "/data/state.sqlite3", "--insecure-admin"]
