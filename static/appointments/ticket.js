// The visitor's ticket page: status (people ahead, estimated wait, "your turn") pushed over a
// websocket whenever anything changes at the station; reconnects by itself.
(function () {
  "use strict";
  var root = document.getElementById("ticket");
  var labels = JSON.parse(document.getElementById("labels").textContent);
  var liveEl = document.getElementById("live");
  var delay = 500;
  var wasTurn = !document.getElementById("turn").hidden;

  function render(s) {
    document.getElementById("ahead").textContent = s.ahead;
    document.getElementById("wait").textContent = s.wait_minutes;
    document.getElementById("status-label").textContent = s.status_label;
    document.getElementById("waiting").hidden = s.status !== "waiting";
    var turn = document.getElementById("turn");
    turn.hidden = !s.your_turn;
    document.getElementById("turn-window").textContent = s.window ? labels.go.replace("__W__", s.window) : "";
    if (s.your_turn && !wasTurn && navigator.vibrate) { navigator.vibrate([300, 100, 300]); }
    wasTurn = s.your_turn;
    if (s.status === "done" && !document.querySelector("[data-testid=rate-form]")) { location.reload(); }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + root.dataset.ws);
    ws.onopen = function () { liveEl.textContent = labels.live; delay = 500; };
    ws.onmessage = function (m) { var s = JSON.parse(m.data); if (s.kind === "status") { render(s); } };
    ws.onclose = function () {
      liveEl.textContent = labels.offline;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  }
  connect();
})();
