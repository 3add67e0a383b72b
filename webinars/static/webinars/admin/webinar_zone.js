// The webinar editor names the home time zone beside start and end (the server reads
// them in that zone): keep the name in step with the zone picked before saving.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.name !== "time_zone") return;
  const label = select.selectedOptions[0]?.textContent.trim() ?? select.value;
  document.querySelectorAll("[data-webinar-zone]").forEach((node) => {
    node.textContent = label;
  });
});
