// Follows an import job on its admin page: reads GET /api/imports/{id} every second until it ends.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const embedded = document.getElementById("import-job");
  if (!embedded) return;
  const set = (id, text) => { document.getElementById(id).textContent = text; };
  const labels = { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed" };

  const show = (job) => {
    const bar = document.getElementById("import-progress");
    bar.value = job.progress;
    set("import-percent", `${Math.round(job.progress * 100)}%`);
    set("import-status", labels[job.status] || job.status);
    for (const name of ["processed", "created", "updated", "unchanged", "failed"]) set(`import-${name}`, job[name]);
    const error = document.getElementById("import-error");
    error.textContent = job.error;
    error.hidden = !job.error;
    const list = document.getElementById("import-errors");
    list.replaceChildren(...(job.errors.length ? job.errors : [null]).map((row) => {
      const item = document.createElement("li");
      item.textContent = row ? `line ${row.line}: ${row.field}: ${row.message}` : "None so far.";
      return item;
    }));
  };

  const follow = async (job) => {
    show(job);
    if (job.status === "succeeded" || job.status === "failed") return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      const response = await fetch(`/api/imports/${job.id}`, { credentials: "same-origin" });
      if (response.ok) job = await response.json();
    } catch (error) { /* a dropped request: try again */ }
    follow(job);
  };
  follow(JSON.parse(embedded.textContent));
});
