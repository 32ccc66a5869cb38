"""The spoken call as a sequence of recorded clips: "请 A012 号 到 3 号 窗口".

Clips are WAV files in static/appointments/voice/, made by scripts/make_voice_clips.sh with
espeak-ng (Mandarin); the display plays the chime, then these in order. The ticket number is
read digit by digit (A 零 一 二), as Chinese halls do; the window number as a Chinese numeral.
"""

DIGITS = "零一二三四五六七八九"


def _window_words(number: int) -> list[str]:
    if number < 10:
        return [f"d{number}"]
    tens, ones = divmod(number, 10)
    words = ([] if tens == 1 else [f"d{tens}"]) + ["shi"]
    return words + ([f"d{ones}"] if ones else [])


def call_clips(*, ticket_number: str, window_number: int) -> list[str]:
    """Clip names (without .wav) for a call, chime first."""
    letters = [f"letter_{ch.lower()}" for ch in ticket_number if ch.isalpha()]
    digits = [f"d{ch}" for ch in ticket_number if ch.isdigit()]
    return ["chime", "qing", *letters, *digits, "hao", "dao", *_window_words(window_number), "hao", "chuangkou"]


def call_text(*, ticket_number: str, window_number: int) -> str:
    """The same sentence as text, for the screen and the browser's speech fallback."""
    return f"请 {ticket_number} 号到 {window_number} 号窗口"
