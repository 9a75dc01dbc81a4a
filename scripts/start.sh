#!/usr/bin/env bash
# Quick start: create .venv, install agilab-lab with its built labextension, start JupyterLab
# on 127.0.0.1 and print the URL with its token. PORT (default 8888) and TOKEN may be set.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

ensure_venv
log "installing agilab-lab and JupyterLab (builds the labextension on first install)"
"$VENV/bin/python" -m pip install --quiet "jupyterlab>=4.6,<5" ".[dask-lab,validate]"
# Capture first: `grep -q` closing the pipe early would fail the pipeline under pipefail.
extensions="$("$VENV/bin/jupyter" server extension list 2>&1)"
grep -q "agilab_lab .*OK" <<<"$extensions" || { log "server extension not enabled"; exit 1; }

PORT="${PORT:-8888}"
TOKEN="${TOKEN:-$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(24))')}"
log "JupyterLab with agilab-lab: http://127.0.0.1:${PORT}/lab?token=${TOKEN}"
exec "$VENV/bin/jupyter" lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port="$PORT" \
  --IdentityProvider.token="$TOKEN" $(root_flag)
