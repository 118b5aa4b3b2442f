// sohoa portal: small enhancements only; every page works without this file (forms post, links lead).
"use strict";

const STATES = { queued: "Chờ chạy", running: "Đang số hóa", done: "Đã xong", stopped: "Đã dừng", failed: "Lỗi",
                 interrupted: "Bị gián đoạn" };

document.addEventListener("DOMContentLoaded", () => {
  // The reviewer's scan: zoom with the buttons or with + - 0 (when not typing in a field).
  const scan = document.getElementById("ban-quet-anh");
  if (scan) {
    let scale = 1;
    const apply = () => {
      for (const img of scan.querySelectorAll("img")) img.style.width = `${Math.round(scale * 100)}%`;
    };
    const zoom = (how) => {
      scale = how === "in" ? Math.min(4, scale * 1.25) : how === "out" ? Math.max(0.5, scale / 1.25) : 1;
      apply();
    };
    for (const button of document.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => zoom(button.dataset.zoom));
    }
    document.addEventListener("keydown", (event) => {
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || "");
      if (event.ctrlKey && event.key === "Enter") {
        const form = document.getElementById("hieu-dinh");
        if (form) { event.preventDefault(); form.requestSubmit(); }
        return;
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "+" || event.key === "=") zoom("in");
      else if (event.key === "-") zoom("out");
      else if (event.key === "0") zoom("fit");
    });
  }

  // A batch being digitised: its progress, asked again every two seconds until it ends.
  const live = document.querySelector("[data-batch][data-running='yes']");
  if (live) {
    const update = async () => {
      const answer = await fetch(`/v1/batches/${live.dataset.batch}`, { credentials: "same-origin" });
      if (!answer.ok) return;
      const batch = await answer.json();
      const done = batch.done || 0;
      live.querySelector("progress").max = batch.total || 1;
      live.querySelector("progress").value = done;
      live.querySelector("[data-done]").textContent = `${done}/${batch.total}`;
      live.querySelector("[data-state]").textContent = STATES[batch.state] || batch.state;
      live.querySelector("[data-pages]").textContent = batch.pages;
      live.querySelector("[data-review]").textContent = batch.needs_review;
      if (batch.state === "running" || batch.state === "queued") setTimeout(update, 2000);
      else window.location.reload();  // finished: the page shows the whole outcome
    };
    update();
  }
});
