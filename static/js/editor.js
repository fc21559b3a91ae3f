// The requirements editor. Without JavaScript every button posts the form and the page answers
// with the rows added or removed; this script does the same in place and adds the keyboard,
// the fields shown by type, the unsaved-changes warning and the autosaved draft.
// Loaded in <head> so that fields which do not apply are hidden from the first paint.
document.documentElement.classList.add("js");

(() => {
  const FORM = "#requirements-form";
  const CONTROLS = "input:not([type=hidden]):not(:disabled), select:not(:disabled)";
  const NOUNS = { entity: "Entity", attribute: "Attribute", relationship: "Relationship", pattern: "Access pattern" };
  let dirty = false;
  let saving = false;
  let offering = false;
  let draftTimer = null;

  const editorForm = () => document.querySelector(FORM);
  const ownControls = (row) =>
    [...row.querySelectorAll(CONTROLS)].filter(
      (control) => control.closest("[data-row]") === row && control.offsetParent !== null,
    );
  const domId = (prefix) => prefix.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");

  function changed(form) {
    dirty = true;
    if (!offering) {
      clearTimeout(draftTimer);
      draftTimer = setTimeout(() => saveDraft(form), 400);
    }
  }

  // Rows are named by their place: "Attribute 3 name of entity customer".
  function nameRows(form) {
    for (const container of form.querySelectorAll("#entities, #relationships, #access_patterns, .rows")) {
      [...container.children]
        .filter((row) => row.matches("[data-row]"))
        .forEach((row, i) => nameRow(row, i));
    }
  }

  function nameRow(row, i) {
    const head = `${NOUNS[row.dataset.row]} ${i + 1}`;
    let tail = "";
    if (row.dataset.row === "attribute") {
      const entity = row.closest("[data-row=entity]");
      const entities = [...entity.parentElement.children].filter((r) => r.matches("[data-row]"));
      const name = entity.querySelector(`[name="${entity.dataset.prefix}.name"]`)?.value.trim();
      tail = ` of entity ${name || entities.indexOf(entity) + 1}`;
    }
    for (const control of row.querySelectorAll("[data-short]")) {
      if (control.closest("[data-row]") === row) control.setAttribute("aria-label", `${head} ${control.dataset.short}${tail}`);
    }
    const tools = [...row.querySelectorAll(".row-tools")].find((t) => t.closest("[data-row]") === row);
    if (!tools) return;
    const named = head.toLowerCase() + tail;
    tools.querySelector("[data-move='-1']").setAttribute("aria-label", `Move ${named} up`);
    tools.querySelector("[data-move='1']").setAttribute("aria-label", `Move ${named} down`);
    tools.querySelector("[data-remove-row]").setAttribute("aria-label", `Remove ${named}`);
  }

  // A field that applies only to some types or kinds (length for strings, depth for traversals)
  // is hidden, and left out of the form, while its row has another.
  function showApplicable(row) {
    for (const field of row.querySelectorAll("[data-only]")) {
      if (field.closest("[data-row]") !== row) continue;
      const controller = row.querySelector(`[name="${row.dataset.prefix}.${field.dataset.only}"]`);
      if (!controller) continue;
      const applies = field.dataset.onlyValues.split(" ").includes(controller.value);
      field.dataset.applies = applies ? "yes" : "no";
      for (const control of field.querySelectorAll("input, select")) control.disabled = !applies;
    }
  }

  function disableHidden(root) {
    for (const field of root.querySelectorAll("[data-applies=no]")) {
      for (const control of field.querySelectorAll("input, select")) control.disabled = true;
    }
  }

  // Moving a row swaps its index with its neighbour's in every name, id and target, so that
  // the server, which orders rows by index, stores the order shown.
  function renumber(row, from, to) {
    const pairs = [
      [from, to],
      [encodeURIComponent(from), encodeURIComponent(to)],
    ];
    const domFrom = new RegExp(`(^|#)${domId(from)}(?=-|$)`);
    const rename = (text) => {
      for (const [a, b] of pairs) if (text.startsWith(a) || text.includes(`?add=${a}`)) text = text.replace(a, b);
      return text.replace(`f-${from}`, `f-${to}`).replace(`err-${from}`, `err-${to}`).replace(domFrom, `$1${domId(to)}`);
    };
    for (const element of [row, ...row.querySelectorAll("*")]) {
      for (const attribute of ["name", "id", "for", "hx-get", "hx-target", "aria-describedby", "data-prefix", "data-add-row"]) {
        const value = element.getAttribute(attribute);
        if (value !== null) element.setAttribute(attribute, rename(value));
      }
      if (element.matches("button[name=remove], button[name=add]")) element.value = rename(element.value);
      if (element.hasAttribute("hx-get")) htmx.process(element);
    }
  }

  function move(row, step) {
    const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling?.matches("[data-row]")) return;
    const mine = row.dataset.prefix;
    const theirs = sibling.dataset.prefix;
    const parked = `${mine}-moving`;
    renumber(row, mine, parked);
    renumber(sibling, theirs, mine);
    renumber(row, parked, theirs);
    if (step < 0) row.after(sibling);
    else row.before(sibling);
    const form = editorForm();
    nameRows(form);
    changed(form);
    htmx.trigger(form, "change");
  }

  function addRowAfter(row) {
    const container = row.parentElement;
    const button = document.querySelector(`[data-add-row="${container.id}"]`);
    if (!button) return;
    container.addEventListener(
      "htmx:afterSettle",
      () => ownControls(container.lastElementChild)[0]?.focus(),
      { once: true },
    );
    button.click();
  }

  document.addEventListener("keydown", (event) => {
    const control = event.target;
    const form = control.form;
    if (!form?.matches(FORM) || !control.matches(CONTROLS)) return;
    const row = control.closest("[data-row]");
    if (!row) return;
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      move(row, event.key === "ArrowUp" ? -1 : 1);
      control.focus();
    } else if (event.key === "Enter" && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      const controls = ownControls(row);
      const last = controls.indexOf(control) === controls.length - 1;
      if (last && row.dataset.row !== "entity") addRowAfter(row);
      else {
        const all = [...form.querySelectorAll(CONTROLS)].filter((c) => c.offsetParent !== null);
        all[all.indexOf(control) + 1]?.focus();
      }
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove-row], [data-move], [data-draft]");
    if (!button) return;
    const form = editorForm();
    if (button.dataset.draft) {
      event.preventDefault();
      if (button.dataset.draft === "restore") restoreDraft(form);
      else discardDraft(form);
      return;
    }
    event.preventDefault();
    const row = button.closest("[data-row]");
    if (button.dataset.move) {
      move(row, Number(button.dataset.move));
      button.focus();
      return;
    }
    row.remove();
    nameRows(form);
    changed(form);
    htmx.trigger(form, "change");
  });

  // Edits are seen while they travel down (capture): the figure fieldsets consume their own
  // events so that the whole form does not post them a second time.
  document.addEventListener("change", (event) => {
    const form = event.target.form;
    if (!form?.matches(FORM)) return;
    const row = event.target.closest("[data-row]");
    if (row && event.target.matches("select")) showApplicable(row);
    changed(form);
  }, true);

  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (!form?.matches(FORM)) return;
    if (event.target.matches("[name$='.name']") && event.target.closest("[data-row=entity]")) nameRows(form);
    if (event.target.matches("[data-keys]")) describeKeys(event.target);
    changed(form);
  }, true);

  document.addEventListener("submit", (event) => {
    if (!event.target.matches(FORM)) return;
    saving = true;
    const submitter = event.submitter;
    if (!submitter || !["add", "remove"].includes(submitter.name)) localStorage.removeItem(event.target.dataset.draftKey);
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const form = editorForm();
    const target = event.detail.target;
    if (!form || !target.matches("#entities, .rows")) return;
    disableHidden(target);
    nameRows(form);
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirty && !saving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Unique keys read back as a person would say them: "post + user (together)".
  function describeKeys(input) {
    const summary = input.parentElement.querySelector("[data-keys-summary]");
    if (!summary) return;
    const keys = input.value
      .split(";")
      .map((key) => key.split(",").map((name) => name.trim().replace(/^"|"$/g, "")).filter(Boolean))
      .filter((key) => key.length);
    if (!keys.length) return;
    summary.replaceChildren("No two share: ");
    for (const key of keys) {
      const span = document.createElement("span");
      span.className = "key";
      span.textContent = key.join(" + ") + (key.length > 1 ? " (together)" : "");
      summary.append(span, " ");
    }
  }

  // The draft: the form's fields in localStorage, per project and version edited from.
  function fields(form) {
    return [...new FormData(form)].filter(([name, value]) => name !== "csrfmiddlewaretoken" && typeof value === "string");
  }

  function saveDraft(form) {
    const draft = { saved: new Date().toISOString(), fields: fields(form) };
    try {
      localStorage.setItem(form.dataset.draftKey, JSON.stringify(draft));
    } catch {
      // Storage full or refused: the unsaved-changes warning still protects the edit.
    }
  }

  function readDraft(form) {
    try {
      const draft = JSON.parse(localStorage.getItem(form.dataset.draftKey));
      return Array.isArray(draft?.fields) ? draft : null;
    } catch {
      return null;
    }
  }

  function offerDraft(form) {
    const draft = readDraft(form);
    if (!draft) return;
    if (JSON.stringify(draft.fields) === JSON.stringify(fields(form))) {
      localStorage.removeItem(form.dataset.draftKey);
      return;
    }
    const when = new Date(draft.saved).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    const offer = document.querySelector("#draft-offer");
    offer.querySelector("[data-draft-text]").textContent = `Restore your unsaved draft from ${when}?`;
    offer.hidden = false;
    offering = true;
  }

  function restoreDraft(form) {
    const draft = readDraft(form);
    if (!draft) return discardDraft(form);
    const post = document.createElement("form");
    post.method = "post";
    post.action = form.action;
    post.hidden = true;
    const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    for (const [name, value] of [["csrfmiddlewaretoken", token], ...draft.fields, ["restore", "1"]]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      post.append(input);
    }
    document.body.append(post);
    saving = true;
    post.submit();
  }

  function discardDraft(form) {
    localStorage.removeItem(form.dataset.draftKey);
    document.querySelector("#draft-offer").hidden = true;
    offering = false;
    if (dirty) saveDraft(form);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = editorForm();
    if (!form) return;
    disableHidden(form);
    if (form.hasAttribute("data-unsaved")) {
      // Shown again after a refused save or a restore: the page holds edits not yet saved.
      dirty = true;
      saveDraft(form);
    } else {
      offerDraft(form);
    }
  });
})();
