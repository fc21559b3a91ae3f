// The YAML editor: a link of the recommendation panel to a field of the document
// ("#f-entities[2].attributes[0].type", made for the form's inputs) selects the line of the text
// that holds it instead. A field the text does not write (a default) selects the line of the
// nearest part that it does: its entity, its access pattern, its section.
(function () {
  "use strict";
  const text = document.getElementById("yaml-text");
  if (!text) return;

  // What a line says: its indentation, whether it starts a list item, the key it starts (if
  // any), and the indentation of that key.
  function shape(line) {
    const lead = line.length - line.trimStart().length;
    const item = /^-( |$)/.test(line.slice(lead));
    const rest = item ? line.slice(lead + 1).trimStart() : line.slice(lead);
    const keyAt = item ? line.length - rest.length : lead;
    const key = /^([A-Za-z_][A-Za-z0-9_]*):( |$)/.exec(rest);
    return { lead, item, key: key ? key[1] : null, keyAt, blank: !rest.trim() || rest.startsWith("#") };
  }

  // The index of the line holding `path` in `lines` (or of the nearest part of it), or -1.
  function lineOf(lines, path) {
    const shapes = lines.map(shape);
    const parts = path.match(/\[\d+\]|[^.[\]]+/g) || [];
    let from = 0, to = lines.length, keysAt = 0, found = -1;
    for (const part of parts) {
      if (part.startsWith("[")) {
        const items = [];
        let at = null;
        for (let i = from; i < to; i++) {
          const s = shapes[i];
          if (s.blank || !s.item) continue;
          if (at === null) at = s.lead;
          if (s.lead === at) items.push(i);
        }
        const index = Number(part.slice(1, -1));
        if (index >= items.length) return found;
        found = items[index];
        from = found;
        to = index + 1 < items.length ? items[index + 1] : to;
        keysAt = at + 2;
        continue;
      }
      let hit = -1;
      for (let i = from; i < to; i++) {
        const s = shapes[i];
        if (!s.blank && s.key === part && s.keyAt === keysAt) { hit = i; break; }
      }
      if (hit === -1) return found;
      found = hit;
      let end = hit + 1;
      while (end < to) {
        const s = shapes[end];
        if (!s.blank && (s.lead < keysAt || (s.lead === keysAt && !s.item))) break;
        end++;
      }
      from = hit + 1;
      to = end;
      keysAt = -1;  // the value's keys: at the indentation of its first line, if a key
      const first = shapes.slice(from, to).find((s) => !s.blank);
      if (first && !first.item) keysAt = first.keyAt;
    }
    return found;
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest('a[href*="#f-"]');
    if (!link || !link.closest(".panel")) return;
    const path = decodeURIComponent(link.getAttribute("href").split("#f-")[1]);
    const lines = text.value.split("\n");
    const line = lineOf(lines, path);
    if (line === -1) return;
    event.preventDefault();
    const start = lines.slice(0, line).reduce((sum, each) => sum + each.length + 1, 0);
    text.focus();
    text.setSelectionRange(start, start + lines[line].length);
    const height = parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, (line - 3) * height);
  });
})();
