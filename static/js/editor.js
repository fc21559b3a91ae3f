// The requirements editor: removing a row removes it on the page and asks the live panel again.
// Without JavaScript the same button posts the form, which answers without the row.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-row]");
  if (!button) return;
  event.preventDefault();
  const form = button.form;
  button.closest("[data-row]").remove();
  htmx.trigger(form, "change");
});
