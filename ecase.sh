#!/usr/bin/env bash
# ECase developer entry point: installs what is missing, runs a project-local PostgreSQL, runs the API or the tests.
#   ./ecase.sh run     API on http://127.0.0.1:5080 (ECASE_URL) with demo data
#   ./ecase.sh test    the whole test suite
#   ./ecase.sh codegen regenerate Wolverine's handler code in src/Infrastructure/Internal/Generated (after a handler
#                      signature changes; ADR 0015)
#   ./ecase.sh verify [FILE-ID|REFERENCE] [--no-content]   tamper check (hash chains, seals, content) of one file, or
#                      without a file of the whole store in one pass (--no-content: without rehashing the blobs)
#   ./ecase.sh export list|watch JOB-ID|cancel JOB-ID   disposal export jobs, with a progress bar
#   ./ecase.sh pg-start | pg-stop | pg-status | setup | search-rebuild
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"
PG_PORT="${ECASE_PG_PORT:-55432}"
DATA_ROOT="${ECASE_DATA:-$ROOT/.ecase}"
URL="${ECASE_URL:-http://127.0.0.1:5080}"

log() { printf '\033[1;34m[ecase]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[ecase]\033[0m %s\n' "$*" >&2; exit 1; }

# --- dependencies --------------------------------------------------------------------------
setup() {
  local missing=()
  [ -x "$PG_BIN/initdb" ] || missing+=("postgresql-${PG_VERSION}")
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
  # OCR: Tesseract 5 through its C API, German and English models; PDF/A output intent profile.
  [ -e /usr/lib/x86_64-linux-gnu/libtesseract.so.5 ] || [ -e /usr/lib/aarch64-linux-gnu/libtesseract.so.5 ] || missing+=(libtesseract5 liblept5)
  [ -f /usr/share/tesseract-ocr/5/tessdata/deu.traineddata ] || missing+=(tesseract-ocr-deu)
  [ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || missing+=(tesseract-ocr-eng)
  # PDF/A renditions of born-digital PDFs.
  command -v gs >/dev/null || missing+=(ghostscript)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run as root or install them with apt-get)"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
}

