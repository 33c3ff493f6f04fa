// Library page: drag-and-drop uploads with a progress bar per file, live list refresh from the
// status socket (new videos, renditions, encode progress), encode, rename and delete.
(function () {
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("file-input");
  const list = document.getElementById("upload-list");
  const presetSelect = document.getElementById("upload-preset");

  function mb(n) { return (n / 1048576).toFixed(1); }
  function clock(s) {
    if (s === null || !isFinite(s)) return "–";
    s = Math.round(s);
    return s >= 3600 ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }

  function addUpload(file) {
    const key = `mp-tus:${file.name}:${file.size}:${file.lastModified}`;
    list.querySelectorAll("li.unfinished").forEach((el) => { if (el.dataset.key === key) el.remove(); });
    const li = document.createElement("li");
    li.className = "upload";
    li.innerHTML = '<div class="name"></div><div class="progress"><div class="bar"></div></div><div class="stats" role="status"></div>';
    li.querySelector(".name").textContent = file.name;
    list.appendChild(li);
    const bar = li.querySelector(".bar");
    const stats = li.querySelector(".stats");
    new window.MpUpload(file, {
      endpoint: zone.dataset.endpoint,
      metadata: { preset: presetSelect.value },
      onProgress(sent, total, rate, eta) {
        const pct = total ? (100 * sent) / total : 100;
        bar.style.width = `${pct}%`;
        stats.textContent = `${Math.floor(pct)} % · ${mb(sent)} of ${mb(total)} MB · ${mb(rate)} MB/s · ETA ${clock(eta)}`;
      },
      onRetry(delay) { stats.textContent = `Connection lost; retrying in ${Math.round(delay / 1000)} s…`; },
      onDone(video) {
        bar.style.width = "100%";
        stats.textContent = "100 % · stored";
        li.classList.add("done");
        li.dataset.videoId = video.id || "";
        refresh();
      },
      onError(msg) {
        li.classList.add("failed");
        stats.innerHTML = "";
        const err = document.createElement("span");
        err.className = "error";
        err.setAttribute("role", "alert");
        err.textContent = msg;
        stats.appendChild(err);
      },
    }).start();
  }

  // After a reload: say which uploads can go on, and how far they got on the server.
  async function showUnfinished() {
    for (const u of window.MpUpload.unfinished()) {
      const offset = await window.MpUpload.offsetOf(u.url);
      if (offset === null) { localStorage.removeItem(u.key); continue; }
      const li = document.createElement("li");
      li.className = "upload unfinished";
      li.innerHTML = '<div class="name"></div><div class="progress"><div class="bar"></div></div><div class="stats"></div>';
      li.querySelector(".name").textContent = u.name;
      li.querySelector(".bar").style.width = `${(100 * offset) / u.size}%`;
      li.querySelector(".stats").textContent =
        `Paused at ${Math.floor((100 * offset) / u.size)} %: choose the same file again to resume.`;
      li.dataset.key = u.key;
      list.appendChild(li);
    }
  }

  function addFiles(files) { Array.from(files).forEach(addUpload); }

  if (zone) {
    showUnfinished();
    input.addEventListener("change", () => { addFiles(input.files); input.value = ""; });
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); addFiles(e.dataTransfer.files); });
  }

  let refreshing = null;
  async function refresh() {
    // Coalesce bursts of events into one reload of the list and the totals.
    if (refreshing) return;
    refreshing = setTimeout(async () => {
      refreshing = null;
      const resp = await fetch(location.pathname + location.search, { credentials: "same-origin" });
      if (!resp.ok) return;
      const doc = new DOMParser().parseFromString(await resp.text(), "text/html");
      ["video-list", "totals"].forEach((id) => {
        const fresh = doc.getElementById(id);
        const old = document.getElementById(id);
        if (fresh && old) old.innerHTML = fresh.innerHTML;
      });
    }, 300);
  }

  window.addEventListener("mp:status", (e) => {
    const { event, data } = e.detail || {};
    if (event === "video") refresh();
    if (event === "job" && data) {
      const row = document.querySelector(`.video-row[data-video-id="${data.video}"]`);
      if (row) {
        const box = row.querySelector(".job-progress");
        box.hidden = false;
        box.querySelector(".bar").style.width = `${data.progress || 0}%`;
        const eta = data.eta ? ` · ETA ${clock(data.eta)}` : "";
        box.querySelector(".job-text").textContent = `${data.preset}: ${data.state} ${Math.floor(data.progress || 0)} %${eta}${data.error ? " · " + data.error : ""}`;
      }
      if (["succeeded", "failed", "cancelled"].includes(data.state)) refresh();
    }
  });

  const videos = document.getElementById("video-list");
  videos.addEventListener("submit", async (e) => {
    const form = e.target;
    if (form.classList.contains("delete-form")) {
      if (!confirm("Delete this video, its renditions and their files?")) e.preventDefault();
      return;
    }
    if (!form.classList.contains("encode-form")) return;
    e.preventDefault();
    const msg = form.querySelector(".encode-msg");
    msg.textContent = "…";
    const resp = await fetch("/api/v1/jobs/", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "" },
      body: JSON.stringify({ video: Number(form.dataset.video), preset: form.preset.value }),
    });
    let body = {};
    try { body = await resp.json(); } catch (err) { /* no JSON body */ }
    msg.className = "encode-msg " + (resp.ok ? "muted" : "error-text");
    msg.textContent = resp.ok ? "Queued." : (body.detail || `Could not start the encode (HTTP ${resp.status}).`);
  });
})();
