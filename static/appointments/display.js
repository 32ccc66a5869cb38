// Waiting-room display: calls arrive pushed over a websocket (never polled). Each call plays
// the chime and the recorded clips in sequence; if a clip cannot play, the browser's own
// speech says the sentence instead. A reconnect asks for every call after the last one shown.
(function () {
  "use strict";
  var body = document.body;
  var station = body.dataset.station;
  var voice = body.dataset.voice;
  var lastSeq = parseInt(body.dataset.lastSeq || "0", 10);
  var live = document.getElementById("live");
  var queue = [];
  var speaking = false;
  var delay = 500;
  window.displayCalls = [];      // what this page announced, for operators and tests
  window.displayClips = [];      // every clip URL requested, in order

  function show(event) {
    document.getElementById("now-number").textContent = event.number;
    document.getElementById("now-window").textContent = event.window;
    var li = document.createElement("li");
    li.dataset.seq = event.seq;
    li.innerHTML = "<b></b> → " + event.window + "号窗口";
    li.firstChild.textContent = event.number;
    var history = document.getElementById("history");
    history.insertBefore(li, history.firstChild);
    while (history.children.length > 8) { history.removeChild(history.lastChild); }
    var now = document.querySelector(".now");
    now.classList.remove("flash"); void now.offsetWidth; now.classList.add("flash");
  }

  function speakFallback(text, done) {
    if (!("speechSynthesis" in window)) { done(); return; }
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    u.onend = done; u.onerror = done;
    window.speechSynthesis.speak(u);
  }

  function playClips(clips, text, done) {
    var audios = clips.map(function (name) {
      var url = voice + name + ".wav";
      window.displayClips.push(url);
      var a = new Audio(url);
      a.preload = "auto";
      a.load();
      return a;
    });
    var i = 0;
    function next() {
      if (i >= audios.length) { done(); return; }
      var a = audios[i++];
      a.onended = next;
      a.onerror = function () { speakFallback(text, done); };
      var p = a.play();
      if (p && p.catch) { p.catch(function () { speakFallback(text, done); }); }
    }
    next();
  }

  function drain() {
    if (speaking || !queue.length) { return; }
    speaking = true;
    var event = queue.shift();
    playClips(event.clips, event.text, function () { speaking = false; setTimeout(drain, 300); });
  }

  function handle(event) {
    if (event.kind !== "call" || event.seq <= lastSeq) { return; }
    lastSeq = event.seq;
    window.displayCalls.push(event);
    show(event);
    queue.push(event);
    drain();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + "/ws/display/" + station + "/?after=" + lastSeq);
    ws.onopen = function () { live.className = "online"; delay = 500; };
    ws.onmessage = function (m) { handle(JSON.parse(m.data)); };
    ws.onclose = function () {
      live.className = "offline";
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  }

  document.getElementById("sound").addEventListener("click", function (e) {
    new Audio(voice + "chime.wav").play().catch(function () {});
    e.target.hidden = true;
  });
  setInterval(function () {
    document.getElementById("clock").textContent = new Date().toLocaleTimeString("zh-CN", {hour12: false});
  }, 1000);
  connect();
})();
