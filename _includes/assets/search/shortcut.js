// Pressing `/` anywhere (outside a text field) focuses the header search box, as on many sites.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const target = event.target;
  if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])")) return;
  const box = document.querySelector("header input[name='q']");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});
