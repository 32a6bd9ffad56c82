#!/usr/bin/env bash
# ECase benchmarks: bench/run.sh NAME [--quick] [options]   (NAME: append, ocr, search, verify, export, inspection; options: see bench/README.md)
# Starts the project-local PostgreSQL if it is not running (and stops it at the end only then), builds Release, runs.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
PG_PORT="${ECASE_PG_PORT:-55432}"
export ECASE_PG="${ECASE_PG:-Host=127.0.0.1;Port=$PG_PORT;Database=ecase;Username=postgres;Pooling=true;Maximum Pool Size=100}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The write path is measured without the follow-on jobs (text extraction, PDF/A renditions) that submitted PDFs queue:
# those run asynchronously and would compete for the same two cores (Scanning:DeriveFormats, see README).
export Scanning__DeriveFormats=false

log() { printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2; }

[ $# -ge 1 ] || { echo "usage: $0 NAME [--quick] [--writers N] [--seconds S] [...]   (see bench/README.md)" >&2; exit 2; }

# Any server on the port counts as running (it may belong to another checkout of ECase); only if nothing answers
# is the project-local cluster started, and then stopped again on exit.
pg_up() { (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; }
STARTED_PG=0
stop_pg() { if [ "$STARTED_PG" = 1 ]; then log "stopping the PostgreSQL this run started"; "$ROOT/ecase.sh" pg-stop || true; fi; }
trap stop_pg EXIT
trap 'exit 130' INT TERM
if ! pg_up; then
  log "PostgreSQL is not running on 127.0.0.1:$PG_PORT; starting the project-local cluster"
  "$ROOT/ecase.sh" pg-start
  STARTED_PG=1
fi

# ocr: installs the Tesseract CLI and OCRmyPDF for the comparison (bench/ocr-setup.sh). One OpenMP thread per Tesseract
# for the ECase process (its engine also sets this itself), the CLI and OCRmyPDF alike: on 2 cores they would compete.
if [ "$1" = ocr ]; then . "$BENCH/ocr-setup.sh"; export OMP_THREAD_LIMIT=1; fi

# export: its baseline is `zip -0` over the same files (Debian package zip).
if [ "$1" = export ] && ! command -v zip >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    log "installing zip (the baseline of the export benchmark)"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zip >/dev/null; } \
      || { log "could not install zip"; exit 1; }
  else
    log "zip is missing (run as root or apt-get install zip)"; exit 1
  fi
fi

build() { local out; out="$(dotnet build "$1" -c Release -v quiet -nologo 2>&1)" || { printf '%s\n' "$out" >&2; exit 1; }; }
log "building Release (src/Api, bench/ECase.Bench)"
build "$ROOT/src/Api/ECase.Api.csproj"
build "$BENCH/ECase.Bench/ECase.Bench.csproj"

log "running $*"
rc=0
dotnet "$BENCH/ECase.Bench/bin/Release/net10.0/ECase.Bench.dll" "$@" \
  --api-dll "$ROOT/src/Api/bin/Release/net10.0/ECase.Api.dll" || rc=$?
exit $rc
