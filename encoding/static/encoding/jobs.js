// Jobs page: the table comes from GET /api/v1/jobs/ and is kept current by `job` status events.
(function () {
  const table = document.getElementById("jobs-table");
  if (!table) return;
  const body = table.querySelector("tbody");
  const api = table.dataset.api;
  const empty = document.getElementById("jobs-empty");
  const message = document.getElementById("jobs-message");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const titles = {};
  document.querySelectorAll("#job-video option").forEach((o) => { titles[o.value] = o.textContent; });

  function show(text, ok) {
    message.textContent = text;
    message.className = "msg " + (ok ? "success" : "error");
    message.hidden = !text;
  }

  async function call(url, options) {
    const resp = await fetch(url, {
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      ...options,
    });
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) throw new Error(data.detail || `HTTP ${resp.status}`);
    return data;
  }

  function fmtEta(s) {
    if (s === null || s === undefined) return "";
    s = Math.round(s);
    return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
  }

  function cell(row, name) { return row.querySelector(`[data-f=${name}]`); }

  function makeRow(job) {
    const row = document.createElement("tr");
    row.dataset.id = job.id;
    row.innerHTML = `<td data-f="video"></td><td data-f="preset"></td>
      <td><span class="badge" data-f="state"></span><div class="muted" data-f="place"></div></td>
      <td><span data-f="percent"></span><div class="progress"><div class="bar" role="progressbar"
        aria-valuemin="0" aria-valuemax="100"></div></div><div class="error" data-f="error"></div></td>
      <td class="num" data-f="speed"></td><td class="num" data-f="eta"></td>
      <td><button type="button" class="danger" data-act="cancel">Cancel</button>
          <button type="button" data-act="retry">Retry</button></td>`;
    row.querySelector("[data-act=cancel]").addEventListener("click", () => act(job.id, "cancel"));
    row.querySelector("[data-act=retry]").addEventListener("click", () => act(job.id, "retry"));
    return row;
  }

  function render(job) {
    let row = body.querySelector(`tr[data-id="${job.id}"]`);
    if (!row) {
      row = makeRow(job);
      const newer = [...body.children].find((r) => Number(r.dataset.id) < job.id);
      body.insertBefore(row, newer || null);
    }
    const previous = Number(row.dataset.progress || 0);
    // Events may cross on their way from several processes: never move a running bar backwards.
    const progress = job.state === "running" ? Math.max(previous, job.progress) : job.progress;
    row.dataset.progress = progress;
    row.dataset.state = job.state;
    cell(row, "video").textContent = job.video_title || titles[job.video] || `#${job.video}`;
    cell(row, "preset").textContent = job.preset;
    const badge = cell(row, "state");
    badge.textContent = job.state;
    badge.className = `badge ${job.state}`;
    cell(row, "place").textContent = job.state === "queued" && job.queue_position
      ? `#${job.queue_position} in queue` : (job.state === "queued" && job.queue_position === 0 ? "starting" : "");
    cell(row, "percent").textContent = `${progress.toFixed(0)}%`;
    const bar = row.querySelector(".bar");
    bar.style.width = `${progress}%`;
    bar.setAttribute("aria-valuenow", progress.toFixed(0));
    cell(row, "error").textContent = job.error || "";
    cell(row, "speed").textContent = job.state === "running" && job.fps
      ? `${job.fps.toFixed(0)} fps${job.speed ? ` · ${job.speed.toFixed(2)}×` : ""}` : "";
    cell(row, "eta").textContent = job.state === "running" ? fmtEta(job.eta) : "";
    row.querySelector("[data-act=cancel]").hidden = !(job.state === "queued" || job.state === "running");
    row.querySelector("[data-act=retry]").hidden = !(job.state === "failed" || job.state === "cancelled");
    empty.hidden = body.children.length > 0;
  }

  async function act(id, what) {
    try {
      const job = await call(`${api}${id}/${what}/`, { method: "POST" });
      render(job);
      show(what === "retry" ? "Job queued again." : "Cancel requested.", true);
    } catch (err) { show(err.message, false); }
  }

  async function load() {
    try {
      const data = await call(api, { method: "GET" });
      data.results.slice().reverse().forEach(render);
      empty.hidden = body.children.length > 0;
    } catch (err) { show(err.message, false); }
  }

  const form = document.getElementById("new-job");
  if (form) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const video = Number(form.video.value);
      try {
        render(await call(api, { method: "POST", body: JSON.stringify({ video, preset: form.preset.value }) }));
        show("Job queued.", true);
      } catch (err) { show(err.message, false); }
    });
  }

  window.addEventListener("mp:status", (e) => {
    if (e.detail && e.detail.event === "job") render(e.detail.data);
  });
  load();
})();
