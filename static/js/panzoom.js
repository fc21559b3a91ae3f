// Pan (drag) and zoom (wheel, buttons) for diagrams in [data-panzoom] viewports.
(function () {
  function attach(viewport) {
    if (viewport.dataset.panzoomReady) return;
    viewport.dataset.panzoomReady = "1";
    const content = viewport.querySelector("[data-panzoom-content]");
    let scale = 1, x = 0, y = 0, drag = null;
    const apply = () => { content.style.transform = `translate(${x}px, ${y}px) scale(${scale})`; };
    const zoom = (factor, cx, cy) => {
      const next = Math.min(8, Math.max(0.05, scale * factor));
      x = cx - (cx - x) * (next / scale);
      y = cy - (cy - y) * (next / scale);
      scale = next;
      apply();
    };
    const fit = () => {
      const box = viewport.getBoundingClientRect();
      const width = content.naturalWidth || content.scrollWidth, height = content.naturalHeight || content.scrollHeight;
      if (!width || !height) return;
      scale = Math.min(box.width / width, box.height / height, 1);
      x = (box.width - width * scale) / 2;
      y = (box.height - height * scale) / 2;
      apply();
    };
    viewport.addEventListener("wheel", (event) => {
      event.preventDefault();
      const box = viewport.getBoundingClientRect();
      zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });
    viewport.addEventListener("pointerdown", (event) => {
      drag = { startX: event.clientX - x, startY: event.clientY - y };
      viewport.setPointerCapture(event.pointerId);
    });
    viewport.addEventListener("pointermove", (event) => {
      if (!drag) return;
      x = event.clientX - drag.startX;
      y = event.clientY - drag.startY;
      apply();
    });
    viewport.addEventListener("pointerup", () => { drag = null; });
    const center = () => { const box = viewport.getBoundingClientRect(); return [box.width / 2, box.height / 2]; };
    const controls = viewport.parentElement.querySelector("[data-panzoom-controls]");
    if (controls) {
      controls.querySelector("[data-zoom=in]").addEventListener("click", () => zoom(1.25, ...center()));
      controls.querySelector("[data-zoom=out]").addEventListener("click", () => zoom(0.8, ...center()));
      controls.querySelector("[data-zoom=fit]").addEventListener("click", fit);
    }
    if (content.complete === false) content.addEventListener("load", fit); else fit();
  }
  const scan = (root) => root.querySelectorAll("[data-panzoom]").forEach(attach);
  document.addEventListener("DOMContentLoaded", () => scan(document));
  document.addEventListener("htmx:load", (event) => scan(event.target.parentElement || document));
})();
