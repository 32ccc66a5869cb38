// The window console, keyboard first: one key presses the button that declares it
// (data-key="n|r|s|f|x"), unless the clerk is typing in a field or holds a modifier.
// The no-show button counts down the grace period (data-grace-remaining, in seconds, computed
// by the server at render) and is enabled only when it has passed; the server refuses earlier
// no-shows anyway.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) { return; }
    var target = event.target;
    if (target.closest && target.closest("input, select, textarea, [contenteditable]")) { return; }
    var button = document.querySelector('[data-key="' + (event.key || "").toLowerCase() + '"]');
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });

  var noShow = document.querySelector("[data-grace-remaining]");
  if (!noShow) { return; }
  var seconds = parseInt(noShow.dataset.graceRemaining, 10) || 0;
  var counter = document.getElementById("grace-seconds");
  var hint = document.getElementById("grace-hint");
  var until = Date.now() + seconds * 1000;

  function tick() {
    var left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    if (counter) { counter.textContent = left; }
    noShow.disabled = left > 0;
    noShow.setAttribute("aria-disabled", left > 0 ? "true" : "false");
    if (left > 0) {
      setTimeout(tick, 250);
    } else if (hint) {
      hint.hidden = true;
    }
  }
  tick();
})();
