// "Copy link" is a plain link to the comment's permanent URL; where the Clipboard API is available,
// a plain click copies that URL instead and says so to screen readers through the status region.
for (const link of document.querySelectorAll("[data-copy-link]")) {
  const status = link.parentElement?.querySelector("[data-copy-status]");
  link.addEventListener("click", async (event) => {
    // Modified clicks keep their usual meaning (new tab, new window, download).
    if (!navigator.clipboard || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    let message;
    try {
      await navigator.clipboard.writeText(link.href);
      message = "Link copied";
    } catch {
      message = "Could not copy: the link is this page’s address";
    }
    if (status) {
      // Emptied first so that copying twice is announced twice.
      status.textContent = "";
      requestAnimationFrame(() => (status.textContent = message));
    }
    link.dataset.copied = "";
    setTimeout(() => delete link.dataset.copied, 2000);
  });
}
