// The explorable diagram: the drawing is shown as inline SVG, so that a table can be picked (click,
// Tab and Enter, or the search box). The table picked, its relationships and its neighbours
// stand out, the rest is dimmed, and the side panel lists its columns, indexes and the access
// patterns it serves (from the JSON data block the page carries). Escape clears.
(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  // Graphviz titles an edge `tail[:port[:compass]]->head[:port[:compass]]`.
  const endsOf = (title) => title.split("->").map((end) => end.split(":")[0]);

  function setup(section) {
    const viewport = section.querySelector("[data-diagram-explorer]");
    const data = section.querySelector("#diagram-tables");
    const image = viewport && viewport.querySelector("img[data-panzoom-content]");
    if (!viewport || !data || !image || viewport.dataset.explorerReady) return;
    viewport.dataset.explorerReady = "1";
    if (!data.dataset.src) {
      explore(section, viewport, image, JSON.parse(data.textContent));
      return;
    }
    // A design of thousands of tables sends the tables of the view apart, once it is shown.
    fetch(data.dataset.src, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
      .then((tables) => {
        const names = section.querySelector("#diagram-table-names");
        for (const table of tables) {
          const option = document.createElement("option");
          option.value = table.name;
          names && names.append(option);
        }
        explore(section, viewport, image, tables);
      })
      .catch(() => { /* the drawing stays: pan and zoom still work */ });
  }

  function explore(section, viewport, image, tables) {
    const byNode = new Map(tables.map((table) => [table.node, table]));
    const byName = new Map(tables.map((table) => [table.name.toLowerCase(), table]));
    const panel = section.querySelector("[data-diagram-panel]");
    const hint = panel.innerHTML;
    const search = section.querySelector("[data-diagram-search]");
    const status = section.querySelector("[data-diagram-status]");
    const nodes = new Map(); // node id -> <g> of its box
    let edges = []; // [<g>, tail id, head id]
    let svg = null;
    let drawingRead = false; // the drawing inlined, or given up on: until then nothing is drawn
    let picked = null;

    function inline(text) {
      const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
      const root = parsed.documentElement;
      if (root.namespaceURI !== SVG_NS || root.localName !== "svg") return;
      // Graphviz writes none of these for our diagrams; they are removed all the same.
      root.querySelectorAll("script, foreignObject, a").forEach((node) => node.remove());
      const holder = element("div", undefined, "diagram-svg");
      holder.dataset.panzoomContent = "";
      holder.setAttribute("role", "group");
      holder.setAttribute("aria-label", image.alt);
      svg = document.importNode(root, true);
      svg.querySelectorAll("title").forEach((title) => {
        const group = title.parentNode;
        if (group.classList.contains("node") && byNode.has(title.textContent)) {
          const table = byNode.get(title.textContent);
          nodes.set(table.node, group);
          group.setAttribute("tabindex", "0");
          group.setAttribute("role", "button");
          // Named by the words drawn in it (its name, then its columns), as a screen reader
          // reads a button; a shorter label would hide what the eye sees.
          group.dataset.table = table.name;
          group.dataset.node = table.node;
        } else if (group.classList.contains("edge")) {
          edges.push([group, ...endsOf(title.textContent)]);
        }
        title.remove(); // the browser would show it as a tooltip of the whole box
      });
      holder.appendChild(svg);
      image.replaceWith(holder);
      if (viewport.panzoom) viewport.panzoom.reset(holder);
      section.classList.add("explorable");
    }

    function clear() {
      section.classList.remove("has-selection");
      svg && svg.querySelectorAll(".is-picked, .is-neighbour, .is-related").forEach((node) => {
        node.classList.remove("is-picked", "is-neighbour", "is-related");
      });
      panel.innerHTML = hint;
      picked = null;
    }

    function whereIs(table) {
      if (nodes.has(table.node)) return `${table.name} is highlighted.`;
      if (!drawingRead) return `${table.name} is highlighted once the drawing has loaded.`;
      return `${table.name} is not drawn in this view.`;
    }

    function pick(table, { centre = true } = {}) {
      clear();
      const group = nodes.get(table.node);
      section.classList.add("has-selection");
      if (group) {
        group.classList.add("is-picked");
        for (const [edge, tail, head] of edges) {
          if (tail !== table.node && head !== table.node) continue;
          edge.classList.add("is-related");
          for (const end of [tail, head]) {
            if (end !== table.node && nodes.has(end)) nodes.get(end).classList.add("is-neighbour");
          }
        }
        if (centre && viewport.panzoom) viewport.panzoom.centreOn(group);
      }
      show(table, Boolean(group));
      picked = table;
    }

    function show(table, drawn) {
      panel.replaceChildren();
      panel.append(element("h2", table.name));
      const about = [table.context ? `Context ${table.context}` : "", drawn || !drawingRead ? "" : "not drawn in this view"];
      if (about.some(Boolean)) panel.append(element("p", about.filter(Boolean).join(" · "), "muted"));
      const columns = element("table", undefined, "diagram-columns");
      columns.append(element("caption", `Columns (${table.columns.length})`));
      for (const column of table.columns) {
        const row = element("tr");
        row.append(element("td", column.markers, "markers"), element("th", column.name), element("td", column.type, "type"));
        row.firstChild.setAttribute("aria-label", column.markers || "no key");
        row.children[1].setAttribute("scope", "row");
        columns.append(row);
      }
      panel.append(columns);
      panel.append(element("h3", `Indexes (${table.indexes.length})`));
      const indexes = element("ul");
      for (const index of table.indexes) {
        const item = element("li");
        item.append(element("code", index.name), document.createTextNode(` (${index.columns.join(", ")})${index.unique ? ", unique" : ""}`));
        if (index.serves.length) item.append(document.createTextNode(` — serves ${index.serves.join(", ")}`));
        indexes.append(item);
      }
      if (!table.indexes.length) indexes.append(element("li", "None besides its keys.", "muted"));
      panel.append(indexes);
      panel.append(element("h3", `Access patterns (${table.patterns.length})`));
      const patterns = element("ul");
      for (const served of table.patterns) {
        const item = element("li");
        item.append(element("strong", served.pattern), document.createTextNode(served.index ? ` by ${served.index}` : ""));
        if (served.reason) item.append(element("span", ` — ${served.reason}`, "muted"));
        patterns.append(item);
      }
      if (!table.patterns.length) patterns.append(element("li", "No access pattern reads it directly.", "muted"));
      panel.append(patterns);
      panel.append(element("h3", `Related tables (${table.neighbours.length})`));
      const neighbours = element("ul", undefined, "diagram-neighbours");
      for (const name of table.neighbours) {
        const button = element("button", name, "link");
        button.type = "button";
        button.addEventListener("click", () => {
          const next = byName.get(name.toLowerCase());
          pick(next);
          focusNode(next);
        });
        const item = element("li");
        item.append(button);
        neighbours.append(item);
      }
      panel.append(neighbours);
    }

    function focusNode(table) {
      const group = nodes.get(table.node);
      if (group) group.focus({ preventScroll: true });
    }

    function find(text, { exact }) {
      const wanted = text.trim().toLowerCase();
      if (!wanted) return null;
      if (byName.has(wanted)) return byName.get(wanted);
      if (exact) return null;
      const matches = tables.filter((table) => table.name.toLowerCase().includes(wanted));
      return matches.length === 1 ? matches[0] : null;
    }

    viewport.addEventListener("click", (event) => {
      const group = event.target.closest && event.target.closest("g.node[data-node]");
      if (group) pick(byNode.get(group.dataset.node), { centre: false });
    });
    viewport.addEventListener("keydown", (event) => {
      const group = event.target.closest && event.target.closest("g.node[data-node]");
      if (group && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        pick(byNode.get(group.dataset.node));
      }
    });
    // A table reached with Tab is brought into view (not one focused by a click: the drawing
    // would move under the pointer).
    viewport.addEventListener("focusin", (event) => {
      const group = event.target.closest && event.target.closest("g.node[data-node]");
      if (group && group.matches(":focus-visible") && viewport.panzoom) viewport.panzoom.centreOn(group);
    });
    section.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      clear();
      if (search) search.value = "";
      if (status) status.textContent = "";
    });
    if (search) {
      const look = (exact) => {
        const table = find(search.value, { exact });
        if (table) {
          pick(table);
          status.textContent = whereIs(table);
        } else if (!exact || !search.value.trim()) {
          status.textContent = search.value.trim() ? `No single table matches “${search.value.trim()}”.` : "";
        }
      };
      search.addEventListener("input", () => look(false));
      search.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); look(false); }
      });
    }

    fetch(image.currentSrc || image.src, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
      .then(inline)
      .catch(() => { /* the image stays: pan and zoom still work */ })
      .finally(() => {
        drawingRead = true;
        if (!picked) return;
        // A table picked by name while the drawing loaded: highlight it now it is there.
        const found = status && status.textContent;
        pick(picked);
        if (found) status.textContent = whereIs(picked);
      });
  }

  const scan = (root) => root.querySelectorAll("section.diagram-drawing").forEach(setup);
  document.addEventListener("DOMContentLoaded", () => scan(document));
  document.addEventListener("htmx:load", (event) => scan(event.target.parentElement || document));
})();
