// The design page: "Copy" puts the DDL on the clipboard. Delegated, so it keeps working
// after htmx swaps the schema for another dialect.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  navigator.clipboard.writeText(source.innerText).then(() => {
    button.textContent = "Copied";
  });
});