# --- project-local PostgreSQL ----------------------------------------------------------------
pg_dir() {
  # The cluster must be reachable by the unprivileged user that runs it; a checkout under /root is not.
  local dir="$DATA_ROOT/pg"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(dirname "$DATA_ROOT")" 2>/dev/null; then
    dir="/var/tmp/ecase-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)/pg"
  fi
  printf '%s' "$dir"
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$(pg_dir)" status >/dev/null 2>&1; }

pg_start() {
  local dir; dir="$(pg_dir)"
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $dir (port $PG_PORT, loopback only)"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_pg "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if pg_running; then
    PG_STARTED_HERE=0
    return
  fi
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=200 -c shared_buffers=256MB -c fsync=on" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  PG_STARTED_HERE=1
  as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='ecase'" | grep -q 1 \
    || as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database ecase" >/dev/null
}

pg_stop() { pg_running && { log "stopping PostgreSQL"; as_pg "$PG_BIN/pg_ctl" -D "$(pg_dir)" -m fast -w stop >/dev/null; } || true; }

# Leave nothing running that the user did not ask for: stop the cluster if this command started it.
stop_if_started() { [ "${PG_STARTED_HERE:-0}" = 1 ] && pg_stop; return 0; }

# Tesseract's OpenMP threads fight our one-engine-per-core pool on small machines (4x slower on 2 cores).
export OMP_THREAD_LIMIT=1
export ECASE_PG="Host=127.0.0.1;Port=$PG_PORT;Database=ecase;Username=postgres;Pooling=true;Maximum Pool Size=100"

cmd_run() {
  setup; pg_start
  trap stop_if_started EXIT
  trap 'exit 130' INT TERM
  log "building"
  dotnet build "$ROOT/src/Api" -c Release -v quiet -nologo >/dev/null
  log "ECase on $URL — API reference $URL/scalar/v1 — OpenAPI $URL/openapi/v1.json"
  log "development token: curl -s $URL/api/dev/tokens/clerk-ha   (users: clerk-ha clerk-oa registrar archivist citizen auditor)"
  (cd "$ROOT/src/Api" && ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
    ConnectionStrings__Marten="$ECASE_PG" ContentStore__Root="$DATA_ROOT/content" Search__Path="$DATA_ROOT/search" Urls="$URL" \
    ServerKey__CertificatePath="${ServerKey__CertificatePath:-$DATA_ROOT/server-key.pfx}" Signatures__TrustStore="${Signatures__TrustStore:-$DATA_ROOT/trust}" \
    dotnet "bin/Release/net10.0/ECase.Api.dll")
}

# Rebuild the search index from the events while the server is stopped (running server: POST /api/admin/search/rebuild).
cmd_search_rebuild() {
  setup; pg_start
  trap stop_if_started EXIT
  dotnet build "$ROOT/src/Api" -c Release -v quiet -nologo >/dev/null
  (cd "$ROOT/src/Api" && ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" Logging__Format=simple \
    ConnectionStrings__Marten="$ECASE_PG" ContentStore__Root="$DATA_ROOT/content" Search__Path="$DATA_ROOT/search" \
    dotnet "bin/Release/net10.0/ECase.Api.dll" search rebuild)
}

# Export jobs (0503 transfers) as the database records them; runs beside a server. export list | watch JOB-ID | cancel JOB-ID
cmd_export() {
  setup; pg_start
  trap stop_if_started EXIT
  dotnet build "$ROOT/src/Api" -c Release -v quiet -nologo >/dev/null
  (cd "$ROOT/src/Api" && ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" Demo__Seed=false \
    ConnectionStrings__Marten="$ECASE_PG" ContentStore__Root="$DATA_ROOT/content" Search__Path="$DATA_ROOT/search-cli" \
    Logging__Format=simple Logging__LogLevel__Default=Warning dotnet "bin/Release/net10.0/ECase.Api.dll" export "$@")
}

cmd_verify() {
  setup; pg_start
  trap stop_if_started EXIT
  dotnet build "$ROOT/src/Api" -c Release -v quiet -nologo >/dev/null
  (cd "$ROOT/src/Api" && ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
    ConnectionStrings__Marten="$ECASE_PG" ContentStore__Root="$DATA_ROOT/content" \
    ServerKey__CertificatePath="${ServerKey__CertificatePath:-$DATA_ROOT/server-key.pfx}" Logging__Format=simple \
    dotnet "bin/Release/net10.0/ECase.Api.dll" verify "$@")
}

# PDF checkers the tests run against renditions (qpdf, poppler's pdffonts/pdftotext, Ghostscript).
test_tools() {
  local missing=()
  command -v qpdf >/dev/null || missing+=(qpdf)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v gs >/dev/null || missing+=(ghostscript)
  # xdomea messages are also checked with libxml2, as archives' ingest systems do.
  command -v xmllint >/dev/null || missing+=(libxml2-utils)
  # PDFBox Preflight (PDF/A-1 validator) on Java 17 needs the activation and JAXB jars besides pdfbox.
  command -v java >/dev/null || missing+=(default-jre-headless)
  [ -f /usr/share/java/preflight.jar ] || [ -f /usr/share/java/pdfbox2-preflight.jar ] || missing+=(libpdfbox2-java)
  [ -f /usr/share/java/javax.activation.jar ] || [ -f /usr/share/java/jakarta.activation.jar ] || missing+=(libactivation-java)
  [ -f /usr/share/java/jaxb-api.jar ] || missing+=(libjaxb-api-java)
  # The browser tests drive Debian's Chromium through Playwright (no browser download).
  [ -x "${ECASE_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages for the tests: ${missing[*]}"
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
}

cmd_test() {
  setup; test_tools; pg_start
  trap stop_if_started EXIT
  local results="$DATA_ROOT/test-results"; rm -rf "$results"; mkdir -p "$results"
  local rc=0
  # Browser tests leave their screenshots in $results/browser.
  ECASE_TEST_ARTIFACTS="$results/browser" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
  ECASE_TEST_PG="$ECASE_PG" dotnet test "$ROOT/ECase.sln" -c Release --logger "trx" --results-directory "$results" "$@" || rc=$?
  # One plain summary line over all test projects, for humans and CI.
  local p=0 f=0 k=0 counters
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$((p + $(sed -nE 's/.* passed="([0-9]+)".*/\1/p' <<<"$counters")))
    f=$((f + $(sed -nE 's/.* failed="([0-9]+)".*/\1/p' <<<"$counters") + $(sed -nE 's/.* error="([0-9]+)".*/\1/p' <<<"$counters")))
    k=$((k + $(sed -nE 's/.* notExecuted="([0-9]+)".*/\1/p' <<<"$counters")))
  done
  echo "$p passed, $f failed, $k skipped"
  return $rc
}

# Wolverine writes the handler code of the API host below its content root; it is compiled into src/Infrastructure,
# which every host (API, tests, benchmarks) uses. The old code goes first: a stale handler may not even compile.
cmd_codegen() {
  local gen="$ROOT/src/Infrastructure/Internal/Generated" out="$ROOT/src/Api/Internal/Generated"
  rm -rf "$gen" "$out"
  dotnet build "$ROOT/src/Api" -c Release -v quiet -nologo >/dev/null
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_CONTENTROOT="$ROOT/src/Api" ContentStore__Root="$(mktemp -d)" \
    dotnet "$ROOT/src/Api/bin/Release/net10.0/ECase.Api.dll" codegen write >/dev/null
  mkdir -p "$(dirname "$gen")"
  mv "$out" "$gen"
  rmdir "$ROOT/src/Api/Internal"
  log "wrote $(find "$gen" -name '*.cs' | wc -l) files to ${gen#"$ROOT"/}"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  codegen) cmd_codegen ;;
  verify) shift; cmd_verify "$@" ;;
  setup) setup ;;
  pg-start) setup; pg_start ;;
  pg-stop) pg_stop ;;
  search-rebuild) cmd_search_rebuild ;;
  export) shift; cmd_export "$@" ;;
  pg-status) pg_running && echo "running on 127.0.0.1:$PG_PORT ($(pg_dir))" || echo "stopped" ;;
  *) echo "usage: $0 run|test|verify|export|codegen|setup|pg-start|pg-stop|pg-status|search-rebuild" >&2; exit 2 ;;
esac
