#!/usr/bin/env bash
# System packages 户籍e窗 needs beyond Python: pango (WeasyPrint), a CJK font (Chinese in PDFs),
# gettext (compiling translations), poppler-utils (reading PDFs in tests) and Debian's
# chromium + chromium-driver (browser tests), espeak-ng (the display's voice clips,
# scripts/make_voice_clips.sh).
# As root with apt-get, missing packages are installed; otherwise the exact command is printed.
set -uo pipefail

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
  missing+=(fonts-noto-cjk)
fi
command -v msgfmt >/dev/null || missing+=(gettext)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit $?
fi

echo "Some system packages are missing. Install them with:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
echo "(Without them PDFs lack Chinese fonts and browser tests are skipped.)" >&2
exit 0
