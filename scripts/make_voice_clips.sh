#!/usr/bin/env bash
# Makes the waiting-room display's voice clips (Mandarin) with Debian's espeak-ng, plus a chime.
# The display plays them in sequence: chime 请 A 零 一 二 号 到 三 号 窗口.
#   bash scripts/make_voice_clips.sh   (writes static/appointments/voice/*.wav; commit them)
set -euo pipefail
cd "$(dirname "$0")/.."
out=static/appointments/voice
mkdir -p "$out"
command -v espeak-ng >/dev/null || { echo "espeak-ng is missing: sudo apt-get install -y espeak-ng" >&2; exit 1; }

say() { espeak-ng -v cmn -s 150 -w "$out/$1.wav" "$2"; }
say qing 请
say hao 号
say dao 到
say chuangkou 窗口
say shi 十
digits=(零 一 二 三 四 五 六 七 八 九)
for i in "${!digits[@]}"; do say "d$i" "${digits[$i]}"; done
for letter in A B P; do say "letter_${letter,,}" "$letter"; done

# Two-tone chime (ding-dong), 16-bit mono, generated so nothing is downloaded.
python3 - "$out/chime.wav" <<'PY'
import math, struct, sys, wave
rate = 22050
frames = bytearray()
for freq, secs in ((880, 0.35), (660, 0.55)):
    n = int(rate * secs)
    for i in range(n):
        fade = 1 - i / n
        frames += struct.pack("<h", int(12000 * fade * math.sin(2 * math.pi * freq * i / rate)))
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate); w.writeframes(bytes(frames))
PY
echo "Voice clips written to $out"
