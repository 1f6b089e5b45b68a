# Shared set-up for bin/demo and bin/test: a virtualenv on Python >= 3.12 with the pinned
# requirements, and the Debian packages the project needs. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  local candidates=(python3.13 python3.12)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  for c in /root/.pyenv/versions/3.1[23]*/bin/python3 /usr/local/bin/python3.1[23] /usr/bin/python3.1[23] "$(command -v python3 || true)"; do
    if [ -x "$c" ] && "$c" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  echo "未找到 Python 3.12 或更高版本，请先安装。" >&2
  return 1
}

# Debian packages: fonts-noto-cjk (Chinese documents); chromium for the browser tests.
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "安装 Debian 软件包：${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_venv() {
  local req="$1"
  local py
  py="$(find_python)"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
    rm -rf .venv
    "$py" -m venv .venv
  fi
  local stamp=".venv/.installed-$(basename "$req")"
  local digest
  digest="$(cat requirements/*.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
    echo "$digest" > "$stamp"
  fi
}
