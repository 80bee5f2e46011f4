# Sourced by scripts/test: the browser tests need Chromium. Installs Debian's package if it is
# missing and we are root; otherwise those tests are skipped locally (CI sets REQUIRE_BROWSER=1).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium not found: installing it from Debian's packages" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is not installed: the browser tests will be skipped (apt-get install chromium)." >&2
  fi
fi
if command -v chromium >/dev/null 2>&1; then
  export REQUIRE_BROWSER=1
fi
