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
      let detail;
      try { detail = JSON.parse(msg.data); } catch (e) { return; }
      if (detail.event === "notice") showNotice(detail.data);
      window.dispatchEvent(new CustomEvent("mp:status", { detail }));
    };
    ws.onclose = () => {
      if (dot) dot.classList.remove("on");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
    window.mpStatusSocket = ws;
  }
  // Messages a worker sends the user (e.g. why an upload was not encoded), shown like Django's.
  function showNotice(data) {
    let list = document.querySelector("ul.messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      document.querySelector("main.container").prepend(list);
    }
    const item = document.createElement("li");
    item.className = `msg ${data.level === "error" ? "error" : "success"}`;
    item.setAttribute("role", data.level === "error" ? "alert" : "status");
    item.textContent = data.message;
    list.append(item);
  }
  connect();
})();
