// The library's filters apply as soon as a box is ticked or a sort chosen:
// the results and the filters' counts are fetched and put in place, the
// address follows. Without this script the form's button does the same.
document.querySelectorAll("form[data-apply-at-once]").forEach((form) => {
  const results = document.getElementById("library-results");
  const filters = document.getElementById("library-filters");
  if (!results || !filters || !window.fetch || !window.DOMParser) return;

  const showHint = () => {
    const hint = document.getElementById("library-filters-hint");
    if (hint) hint.hidden = false;
  };
  showHint();

  const apply = (url) => {
    results.setAttribute("aria-busy", "true");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        const freshResults = fresh.getElementById("library-results");
        const freshFilters = fresh.getElementById("library-filters");
        if (!freshResults || !freshFilters) throw new Error("unexpected page");
        // The count is a live region: keep the element, change its text, so
        // that screen readers announce the new number of resources.
        const status = document.getElementById("library-count");
        const focused = document.activeElement;
        const focusedKey = focused && focused.name ? [focused.name, focused.value] : null;
        results.innerHTML = freshResults.innerHTML;
        const freshStatus = document.getElementById("library-count");
        if (status && freshStatus) {
          status.textContent = freshStatus.textContent;
          freshStatus.replaceWith(status);
        }
        filters.innerHTML = freshFilters.innerHTML;
        showHint();
        if (focusedKey) {
          const again = Array.from(filters.querySelectorAll("[name]")).find(
            (field) => field.name === focusedKey[0] &&
              (field.tagName === "SELECT" || field.value === focusedKey[1])
          );
          if (again) again.focus({ preventScroll: true });
        }
        window.history.pushState(null, "", url);
      })
      .finally(() => results.removeAttribute("aria-busy"));
  };

  form.addEventListener("change", (event) => {
    if (!filters.contains(event.target)) return;
    const query = new URLSearchParams(new FormData(form)).toString();
    const url = form.action.split("?")[0] + (query ? "?" + query : "");
    apply(url).catch(() => form.submit());
  });

  window.addEventListener("popstate", () => window.location.reload());
});
