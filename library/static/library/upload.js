// A small tus 1.0.0 client for the library page (no build step).
//   new MpUpload(file, {endpoint, metadata, onProgress(sent, total, bytesPerSec, etaSec), onDone(headers), onError(msg)}).start()
// Resume: the upload URL is kept in localStorage under name+size+lastModified; choosing the same
// file again after a reload asks the server (HEAD) where it stopped and goes on from there.
(function () {
  const CHUNK = 16 * 1024 * 1024;
  const MAX_DELAY = 30000;

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function b64(text) {
    const bytes = new TextEncoder().encode(text);
    let bin = "";
    bytes.forEach((b) => { bin += String.fromCharCode(b); });
    return btoa(bin);
  }

  function detailOf(xhr) {
    try { return JSON.parse(xhr.responseText).detail || ""; } catch (e) { return ""; }
  }

  function send(method, url, headers, body, onUploadProgress) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("Tus-Resumable", "1.0.0");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      Object.entries(headers || {}).forEach(([k, v]) => xhr.setRequestHeader(k, v));
      if (onUploadProgress) xhr.upload.onprogress = (e) => onUploadProgress(e.loaded);
      xhr.onload = () => resolve(xhr);
      xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve(null);  // network trouble: caller retries
      xhr.send(body === undefined ? null : body);
    });
  }

  class MpUpload {
    constructor(file, opts) {
      this.file = file;
      this.opts = opts;
      this.key = `mp-tus:${file.name}:${file.size}:${file.lastModified}`;
      this.url = null;
      this.offset = 0;
      this.delay = 1000;
      this.samples = [];
      this.chunk = opts.chunkSize || window.MP_UPLOAD_CHUNK || CHUNK;  // the override is for tests
    }

    fail(msg) {
      localStorage.removeItem(this.key);
      this.opts.onError(msg);
    }

    async backoff() {
      this.opts.onRetry && this.opts.onRetry(this.delay);
      await new Promise((r) => setTimeout(r, this.delay));
      this.delay = Math.min(this.delay * 2, MAX_DELAY);
    }

    async resumeOffset() {
      // Where did the server stop? null: the upload is gone, start over.
      for (;;) {
        const xhr = await send("HEAD", this.url);
        if (xhr === null) { await this.backoff(); continue; }
        if (xhr.status === 200) {
          this.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
          if (xhr.getResponseHeader("X-Video-Id")) return { done: xhr };
          return { offset: this.offset };
        }
        return null;
      }
    }

    async create() {
      const meta = Object.entries({ filename: this.file.name, ...(this.opts.metadata || {}) })
        .filter(([, v]) => v !== undefined && v !== null && v !== "")
        .map(([k, v]) => `${k} ${b64(String(v))}`).join(",");
      for (;;) {
        const xhr = await send("POST", this.opts.endpoint, { "Upload-Length": String(this.file.size), "Upload-Metadata": meta });
        if (xhr === null) { await this.backoff(); continue; }
        if (xhr.status !== 201) return this.fail(detailOf(xhr) || `Upload refused (HTTP ${xhr.status}).`);
        this.url = new URL(xhr.getResponseHeader("Location"), location.href).href;
        localStorage.setItem(this.key, this.url);
        this.offset = 0;
        return true;
      }
    }

    report(sent) {
      const now = performance.now();
      this.samples.push([now, sent]);
      while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
      const [t0, b0] = this.samples[0];
      const rate = now > t0 ? ((sent - b0) * 1000) / (now - t0) : 0;
      const eta = rate > 0 ? (this.file.size - sent) / rate : null;
      this.opts.onProgress(sent, this.file.size, rate, eta);
    }

    async start() {
      this.url = localStorage.getItem(this.key);
      if (this.url) {
        const state = await this.resumeOffset();
        if (state && state.done) return this.finish(state.done);
        if (!state) this.url = null;
      }
      if (!this.url && !(await this.create())) return;
      this.report(this.offset);
      while (this.offset < this.file.size) {
        const end = Math.min(this.offset + this.chunk, this.file.size);
        const base = this.offset;
        const xhr = await send("PATCH", this.url,
          { "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(base) },
          this.file.slice(base, end), (loaded) => this.report(base + loaded));
        if (xhr === null || xhr.status >= 500 || xhr.status === 460) {
          await this.backoff();
          const state = await this.resumeOffset();
          if (state && state.done) return this.finish(state.done);
          if (!state) return this.fail("The upload expired on the server; choose the file again to start over.");
          continue;
        }
        if (xhr.status === 409) {
          const state = await this.resumeOffset();
          if (!state) return this.fail("The upload expired on the server; choose the file again to start over.");
          if (state.done) return this.finish(state.done);
          continue;
        }
        if (xhr.status !== 204) return this.fail(detailOf(xhr) || `Upload failed (HTTP ${xhr.status}).`);
        this.delay = 1000;
        this.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
        this.report(this.offset);
        if (this.offset >= this.file.size) return this.finish(xhr);
      }
      // A zero-length file never gets here: the server refuses it at creation.
    }

    finish(xhr) {
      localStorage.removeItem(this.key);
      this.opts.onDone({ id: xhr.getResponseHeader("X-Video-Id"), url: xhr.getResponseHeader("X-Video-Page") });
    }
  }

  // Uploads this browser started and did not finish: [{name, size, url}] from localStorage.
  MpUpload.unfinished = function () {
    const found = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      const m = key && key.match(/^mp-tus:(.*):(\d+):(\d+)$/);
      if (m) found.push({ name: m[1], size: Number(m[2]), url: localStorage.getItem(key), key });
    }
    return found;
  };
  MpUpload.offsetOf = async function (url) {
    const xhr = await send("HEAD", url);
    return xhr && xhr.status === 200 ? parseInt(xhr.getResponseHeader("Upload-Offset"), 10) : null;
  };

  window.MpUpload = MpUpload;
})();
