// Live stream rows: `stream` events from the status socket update state, counters and destinations.
(function () {
  function text(el, value) { if (el) el.textContent = value; }
  function rate(d) {
    const parts = [];
    if (d.bitrate_kbps) parts.push(Math.round(d.bitrate_kbps) + " kbit/s");
    if (d.fps) parts.push(Math.round(d.fps) + " fps");
    if (d.speed) parts.push(d.speed.toFixed(2) + "x");
    return parts.join(" · ");
  }
  // While this page's own form is being submitted, the new stream's first events reach this
  // page before the answer does; reloading then would swallow the answer and its message.
  let submitting = false;
  window.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("mp:status", (e) => {
    if (!e.detail || e.detail.event !== "stream") return;
    const d = e.detail.data;
    const row = document.querySelector(`tr[data-stream="${d.id}"]`);
    if (!row) {  // started elsewhere (another tab, the API)
      if (!submitting) location.reload();
      return;
    }
    const badge = row.querySelector('[data-field="state"]');
    if (badge) { badge.className = "badge " + d.state; badge.textContent = d.state; }
    text(row.querySelector('[data-field="elapsed"]'), Math.round(d.elapsed || 0) + " s");
    text(row.querySelector('[data-field="rate"]'), rate(d));
    text(row.querySelector('[data-field="error"]'), d.error || "");
    const dests = row.querySelector('[data-field="destinations"]');
    if (dests) {
      dests.replaceChildren(...d.destinations.map((t) => {
        const span = document.createElement("span");
        span.className = "badge " + t.state;
        span.textContent = `${t.name}: ${t.state}`;
        return span;
      }));
    }
    if (!["starting", "live"].includes(d.state)) {
      const stop = row.querySelector('[data-field="stop"]');
      if (stop) stop.remove();
    }
  });
})();
