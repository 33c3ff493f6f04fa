// One status socket per page: pages listen with
//   window.addEventListener("mp:status", e => e.detail /* {event, data} */)
// Reconnects with back-off so a server restart does not leave the page silent.
(function () {
  const dot = document.getElementById("live");
  let delay = 1000;
  function connect() {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}/ws/status/`);
    ws.onopen = () => { delay = 1000; if (dot) dot.classList.add("on"); };
    ws.onmessage = (msg) => {
      try { window.dispatchEvent(new CustomEvent("mp:status", { detail: JSON.parse(msg.data) })); } catch (e) {}
    };
    ws.onclose = () => {
      if (dot) dot.classList.remove("on");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
    window.mpStatusSocket = ws;
  }
  connect();
})();
