#!/usr/bin/env bash
# Installs everything the tests need (test extras, Debian's chromium, postgresql and openssh-server
# when missing), then runs every suite: Python tests, TypeScript unit tests and browser tests.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

apt_ensure "test -x /usr/bin/chromium" chromium
apt_ensure "ls /usr/lib/postgresql/*/bin/initdb" postgresql
apt_ensure "test -x /usr/sbin/sshd" openssh-server openssh-client
apt_ensure "command -v git" git

ensure_venv
log "installing agilab-lab[test] (editable, with the labextension)"
"$VENV/bin/python" -m pip install --quiet -e ".[test]"
"$VENV/bin/jupyter-builder" develop --overwrite . >/dev/null
CHP="$VENV/chp/node_modules/.bin/configurable-http-proxy"
[ -x "$CHP" ] || npm install --silent --no-audit --no-fund --prefix "$VENV/chp" configurable-http-proxy@5 >/dev/null
export PATH="$VENV/bin:$PATH"
# The editable install keeps an existing labextension: always test a fresh production build
# (tests/ui checks its size).
log "building the labextension (production)"
jlpm install >/dev/null
jlpm build:prod >/dev/null

log "lint (ruff, prettier)"
ruff check .
jlpm prettier:check >/dev/null

log "python tests"
# tests/repogen: run the generated repositories' own gates over the whole render matrix.
export AGILAB_FULL_MATRIX=1
python -m pytest tests --ignore=tests/ui -p no:cacheprovider -q --timeout 900 --durations 15

log "typescript unit tests"
jlpm test

log "browser tests (Debian chromium, headless)"
python -m pytest tests/ui --confcutdir=tests/ui -p no:cacheprovider -q
