// Pan (drag) and zoom (wheel, buttons) for diagrams in [data-panzoom] viewports.
// Each viewport gets `viewport.panzoom` = { fit(), centreOn(element), reset(content) } for other
// scripts (the diagram explorer swaps the image for the inline SVG and centres tables).
(function () {
  function attach(viewport) {
    if (viewport.panzoom) return;
    let content = viewport.querySelector("[data-panzoom-content]");
    let scale = 1, x = 0, y = 0, drag = null, touched = false;
    const apply = () => { content.style.transform = `translate(${x}px, ${y}px) scale(${scale})`; };
    const zoom = (factor, cx, cy) => {
      touched = true;
      const next = Math.min(8, Math.max(0.05, scale * factor));
      x = cx - (cx - x) * (next / scale);
      y = cy - (cy - y) * (next / scale);
      scale = next;
      apply();
    };
    const size = () => [content.naturalWidth || content.scrollWidth, content.naturalHeight || content.scrollHeight];
    const fit = () => {
      const box = viewport.getBoundingClientRect();
      const [width, height] = size();
      if (!width || !height || !box.width || !box.height) return;
      scale = Math.min(box.width / width, box.height / height, 1);
      x = (box.width - width * scale) / 2;
      y = (box.height - height * scale) / 2;
      apply();
    };
    const centreOn = (element) => {
      const box = viewport.getBoundingClientRect();
      const target = element.getBoundingClientRect();
      // Zoom in enough to read the table, never out.
      const readable = Math.min(2, Math.max(scale, 0.8));
      if (readable !== scale) zoom(readable / scale, box.width / 2, box.height / 2);
      const moved = element.getBoundingClientRect();
      x += box.left + box.width / 2 - (moved.left + moved.width / 2);
      y += box.top + box.height / 2 - (moved.top + moved.height / 2);
      apply();
      return target;
    };
    viewport.addEventListener("wheel", (event) => {
      event.preventDefault();
      const box = viewport.getBoundingClientRect();
      zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });
    // The pointer is captured only once it has moved: a click on a table stays a click.
    viewport.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      drag = { startX: event.clientX - x, startY: event.clientY - y, fromX: event.clientX, fromY: event.clientY, id: event.pointerId, moving: false };
    });
    viewport.addEventListener("pointermove", (event) => {
      if (!drag) return;
      if (!drag.moving && Math.hypot(event.clientX - drag.fromX, event.clientY - drag.fromY) < 4) return;
      if (!drag.moving) { drag.moving = true; touched = true; viewport.setPointerCapture(drag.id); viewport.classList.add("dragging"); }
      x = event.clientX - drag.startX;
      y = event.clientY - drag.startY;
      apply();
    });
    const stop = () => {
      if (drag && drag.moving) {
        // A drag is not a click on whatever is under the pointer when it ends.
        viewport.addEventListener("click", (event) => event.stopPropagation(), { capture: true, once: true });
        setTimeout(() => viewport.classList.remove("dragging"), 0);
      }
      drag = null;
    };
    viewport.addEventListener("pointerup", stop);
    viewport.addEventListener("pointercancel", stop);
    const centre = () => { const box = viewport.getBoundingClientRect(); return [box.width / 2, box.height / 2]; };
    const controls = viewport.closest("section, body").querySelector("[data-panzoom-controls]");
    if (controls) {
      controls.querySelector("[data-zoom=in]").addEventListener("click", () => zoom(1.25, ...centre()));
      controls.querySelector("[data-zoom=out]").addEventListener("click", () => zoom(0.8, ...centre()));
      controls.querySelector("[data-zoom=fit]").addEventListener("click", fit);
    }
    viewport.panzoom = {
      fit,
      centreOn,
      reset(next) { content = next; scale = 1; x = 0; y = 0; touched = false; fit(); },
    };
    if (content.complete === false) content.addEventListener("load", fit); else fit();
    // Until the person zooms or pans, the drawing follows the size of its box.
    if (window.ResizeObserver) new ResizeObserver(() => { if (!touched) fit(); }).observe(viewport);
  }
  const scan = (root) => root.querySelectorAll("[data-panzoom]").forEach(attach);
  document.addEventListener("DOMContentLoaded", () => scan(document));
  document.addEventListener("htmx:load", (event) => scan(event.target.parentElement || document));
})();
