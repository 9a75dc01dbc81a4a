# Shared by start.sh and test.sh: the project venv and system packages, installed when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"

log() { printf '\033[1m[agilab-lab]\033[0m %s\n' "$*" >&2; }

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
}

# apt_ensure CHECK_COMMAND PACKAGE...: install Debian packages when CHECK_COMMAND fails.
apt_ensure() {
  local check="$1"; shift
  if eval "$check" >/dev/null 2>&1; then return 0; fi
  log "installing Debian packages: $*"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ -z "${_APT_UPDATED:-}" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _APT_UPDATED=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

root_flag() { [ "$(id -u)" = 0 ] && echo "--allow-root" || true; }
